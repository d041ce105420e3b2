import { describe, expect, it } from 'vitest';
import { envJudgeKeyProvider, fixedJudgeKeyProvider, JUDGE_KEY_STORAGE_KEY, storageJudgeKeyProvider } from './judge-key.ts';

describe('judge key providers', () => {
  it('environment, storage, fixed; blank means no key', async () => {
    expect(await envJudgeKeyProvider({ GRPO_JUDGE_API_KEY: ' sk-1 ' })('https://x/v1')).toBe('sk-1');
    expect(await envJudgeKeyProvider({ GRPO_JUDGE_API_KEY: '' })('https://x/v1')).toBeUndefined();
    expect(await envJudgeKeyProvider({})('https://x/v1')).toBeUndefined();
    const store = new Map([[JUDGE_KEY_STORAGE_KEY, 'sk-2']]);
    expect(await storageJudgeKeyProvider({ getItem: (k) => store.get(k) ?? null })('https://x/v1')).toBe('sk-2');
    expect(await storageJudgeKeyProvider({ getItem: () => null })('https://x/v1')).toBeUndefined();
    expect(await fixedJudgeKeyProvider('sk-3')('u')).toBe('sk-3');
  });
});
