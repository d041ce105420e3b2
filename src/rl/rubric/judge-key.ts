// Where the LLM judge's API key lives: never in a run config, share URL or log; only here, on the host.
// The browser keeps it in local storage under JUDGE_KEY_STORAGE_KEY (the page reads it and hands it to the
// worker, which has no storage of its own); the CLI reads the GRPO_JUDGE_API_KEY environment variable.

import type { JudgeKeyProvider } from './types.ts';

/** The CLI's environment variable holding the judge key. */
export const JUDGE_KEY_ENV_VAR = 'GRPO_JUDGE_API_KEY';
/** The local-storage entry holding the judge key in the browser. */
export const JUDGE_KEY_STORAGE_KEY = 'grpo-playground.judge-api-key';

/** A provider reading the key from environment variables (pass process.env). Empty means no key. */
export function envJudgeKeyProvider(vars: Readonly<Record<string, string | undefined>>): JudgeKeyProvider {
  return () => vars[JUDGE_KEY_ENV_VAR]?.trim() || undefined;
}

/** A provider reading the key from a Storage (window.localStorage on the page). */
export function storageJudgeKeyProvider(storage: Pick<Storage, 'getItem'>): JudgeKeyProvider {
  return () => storage.getItem(JUDGE_KEY_STORAGE_KEY)?.trim() || undefined;
}

/** A provider for a key already read elsewhere (e.g. sent from the page to the worker). */
export function fixedJudgeKeyProvider(key: string | undefined): JudgeKeyProvider {
  return () => key?.trim() || undefined;
}
