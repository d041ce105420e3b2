import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { getPreset } from '../../rl/presets.ts';
import { createTask } from '../../rl/tasks/index.ts';
import { defaultSamples, examplesFor, samplesFromRun, toPreviewSamples, wrongAnswer } from './preview-samples.ts';
import { formatScore, sharedError } from './score-format.ts';

describe('preview samples', () => {
  it('default to the task row the run starts with: right in the format, bare, wrong in the format', () => {
    const config = defaultRunConfig();
    const row = createTask('arithmetic', {}).trainRow(config.seed, 0);
    const s = defaultSamples(config);
    expect(s.prompt).toBe(row.prompt);
    expect(s.completions).toEqual([`<answer>${row.answer}</answer>`, row.answer, `<answer>${Number(row.answer) - 1}</answer>`]);
  });

  it('work for every preset task, and fall back on a broken task', () => {
    expect(defaultSamples(getPreset('reverse')).completions).toHaveLength(3);
    expect(defaultSamples({ task: { name: 'own-data', params: { data: 'nope' }, evalSize: 1 }, seed: 0 })).toEqual(examplesFor('3+5', '8'));
  });

  it('make wrong answers', () => {
    expect(wrongAnswer('8')).toBe('7');
    expect(wrongAnswer('abc')).toBe('cba');
    expect(wrongAnswer('aa')).toBe('aax');
  });

  it('take a run group, and become one worker sample per completion', () => {
    const s = samplesFromRun({ prompt: 'p', answer: 'a', completions: ['x', 'y'] }, examplesFor('3+5', '8', { k: 1 }));
    expect(s).toEqual({ prompt: 'p', answer: 'a', info: undefined, completions: ['x', 'y'] });
    expect(toPreviewSamples(s)).toEqual([
      { prompt: 'p', answer: 'a', completion: 'x', info: undefined },
      { prompt: 'p', answer: 'a', completion: 'y', info: undefined },
    ]);
  });
});

describe('score format', () => {
  it('writes scores and collapses one error shared by every sample', () => {
    expect(formatScore(19.5)).toBe('19.5');
    expect(formatScore(1 / 3)).toBe('0.333');
    expect(formatScore(1)).toBe('1');
    expect(sharedError(['e', 'e', 'e'])).toBe('e');
    expect(sharedError(['e', undefined, 'e'])).toBeNull();
    expect(sharedError(['e'])).toBeNull();
  });
});
