// The panels' one way to change the run config: validate against the schema, commit to the store when valid,
// hand back the refusal message otherwise. While a run is in progress the config is locked: the worker
// trains with the config committed when Train was pressed.
import { useCallback } from 'react';
import type { RunConfig } from '../../rl/config/schema.ts';
import { isActive, useStore } from '../store.ts';
import { commitEdit, validateConfig, type ConfigPath } from './config-edit.ts';

export const LOCKED_MESSAGE = 'A run is in progress: it uses the config from when Train was pressed. Stop it to edit.';

export interface ConfigEdit {
  config: RunConfig;
  locked: boolean;
  /** Change one field; returns the refusal message or null when committed. */
  commit: (path: ConfigPath, value: unknown) => string | null;
  /** Replace the whole config (a preset, a criterion added); returns the refusal message or null. */
  replace: (next: RunConfig) => string | null;
}

export function useConfigEdit(): ConfigEdit {
  const config = useStore((s) => s.config);
  const status = useStore((s) => s.status);
  const setConfig = useStore((s) => s.setConfig);
  // While a worker holds the run (training or paused), edits would not reach it.
  const locked = isActive(status);

  const apply = useCallback(
    (result: ReturnType<typeof validateConfig>) => {
      if (!result.ok) return result.error;
      setConfig(result.config);
      return null;
    },
    [setConfig],
  );
  // Read the latest config at call time: several commits may happen before React re-renders.
  const commit = useCallback(
    (path: ConfigPath, value: unknown) => (locked ? LOCKED_MESSAGE : apply(commitEdit(useStore.getState().config, path, value))),
    [apply, locked],
  );
  const replace = useCallback((next: RunConfig) => (locked ? LOCKED_MESSAGE : apply(validateConfig(next))), [apply, locked]);
  return { config, locked, commit, replace };
}
