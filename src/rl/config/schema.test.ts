import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getPreset, PRESETS } from '../presets.ts';
import { CRITERION_KINDS } from '../rubric/criteria.ts';
import { TASK_NAMES } from '../tasks/index.ts';
import {
  defaultRunConfig,
  mergeWithDefaults,
  nonDefaultValues,
  parseRunConfig,
  RunConfigError,
  RunConfigSchema,
  type RunConfig,
} from './schema.ts';

const errorOf = (json: unknown): string => {
  try {
    parseRunConfig(json);
  } catch (e) {
    expect(e).toBeInstanceOf(RunConfigError);
    return (e as Error).message;
  }
  throw new Error('expected parseRunConfig to throw');
};

describe('RunConfigSchema defaults', () => {
  it('{version: 1} parses to the documented defaults', () => {
    const c = parseRunConfig({ version: 1 });
    expect(c).toEqual(defaultRunConfig());
    expect(c).toMatchObject({
      model: { id: 'tiny-arith' },
      task: { name: 'arithmetic', params: {}, evalSize: 32 },
      grpo: { groupSize: 8, promptsPerStep: 16, learningRate: 5e-4, beta: 0, epsilonLow: 0.2, epsilonHigh: 0.2, lossType: 'dapo', scaleRewards: 'group', numIterations: 1 },
      sampling: { temperature: 1, topK: 0, topP: 1, maxNewTokens: 16, stop: [] },
      eval: { every: 0, maxNewTokens: 16 },
      seed: 0,
      steps: 50,
    });
    expect(c.rubric.criteria).toEqual([
      { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'xml_format', kind: 'xml_format', weight: 0.2, params: {} },
    ]);
    expect('name' in c).toBe(false);
  });

  it('every leaf field carries a description', () => {
    const json = z.toJSONSchema(RunConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const missing: string[] = [];
    let leaves = 0;
    const walk = (node: Record<string, unknown>, path: string): void => {
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      if (props) {
        for (const [k, v] of Object.entries(props)) walk(v, path ? `${path}.${k}` : k);
      } else if (node.items && (node.items as Record<string, unknown>).properties) {
        walk(node.items as Record<string, unknown>, `${path}[]`);
      } else {
        leaves++;
        if (typeof node.description !== 'string') missing.push(path);
      }
    };
    walk(json, '');
    expect(leaves).toBeGreaterThanOrEqual(35); // every field of the config, 35 today
    expect(missing).toEqual([]);
  });

  it('defaultRunConfig returns a fresh object', () => {
    const a = defaultRunConfig();
    a.grpo.groupSize = 2;
    expect(defaultRunConfig().grpo.groupSize).toBe(8);
  });
});

describe('parseRunConfig errors: one message naming the field', () => {
  it.each([
    [{ grpo: { learningRate: 0 } }, 'grpo.learningRate: must be > 0'],
    [{ grpo: { groupSize: 1 } }, 'grpo.groupSize: must be >= 2'],
    [{ grpo: { groupSize: 2.5 } }, 'grpo.groupSize: must be an integer'],
    [{ grpo: { adamBeta2: 1 } }, 'grpo.adamBeta2: must be < 1'],
    [{ grpo: { lossType: 'ppo' } }, 'grpo.lossType: must be one of "grpo", "bnpo", "dr_grpo", "dapo"'],
    [{ sampling: { topP: 0 } }, 'sampling.topP: must be > 0'],
    [{ sampling: { stop: [''] } }, 'sampling.stop[0]: must not be empty'],
    [{ seed: -1 }, 'seed: must be >= 0'],
    [{ model: { id: '' } }, 'model.id: must not be empty'],
    [{ task: { name: 'chess' } }, `task.name: must be one of ${TASK_NAMES.map((n) => JSON.stringify(n)).join(', ')}`],
    [{ rubric: { criteria: [] } }, 'rubric.criteria: must have at least 1 item(s)'],
    [{ rubric: { criteria: [{ name: 'c', kind: 'correct_answer', weight: '1' }] } }, 'rubric.criteria[0].weight: expected number, received string'],
    [{ rubric: { criteria: [{ name: 'c', kind: 'judge', weight: 1 }] } }, `rubric.criteria[0].kind: must be one of ${CRITERION_KINDS.map((k) => JSON.stringify(k)).join(', ')}`],
  ])('%j -> %s', (patch, message) => {
    expect(errorOf({ version: 1, ...patch })).toBe(message);
  });

  it('unknown keys are refused, naming them and the known keys', () => {
    expect(errorOf({ version: 1, grpo: { lr: 0.1 } })).toBe(
      "grpo: unknown key 'lr' (known: groupSize, promptsPerStep, learningRate, beta, epsilonLow, epsilonHigh, lossType, scaleRewards, numIterations, maxGradNorm, weightDecay, adamBeta1, adamBeta2, adamEps, maskTruncatedCompletions, skipZeroStdGroups, dynamicSampling, maxResampleRounds, importanceSampling, lrSchedule, warmupSteps, minLrRatio)",
    );
    expect(errorOf({ version: 1, stpes: 3 })).toBe(
      "run config: unknown key 'stpes' (known: version, name, model, task, rubric, grpo, sampling, eval, seed, steps)",
    );
    expect(errorOf({ version: 1, rubric: { criteria: [{ name: 'a', kind: 'xml_format', weight: 1, wieght: 2 }] } })).toBe(
      "rubric.criteria[0]: unknown key 'wieght' (known: name, kind, weight, params)",
    );
  });

  it('version: unknown, missing, wrong type', () => {
    expect(errorOf({ version: 2 })).toBe('unsupported run config version 2 (this build reads 1)');
    expect(errorOf({})).toBe('version: missing (this build reads run config version 1)');
    expect(errorOf({ version: '1' })).toBe('version: must be the number 1');
    expect(errorOf(null)).toBe('run config must be a JSON object');
    expect(errorOf([1])).toBe('run config must be a JSON object');
  });

  it('cross-field checks: duplicate criterion names, criterion params, task params', () => {
    const c = { name: 'x', kind: 'xml_format', weight: 1 };
    expect(errorOf({ version: 1, rubric: { criteria: [c, c] } })).toBe("rubric.criteria[1].name: duplicate criterion name 'x'");
    expect(errorOf({ version: 1, rubric: { criteria: [{ ...c, params: { field: 'a' } }] } })).toBe(
      "rubric.criteria[0].params: xml_format: unknown param 'field' (known: fields)",
    );
    expect(errorOf({ version: 1, task: { params: { maxOperand: -3 } } })).toMatch(/^task\.params: arithmetic: maxOperand must be an integer/);
  });

  it('several problems: the first is named and the rest counted', () => {
    expect(errorOf({ version: 1, seed: -1, steps: -1 })).toBe('seed: must be >= 0 (and 1 more problem)');
  });

  it('prototype keys are refused', () => {
    expect(errorOf(JSON.parse('{"version":1,"__proto__":{"steps":3}}'))).toBe('__proto__: key not allowed');
    expect(errorOf(JSON.parse('{"version":1,"task":{"params":{"constructor":1}}}'))).toBe('task.params.constructor: key not allowed');
    expect(({} as Record<string, unknown>).steps).toBeUndefined();
  });
});

describe('nonDefaultValues / mergeWithDefaults', () => {
  const edited = (): RunConfig => {
    const c = defaultRunConfig();
    c.name = 'try';
    c.grpo.learningRate = 3e-4;
    c.grpo.lossType = 'dr_grpo';
    c.task.params = { maxOperand: 20, ops: '+-' };
    c.rubric.criteria[1].weight = 0;
    c.sampling.stop = ['</answer>'];
    c.seed = 7;
    return c;
  };

  it('defaults reduce to just the version', () => {
    expect(nonDefaultValues(defaultRunConfig())).toEqual({ version: 1 });
    expect(mergeWithDefaults({ version: 1 })).toEqual(defaultRunConfig());
    expect(mergeWithDefaults({})).toEqual(defaultRunConfig());
  });

  it('keeps only what differs (arrays whole) and round-trips', () => {
    const c = edited();
    const minimal = nonDefaultValues(c);
    expect(minimal).toEqual({
      version: 1,
      name: 'try',
      task: { params: { maxOperand: 20, ops: '+-' } },
      rubric: { criteria: c.rubric.criteria },
      grpo: { learningRate: 3e-4, lossType: 'dr_grpo' },
      sampling: { stop: ['</answer>'] },
      seed: 7,
    });
    expect(mergeWithDefaults(JSON.parse(JSON.stringify(minimal)))).toEqual(c);
    expect(mergeWithDefaults(nonDefaultValues(getPreset('arithmetic')))).toEqual(getPreset('arithmetic'));
  });

  it('mergeWithDefaults validates and reports like parseRunConfig', () => {
    expect(() => mergeWithDefaults({ grpo: { groupSize: 0 } })).toThrow('grpo.groupSize: must be >= 2');
    expect(() => mergeWithDefaults({ version: 3 })).toThrow('unsupported run config version 3 (this build reads 1)');
    expect(() => mergeWithDefaults('x')).toThrow(RunConfigError);
    expect(() => mergeWithDefaults(JSON.parse('{"__proto__":{"polluted":1}}'))).toThrow('__proto__: key not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('presets', () => {
  it("'arithmetic' is the schema defaults with its own task size and run settings, valid, and copies are independent", () => {
    const { task, grpo, eval: ev, steps, ...rest } = getPreset('arithmetic');
    const { task: dTask, grpo: dGrpo, eval: dEval, steps: _s, ...dRest } = defaultRunConfig();
    expect(rest).toEqual(dRest);
    expect(task).toEqual({ ...dTask, params: { maxOperand: 29 }, evalSize: 128 });
    expect(grpo).toEqual({ ...dGrpo, lrSchedule: 'cosine' });
    expect(ev).toEqual({ ...dEval, every: 10 });
    expect(steps).toBe(60);
    for (const p of Object.values(PRESETS)) expect(parseRunConfig(p)).toEqual(p);
    const copy = getPreset('arithmetic');
    copy.steps = 1;
    expect(getPreset('arithmetic').steps).toBe(60);
    expect(Object.isFrozen(PRESETS.arithmetic.grpo)).toBe(true);
  });

  it('unknown preset lists the known names', () => {
    expect(() => getPreset('gsm8k')).toThrow(`unknown preset 'gsm8k' (known: ${Object.keys(PRESETS).join(', ')})`);
  });
});
