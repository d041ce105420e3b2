// Where the trainer worker gets a run's model: a bundled folder from /models/<id>/ on the page's origin, or a
// Hub model (hf:ORG/NAME[@REV]) through the browser's verified model cache, loading a cached snapshot without
// the network and downloading (with progress) whatever is missing.
import { HubClient } from '../engine/io/hub-client.ts';
import { isHubModelId, parseHubModelId } from '../engine/io/hub-id.ts';
import { hubSource } from '../engine/io/hub-source.ts';
import { loadModelFolder, type LoadedModel } from '../engine/io/model-folder.ts';
import { httpSource } from '../engine/io/sources.ts';
import type { RunConfig } from '../rl/config/schema.ts';
import { browserHubStore } from './hub-cache-browser.ts';
import type { RunSecrets } from './protocol.ts';

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export async function loadRunModel(config: RunConfig, secrets: RunSecrets | undefined, progress: (message: string) => void): Promise<LoadedModel> {
  const id = config.model.id;
  if (!isHubModelId(id)) return loadModelFolder(httpSource(new URL(`/models/${id}/`, self.location.origin).href));
  const ref = parseHubModelId(id);
  let last = 0;
  const src = hubSource(ref, {
    client: new HubClient({ endpoint: secrets?.hubEndpoint, token: secrets?.hubToken }),
    store: browserHubStore(),
    onNote: progress,
    onProgress: (p) => {
      const now = performance.now();
      if (now - last < 250 && p.loaded !== p.total) return;
      last = now;
      const eta = p.etaSeconds !== undefined ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
      progress(`Downloading ${p.file}: ${mb(p.loaded)}${p.total ? ` / ${mb(p.total)}` : ''} (${mb(p.bytesPerSecond)}/s${eta})`);
    },
  });
  const model = await loadModelFolder(src, progress);
  const snap = await src.snapshot();
  progress(`${ref.repo}@${snap.commit.slice(0, 8)} ${snap.online ? 'checked against the Hub' : 'loaded from the browser cache'}`);
  return model;
}

/** Parameters above which a CPU step takes minutes (a 135M model: see the README's Hub section). */
const CPU_SLOW_PARAMS = 20e6;

/** The Compute note for a big model on the CPU: it works, slowly, and WebGPU on a real GPU is what makes it interactive. */
export function cpuSpeedNote(params: number, deviceName: string, note: string | undefined): string | undefined {
  if (params < CPU_SLOW_PARAMS || !/^CPU/i.test(deviceName)) return note;
  const slow = `${(params / 1e6).toFixed(0)}M parameters on the CPU: each step takes minutes. A GPU with WebGPU (Auto picks it when there is one) is what makes this model interactive.`;
  return note ? `${note} ${slow}` : slow;
}
