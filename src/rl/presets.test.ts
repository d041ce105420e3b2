import { TASK_NAMES } from './tasks/index.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChat } from '../engine/chat.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { defaultRunConfig, parseRunConfig } from './config/schema.ts';
import { DEFAULT_PRESET, PRESETS, PRESET_DESCRIPTIONS, PRESET_NAMES, getPreset } from './presets.ts';
import { CRITERIA, resolveCriterionParams } from './rubric/criteria.ts';
import { Rubric } from './rubric/rubric.ts';
import type { CriterionSpec, ScoreContext } from './rubric/types.ts';
import { createTask } from './tasks/index.ts';
import type { TaskRow } from './tasks/types.ts';

const SINGLE_TURN = ['arithmetic', 'reverse', 'sort', 'length', 'countdown', 'own-data'];

/** A completion that should score 1 on the task's correctness criterion. */
function idealCompletion(task: string, row: TaskRow): string {
  if (task === 'countdown') return `<answer>${(row.info as { solution: string }).solution}</answer>`;
  if (task === 'length') return `<answer>${Array.from({ length: Number(row.answer) }, () => 'word').join(' ')}</answer>`;
  return `<answer>${row.answer}</answer>`;
}

/** Score with one criterion directly (the kind's own function), sync or async. */
async function scoreWith(spec: CriterionSpec, ctx: ScoreContext): Promise<number> {
  const kind = CRITERIA[spec.kind as keyof typeof CRITERIA];
  const made = kind.create(resolveCriterionParams(spec.kind, spec.params)) as unknown;
  const fn = (typeof made === 'function' ? made : (made as { score: unknown }).score) as (c: ScoreContext) => number | Promise<number>;
  return fn(ctx);
}

describe('presets', () => {
  it('one preset per task; arithmetic is the default, the schema defaults plus its task size, eval and schedule', () => {
    for (const task of TASK_NAMES) expect(PRESET_NAMES.filter((n) => PRESETS[n].task.name === task).length, task).toBeGreaterThan(0);
    expect(DEFAULT_PRESET).toBe('arithmetic');
    const expected = defaultRunConfig();
    expected.task.params = { maxOperand: 29 };
    expected.task.evalSize = 128;
    expected.grpo.lrSchedule = 'cosine';
    expected.eval.every = 10;
    expected.steps = 60;
    expect(PRESETS.arithmetic).toEqual(expected);
    for (const task of SINGLE_TURN) expect(PRESET_NAMES.filter((n) => PRESETS[n].task.name === task).length, task).toBeGreaterThan(0);
    for (const name of PRESET_NAMES) {
      expect(PRESET_DESCRIPTIONS[name], name).toBeTruthy();
      if (name !== 'arithmetic' && PRESETS[name].model.id === 'tiny-arith') expect(PRESET_DESCRIPTIONS[name]).toMatch(/tiny-arith/);
    }
    expect(Object.isFrozen(PRESETS.reverse.task.params)).toBe(true);
    const copy = getPreset('countdown');
    copy.steps = 1;
    expect(PRESETS.countdown.steps).not.toBe(1);
  });

  it.each(PRESET_NAMES.filter((n) => SINGLE_TURN.includes(PRESETS[n].task.name)))(
    '%s: parses, builds its task and rubric, and the ideal answer earns full correctness and format credit',
    async (name) => {
      const config = getPreset(name);
      expect(parseRunConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
      const task = createTask(config.task.name, config.task.params);
      expect(() => new Rubric(config.rubric.criteria)).not.toThrow();
      const correctness = config.rubric.criteria.find((c) => c.kind === task.correctnessCriterion);
      expect(correctness, `${name} rubric lacks ${task.correctnessCriterion}`).toMatchObject({ weight: 1 });
      const format = config.rubric.criteria.find((c) => c.kind === 'xml_format');
      expect(format?.weight).toBeGreaterThan(0);
      expect(format?.weight).toBeLessThan(1);
      const rows = [...task.evalRows(config.task.evalSize), ...Array.from({ length: 20 }, (_, i) => task.trainRow(config.seed, i))];
      expect(task.evalRows(config.task.evalSize).length).toBe(config.task.evalSize);
      for (const row of rows) {
        const ctx = { prompt: row.prompt, completion: idealCompletion(config.task.name, row), answer: row.answer };
        expect(await scoreWith(correctness!, ctx), row.prompt).toBe(1);
        expect(await scoreWith(format!, ctx)).toBe(1);
        expect(await scoreWith(correctness!, { ...ctx, completion: '<answer></answer>' })).toBe(0);
      }
    },
  );

  it('single-turn presets on a bundled model fit its 256 positions and its character vocabulary', async () => {
    for (const name of PRESET_NAMES.filter((n) => !PRESETS[n].model.id.startsWith('hf:') && SINGLE_TURN.includes(PRESETS[n].task.name))) {
      const config = PRESETS[name];
      const model = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', config.model.id)));
      const task = createTask(config.task.name, config.task.params);
      const rows = [...task.evalRows(config.task.evalSize), ...Array.from({ length: 300 }, (_, i) => task.trainRow(config.seed, i))];
      let longest = 0;
      for (const row of rows) {
        const text = renderChat(model.chatTemplate, [{ role: 'system', content: task.systemPrompt }, { role: 'user', content: row.prompt }], { addGenerationPrompt: true });
        const ids = model.tokenizer.encode(text);
        expect(model.tokenizer.decode(ids, { skipSpecialTokens: false }), `${name}: a character outside the vocabulary`).toBe(text);
        longest = Math.max(longest, ids.length);
        const answer = model.tokenizer.encode(idealCompletion(config.task.name, row)).length + 1; // + <|im_end|>
        expect(answer, `${name}: the ideal answer needs more than maxNewTokens`).toBeLessThanOrEqual(config.sampling.maxNewTokens);
      }
      const need = longest + Math.max(config.sampling.maxNewTokens, config.eval.maxNewTokens);
      expect(need, `${name}: longest prompt ${longest} tokens`).toBeLessThanOrEqual(model.config.max_position_embeddings);
    }
  });
});
