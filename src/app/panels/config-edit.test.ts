import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { getPreset } from '../../rl/presets.ts';
import { commitEdit, formatNumber, formatStopText, parseNumberText, parseStopText, UNSET, valueAt, withValue, withoutFieldPath } from './config-edit.ts';

describe('withValue / valueAt', () => {
  it('replaces one leaf without touching the input, through objects and arrays', () => {
    const config = defaultRunConfig();
    const before = structuredClone(config);
    const next = withValue(config, ['rubric', 'criteria', 1, 'weight'], 0.5);
    expect(config).toEqual(before);
    expect(next.rubric.criteria[1].weight).toBe(0.5);
    expect(next.rubric.criteria[0]).toBe(config.rubric.criteria[0]);
    expect(valueAt(next, ['rubric', 'criteria', 1, 'weight'])).toBe(0.5);
    expect(valueAt(next, ['nope', 'deeper'])).toBeUndefined();
  });

  it('UNSET removes a key', () => {
    const config = withValue(defaultRunConfig(), ['task', 'params', 'maxOperand'], 5);
    expect(config.task.params).toEqual({ maxOperand: 5 });
    expect(withValue(config, ['task', 'params', 'maxOperand'], UNSET).task.params).toEqual({});
  });
});

describe('commitEdit', () => {
  const config = defaultRunConfig();

  it('commits valid values', () => {
    const r = commitEdit(config, ['grpo', 'learningRate'], 1e-3);
    expect(r).toEqual({ ok: true, config: expect.objectContaining({ grpo: expect.objectContaining({ learningRate: 1e-3 }) }) });
  });

  it.each([
    [['grpo', 'learningRate'], -1, 'must be > 0'],
    [['grpo', 'learningRate'], 2, 'must be <= 1'],
    [['grpo', 'groupSize'], 1, 'must be >= 2'],
    [['grpo', 'groupSize'], 2.5, 'must be an integer'],
    [['grpo', 'lossType'], 'sum', 'must be one of "grpo", "bnpo", "dr_grpo", "dapo"'],
    [['rubric', 'criteria', 1, 'name'], 'correct_answer', "duplicate criterion name 'correct_answer'"],
    [['rubric', 'criteria', 0, 'name'], 'has space', 'must be 1-64 letters, digits, _ . or -'],
    [['task', 'params', 'maxOperand'], -3, 'arithmetic: maxOperand must be an integer from 0 to 1000000, got -3'],
    [['rubric', 'criteria', 0, 'params', 'bogus'], 1, "correct_answer: unknown param 'bogus' (known: field)"],
  ] as const)('refuses %j = %j with "%s" (without the field path)', (path, value, message) => {
    const r = commitEdit(config, path, value);
    expect(r).toEqual({ ok: false, error: message });
  });

  it('refuses own data with the line of the problem', () => {
    const ownData = getPreset('own-data');
    const r = commitEdit(ownData, ['task', 'params', 'data'], '{"prompt": "a", "answer": "b"}\n{"prompt": "c"}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^own-data: data \(JSONL\): line 2: missing "answer"/);
  });
});

describe('input text', () => {
  it('parses numbers and says why text is not one', () => {
    expect(parseNumberText(' 1e-3 ')).toEqual({ ok: true, value: 0.001 });
    expect(parseNumberText('')).toEqual({ ok: false, error: 'enter a number' });
    expect(parseNumberText('abc')).toEqual({ ok: false, error: "'abc' is not a number" });
    expect(parseNumberText('Infinity')).toEqual({ ok: false, error: "'Infinity' is not a number" });
    expect(parseNumberText('2.5', true)).toEqual({ ok: false, error: 'must be a whole number' });
    expect(parseNumberText('3', true)).toEqual({ ok: true, value: 3 });
  });

  it('stop strings round-trip through one comma-separated line, \\n for newlines', () => {
    expect(parseStopText('</answer>, \\n\\n ,, x')).toEqual(['</answer>', '\n\n', 'x']);
    expect(formatStopText(['</answer>', '\n'])).toBe('</answer>, \\n');
    expect(parseStopText(formatStopText(['a', '\n', 'b c']))).toEqual(['a', '\n', 'b c']);
  });

  it('formats numbers without float noise', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(5e-4)).toBe('0.0005');
    expect(formatNumber(1e-8)).toBe('1e-8');
  });

  it('strips only a leading field path', () => {
    expect(withoutFieldPath('rubric.criteria[1].params: regex: bad')).toBe('regex: bad');
    expect(withoutFieldPath('run config: must be x')).toBe('run config: must be x');
  });
});
