// Where the LLM judge's API key comes from: never a run config, share URL, storage or log; only the host.
// The page keeps it in memory only (src/app/secrets.ts) and sends it to the worker with Train, which hands it
// to the criteria through fixedJudgeKeyProvider; the CLI reads the GRPO_JUDGE_API_KEY environment variable.

import type { JudgeKeyProvider } from './types.ts';

/** The CLI's environment variable holding the judge key. */
export const JUDGE_KEY_ENV_VAR = 'GRPO_JUDGE_API_KEY';

/** A provider reading the key from environment variables (pass process.env). Empty means no key. */
export function envJudgeKeyProvider(vars: Readonly<Record<string, string | undefined>>): JudgeKeyProvider {
  return () => vars[JUDGE_KEY_ENV_VAR]?.trim() || undefined;
}

/** A provider for a key already read elsewhere (e.g. sent from the page to the worker). */
export function fixedJudgeKeyProvider(key: string | undefined): JudgeKeyProvider {
  return () => key?.trim() || undefined;
}
