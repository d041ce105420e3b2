// Secrets the user types into the page (the LLM-judge API key; the Hub token lives in models/hub-settings.ts).
// Kept in memory only: never in the run config, a share link, localStorage or a log. The run store sends them
// to the worker with `start`.
import { create } from 'zustand';
import type { RunSecrets } from '../worker/protocol.ts';
import { hubAccess } from './models/hub-settings.ts';

interface SecretsState extends RunSecrets {
  setJudgeApiKey: (key: string) => void;
}

export const useSecrets = create<SecretsState>()((set) => ({
  judgeApiKey: undefined,
  setJudgeApiKey: (key) => set({ judgeApiKey: key === '' ? undefined : key }),
}));

/** The secrets to send with a run (plain data, no functions), with the Hub access for hf: models. */
export function currentSecrets(): RunSecrets {
  const { judgeApiKey } = useSecrets.getState();
  const hub = hubAccess();
  return { ...(judgeApiKey ? { judgeApiKey } : {}), hubEndpoint: hub.endpoint, ...(hub.token ? { hubToken: hub.token } : {}) };
}
