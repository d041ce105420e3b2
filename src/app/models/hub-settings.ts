// The Hub endpoint and token the page uses for hf: models. In memory only, like the judge key: never in the
// run config, a share link or localStorage. The endpoint defaults to the Hub; `?hub=URL` on the page's address
// sets it (a mirror, or the tests' local server).
import { create } from 'zustand';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

function initialEndpoint(): string {
  try {
    const fromUrl = new URLSearchParams(globalThis.location?.search ?? '').get('hub');
    if (fromUrl && /^https?:\/\//.test(fromUrl)) return fromUrl.replace(/\/+$/, '');
  } catch {
    // not in a browser
  }
  return DEFAULT_ENDPOINT;
}

interface HubSettings {
  endpoint: string;
  token: string;
  setEndpoint: (endpoint: string) => void;
  setToken: (token: string) => void;
}

export const useHubSettings = create<HubSettings>()((set) => ({
  endpoint: initialEndpoint(),
  token: '',
  setEndpoint: (endpoint) => set({ endpoint: endpoint.trim().replace(/\/+$/, '') || DEFAULT_ENDPOINT }),
  setToken: (token) => set({ token: token.trim() }),
}));

/** What the workers need to reach the Hub (no token key when none is set). */
export function hubAccess(): { endpoint: string; token?: string } {
  const { endpoint, token } = useHubSettings.getState();
  return token ? { endpoint, token } : { endpoint };
}
