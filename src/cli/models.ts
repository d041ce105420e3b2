// Where the CLI finds models: a bundled id (public/models/<id>/ of this package), an explicit folder, or a Hub
// id hf:ORG/NAME[@REV] (hub-download.ts: the Hugging Face cache layout, HF_ENDPOINT, HF_TOKEN).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFolder, type LoadedModel } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { CliError } from './load-config.ts';
import { loadHubModel } from './hub-download.ts';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLED_MODELS_DIR = join(PACKAGE_ROOT, 'public', 'models');

export function bundledModelIds(): string[] {
  if (!existsSync(BUNDLED_MODELS_DIR)) return [];
  return readdirSync(BUNDLED_MODELS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(BUNDLED_MODELS_DIR, d.name, 'config.json')))
    .map((d) => d.name)
    .sort();
}

/** What a run loads, as its summary line names it: the folder given with --model (absolute), else the id. */
export function modelLabel(id: string, dirOverride?: string): string {
  if (!dirOverride) return id;
  return dirOverride.startsWith('hf:') ? dirOverride : resolve(dirOverride);
}

export async function loadModel(id: string, dirOverride?: string, opts: { quiet?: boolean } = {}): Promise<LoadedModel> {
  // A Hub model id (hf:ORG/NAME[@REV]) as --model or as the run config's model id: the Hugging Face cache.
  if (dirOverride?.startsWith('hf:')) return loadHubModel(dirOverride, opts);
  if (!dirOverride && id.startsWith('hf:')) return loadHubModel(id, opts);
  const dir = dirOverride ? resolve(dirOverride) : join(BUNDLED_MODELS_DIR, id);
  if (!existsSync(dir)) {
    if (dirOverride) throw new CliError(`--model ${dirOverride}: no such folder`);
    throw new CliError(`unknown model "${id}" (bundled models: ${bundledModelIds().join(', ') || 'none'}); or pass --model DIR`);
  }
  try {
    return await loadModelFolder(nodeDirSource(dir));
  } catch (e) {
    throw new CliError(`cannot load model from ${dir}: ${(e as Error).message}`);
  }
}
