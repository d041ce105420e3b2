import { describe, expect, it } from 'vitest';
import { envJudgeKeyProvider, fixedJudgeKeyProvider } from './judge-key.ts';

describe('judge key providers', () => {
  it('environment, fixed; blank means no key', async () => {
    expect(await envJudgeKeyProvider({ GRPO_JUDGE_API_KEY: ' sk-1 ' })('https://x/v1')).toBe('sk-1');
    expect(await envJudgeKeyProvider({ GRPO_JUDGE_API_KEY: '' })('https://x/v1')).toBeUndefined();
    expect(await envJudgeKeyProvider({})('https://x/v1')).toBeUndefined();
    expect(await fixedJudgeKeyProvider(' sk-3 ')('u')).toBe('sk-3');
    expect(await fixedJudgeKeyProvider(' ')('u')).toBeUndefined();
    expect(await fixedJudgeKeyProvider(undefined)('u')).toBeUndefined();
  });
});
