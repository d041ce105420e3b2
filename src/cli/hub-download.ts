// `--model hf:ORG/NAME[@REV]` (or a run config whose model id is one): load a Hub model through the Hugging Face
// cache on disk ($HF_HOME, HF_HUB_CACHE), downloading what is missing from HF_ENDPOINT (default huggingface.co)
// with HF_TOKEN, as huggingface_hub would, with a progress bar (bytes, rate, time left) on stderr.
import cliProgress from 'cli-progress';
import { hfCacheStore, hfHubCacheDir } from '../engine/io/hf-cache-node.ts';
import { HubClient } from '../engine/io/hub-client.ts';
import { hubIdProblem, parseHubModelId } from '../engine/io/hub-id.ts';
import { hubSource } from '../engine/io/hub-source.ts';
import { loadModelFolder, type LoadedModel } from '../engine/io/model-folder.ts';
import { formatBytes } from '../engine/memory.ts';
import type { TransferProgress } from '../engine/io/rate-meter.ts';
import { CliError } from './load-config.ts';

const seconds = (s: number | undefined) => (s === undefined ? '?' : s >= 90 ? `${Math.round(s / 60)}m` : `${Math.round(s)}s`);

export async function loadHubModel(id: string, opts: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<LoadedModel> {
  const env = opts.env ?? process.env;
  const problem = hubIdProblem(id);
  if (problem) throw new CliError(`--model ${id}: ${problem}`);
  const ref = parseHubModelId(id);
  const client = new HubClient({ endpoint: env.HF_ENDPOINT, token: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN });
  const cacheDir = hfHubCacheDir(env);
  const quiet = opts.quiet || !process.stderr.isTTY;
  const bar = quiet
    ? null
    : new cliProgress.SingleBar(
        { stream: process.stderr, format: 'download |{bar}| {file} {done} / {size} | {rate}/s | {eta} left', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
  let started = false;
  let lastLine = 0;
  const onProgress = (p: TransferProgress) => {
    const fields = { file: p.file, done: formatBytes(p.loaded), size: p.total ? formatBytes(p.total) : '?', rate: formatBytes(Math.round(p.bytesPerSecond)), eta: seconds(p.etaSeconds) };
    if (bar) {
      if (!started) bar.start(p.total ?? 0, 0, fields);
      started = true;
      bar.setTotal(p.total ?? 0);
      bar.update(p.loaded, fields);
    } else if (!opts.quiet && (performance.now() - lastLine > 2000 || p.loaded === p.total)) {
      // Not a terminal (a log, CI): a line every 2 s instead of a redrawn bar.
      lastLine = performance.now();
      process.stderr.write(`download ${fields.file}: ${fields.done} / ${fields.size} (${fields.rate}/s, ${fields.eta} left)\n`);
    }
  };
  const src = hubSource(ref, {
    client,
    store: hfCacheStore(cacheDir),
    onProgress,
    onNote: (n) => process.stderr.write(`note: ${n}\n`),
  });
  try {
    const model = await loadModelFolder(src);
    const snap = await src.snapshot();
    bar?.stop();
    if (!opts.quiet) process.stderr.write(`${ref.repo}@${snap.commit.slice(0, 12)} from ${cacheDir}${snap.online ? '' : ' (cached; the Hub was not asked)'}\n`);
    return model;
  } catch (e) {
    bar?.stop();
    throw new CliError(`cannot load ${id}: ${(e as Error).message}`);
  }
}
