// The trained model of a checkpointed run as a Hugging Face folder (config.json, model.safetensors, tokenizer
// files): the run's model is loaded, the checkpoint restored into a trainer, and its weights written the way the
// CLI's --out writes them (for a LoRA run, the base with the adapters merged in: Trainer.weights()).
import type { RunConfig } from '../rl/config/schema.ts';
import { modelFolderFiles } from '../engine/io/model-folder.ts';
import { Trainer } from '../rl/trainer.ts';
import type { BackendPreference, CheckpointFiles } from './protocol.ts';
import type { LoadedRun } from './run-loop.ts';
import { readCheckpointFiles } from './checkpoint-saver.ts';

type Load = (config: RunConfig, preference: BackendPreference, progress: (message: string) => void) => Promise<LoadedRun>;

export async function exportModelFiles(files: CheckpointFiles, load: Load): Promise<[string, Uint8Array][]> {
  const checkpoint = readCheckpointFiles(files);
  // The CPU backend: an export must not compete with a training run for the GPU, and its weights are exact.
  const { model, backend } = await load(checkpoint.config, 'cpu', () => {});
  const trainer = await Trainer.create(checkpoint.config, model, backend);
  trainer.restoreState(checkpoint.state);
  const out = modelFolderFiles(model, await trainer.weights());
  const encoder = new TextEncoder();
  return [...out].map(([name, content]) => [name, typeof content === 'string' ? encoder.encode(content) : content]);
}
