// Export > Python project: the run's config as a TRL or verifiers project (src/rl/export/project.ts), zipped
// with the bundled model folder beside it (fetched from the page's own /models/), as the CLI's `export` writes.
import { strToU8, zipSync } from 'fflate';
import { buildExport, exportModel, type ExportTarget } from '../../rl/export/project.ts';
import type { RunRecord } from '../store/runs.ts';
import { download } from './download.ts';
import { fileStem } from './formats.ts';

const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL_MODEL_FILES = ['generation_config.json', 'chat_template.jinja'];

async function bundledModelFiles(id: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const name of [...MODEL_FILES, ...OPTIONAL_MODEL_FILES]) {
    const res = await fetch(`/models/${id}/${name}`);
    if (res.ok) out[name] = new Uint8Array(await res.arrayBuffer());
    else if (MODEL_FILES.includes(name)) throw new Error(`cannot read the bundled model's ${name} (${res.status})`);
  }
  return out;
}

export async function exportPythonProject(run: RunRecord, target: ExportTarget): Promise<void> {
  const stem = `${fileStem(run)}-${target}`;
  const model = exportModel(run.config);
  const entries: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {};
  for (const f of buildExport(run.config, target, model)) entries[`${stem}/${f.path}`] = strToU8(f.text);
  if (model.bundled) {
    for (const [name, bytes] of Object.entries(await bundledModelFiles(run.config.model.id))) entries[`${stem}/model/${name}`] = [bytes, { level: 0 }];
  }
  download(`${stem}.zip`, zipSync(entries) as Uint8Array<ArrayBuffer>, 'application/zip');
}
