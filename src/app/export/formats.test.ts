// Export formats and the run file: JSON lines exactly as the CLI log writes them, CSV with TRL's names that
// round-trips every number, rollout lines with tokens, log-probs and mask; a run file read back equals what was
// written, and a damaged one is refused with one line.
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { newRun } from '../store/runs.ts';
import { fileStem, metricsCsv, metricsJsonl, rolloutsJsonl } from './formats.ts';
import { readRunFile, RunFileError, writeRunFile } from './run-file.ts';

const train = [
  { step: 1, metrics: { reward: 0.1, 'rewards/xml_format/mean': 1 / 3, kl: 0 } },
  { step: 2, metrics: { reward: 0.30000000000000004, 'rewards/xml_format/mean': 0.5, kl: 1e-9 } },
];
const evals = [
  { step: 0, metrics: { 'eval/reward': 0.2, 'eval/accuracy': 0 } },
  { step: 2, metrics: { 'eval/reward': 0.4, 'eval/accuracy': 0.5 } },
];
const rollouts = [
  {
    step: 2,
    criteria: [{ name: 'xml_format', kind: 'xml_format', weight: 1 }],
    groups: [
      {
        prompt: 'What is 2+2?',
        answer: '4',
        rewardMean: 0.5,
        rewardStd: 0.7,
        completions: [
          {
            text: '<answer>4</answer>',
            reward: 1,
            advantage: 0.7,
            scores: { xml_format: 1 },
            truncated: false,
            tokens: [
              { text: '<answer>', logprob: -0.25, trained: true, generated: true },
              { text: '4', logprob: null, trained: false, generated: false },
            ],
          },
        ],
      },
    ],
  },
];

describe('export formats', () => {
  it('metrics JSONL: the CLI log lines in step order, eval after the train line of its step', () => {
    const lines = metricsJsonl({ train, evals }).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type}:${l.step}`)).toEqual(['eval:0', 'train:1', 'train:2', 'eval:2']);
    expect(lines[2]).toEqual({ type: 'train', step: 2, ...train[1].metrics });
  });

  it('metrics CSV: a step column, then TRL names, numbers that parse back exactly, gaps empty', () => {
    const rows = metricsCsv({ train, evals }).trimEnd().split('\n');
    expect(rows[0]).toBe('step,reward,rewards/xml_format/mean,kl,eval/reward,eval/accuracy');
    expect(rows[1]).toBe('0,,,,0.2,0');
    const two = rows[3].split(',');
    expect(Number(two[1])).toBe(0.30000000000000004);
    expect(Number(two[3])).toBe(1e-9);
    expect(two[5]).toBe('0.5');
  });

  it('rollouts JSONL: one line per completion with tokens, log-probs and the loss mask', () => {
    const [line] = rolloutsJsonl({ rollouts }).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(line).toMatchObject({ step: 2, group: 0, index: 0, prompt: 'What is 2+2?', reward: 1, advantage: 0.7, scores: { xml_format: 1 } });
    expect(line.logprobs).toEqual([-0.25, null]);
    expect(line.mask).toEqual([1, 0]);
  });

  it('file names keep only safe characters', () => {
    expect(fileStem({ id: 'run-3', name: 'Run 3 · arith/../"x"' })).toBe('Run-3-arith-..-x');
    expect(fileStem({ id: 'run-3', name: '···' })).toBe('run-3');
  });
});

describe('run file', () => {
  it('reads back what it wrote: meta, every point, rollouts, checkpoint bytes', () => {
    const run = { ...newRun(4, defaultRunConfig()), state: 'done' as const, step: 2, warnings: [{ step: 2, kind: 'k', message: 'm' }], rollouts };
    const tensors = new Uint8Array([1, 2, 3, 250]);
    const bytes = writeRunFile({ run, series: { train, evals }, checkpoint: { step: 2, json: '{"a":1}', tensors } });
    const back = readRunFile(bytes);
    expect(back.run).toMatchObject({ name: run.name, color: run.color, state: 'done', step: 2, warnings: run.warnings, rollouts });
    expect(back.run.config).toEqual(run.config);
    expect(back.series).toEqual({ train, evals });
    expect(back.checkpoint?.step).toBe(2);
    expect([...back.checkpoint!.tensors]).toEqual([1, 2, 3, 250]);
  });

  it('refuses what is not a run file, naming the problem', () => {
    const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
    const good = JSON.parse(new TextDecoder().decode(readRunFileJson()));
    expect(() => readRunFile(new Uint8Array([1, 2, 3]))).toThrow(RunFileError);
    expect(() => readRunFile(zip({ 'x.txt': 'hi' }))).toThrow(/no run.json/);
    expect(() => readRunFile(zip({ 'run.json': '{' }))).toThrow(/not valid JSON/);
    expect(() => readRunFile(zip({ 'run.json': JSON.stringify({ ...good, version: 9 }) }))).toThrow(/version 9/);
    expect(() => readRunFile(zip({ 'run.json': JSON.stringify({ ...good, config: { steps: -1 } }) }))).toThrow(/invalid run config/);
    expect(() => readRunFile(zip({ 'run.json': JSON.stringify({ ...good, rollouts: [{ step: 1 }] }) }))).toThrow(/rollouts are malformed/);
    expect(() => readRunFile(zip({ 'run.json': JSON.stringify(good), 'metrics.jsonl': '{"type":"x","step":1}\n' }))).toThrow(/line 1/);
  });
});

function readRunFileJson(): Uint8Array {
  const run = { ...newRun(1, defaultRunConfig()), state: 'done' as const };
  return strToU8(JSON.stringify({ format: 'grpo-playground-run', version: 1, name: run.name, color: run.color, config: run.config, state: 'done', step: 0, warnings: [], rollouts: [] }));
}
