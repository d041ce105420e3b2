// `grpo-playground eval`: score the model greedily on the task's held-out rows, print a per-criterion table.
import { envJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import { Trainer } from '../rl/trainer.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { loadRunConfig, type ConfigFlags } from './load-config.ts';
import { loadModel, modelLabel } from './models.ts';

export interface EvalFlags extends ConfigFlags {
  backend: BackendChoice;
  model?: string;
  samples?: number;
}

export async function evalCommand(flags: EvalFlags): Promise<void> {
  let config = await loadRunConfig(flags);
  if (flags.samples) config = { ...config, task: { ...config.task, evalSize: flags.samples } };
  const backend = await createBackend(flags.backend);
  const loaded = await loadModel(config.model.id, flags.model);
  const trainer = await Trainer.create(config, loaded, backend, { judgeKey: envJudgeKeyProvider(process.env) });
  const { metrics, samples } = await trainer.evaluate();
  const rows = Object.entries(metrics).map(([k, v]) => `${k.padEnd(40)} ${v.toFixed(4)}`);
  console.log(`model ${modelLabel(config.model.id, flags.model)} | task ${config.task.name} | ${samples.length} held-out rows (greedy)`);
  console.log(rows.join('\n'));
  for (const s of samples.slice(0, 5)) console.log(`  ${JSON.stringify(s.prompt)} -> ${JSON.stringify(s.completion)} (answer ${s.answer}, reward ${s.reward.toFixed(2)})`);
}
