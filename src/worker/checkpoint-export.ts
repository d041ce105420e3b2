// The trained model of a checkpointed run as a Hugging Face folder (config.json, model.safetensors, tokenizer
// files): the run's model is loaded, the checkpoint restored into a trainer, and its weights written the way the
// CLI's --merged-out writes them (for a LoRA run, the base with the adapters merged in: Trainer.weights()); or,
// for a LoRA run, its adapter in PEFT's format, as the CLI's --out writes it.
import type { RunConfig } from '../rl/config/schema.ts';
import { modelFolderFiles } from '../engine/io/model-folder.ts';
import { parseHubModelId } from '../engine/io/hub-id.ts';
import { Trainer } from '../rl/trainer.ts';
import type { BackendPreference, CheckpointFiles } from './protocol.ts';
import type { LoadedRun } from './run-loop.ts';
import { readCheckpointFiles } from './checkpoint-saver.ts';

type Load = (config: RunConfig, preference: BackendPreference, progress: (message: string) => void) => Promise<LoadedRun>;

/** What to export: the whole model (merged, for a LoRA run) or a LoRA run's adapter alone. */
export type ModelExportKind = 'merged' | 'adapter';

/** The base a PEFT adapter names: the Hub repo ("ORG/NAME") for a Hub model, else the bundled model's id. */
export function peftBaseName(modelId: string): string {
  return modelId.startsWith('hf:') ? parseHubModelId(modelId).repo : modelId;
}

export async function exportModelFiles(files: CheckpointFiles, load: Load, kind: ModelExportKind = 'merged'): Promise<[string, Uint8Array][]> {
  const checkpoint = readCheckpointFiles(files);
  if (kind === 'adapter' && !checkpoint.config.lora) throw new Error('This run trains every weight (no LoRA), so it has no adapter: export the model instead.');
  // The CPU backend: an export must not compete with a training run for the GPU, and its weights are exact.
  const { model, backend } = await load(checkpoint.config, 'cpu', () => {});
  const trainer = await Trainer.create(checkpoint.config, model, backend);
  trainer.restoreState(checkpoint.state);
  const adapter = kind === 'adapter' ? await trainer.peftAdapter(peftBaseName(checkpoint.config.model.id)) : null;
  if (kind === 'adapter' && !adapter) throw new Error('This run has no LoRA adapters to export.');
  const out = adapter ?? modelFolderFiles(model, await trainer.weights());
  const encoder = new TextEncoder();
  return [...out].map(([name, content]) => [name, typeof content === 'string' ? encoder.encode(content) : content]);
}
