// `train --out` on a LoRA run writes the PEFT adapter, `--merged-out` the merged Hugging Face folder; real processes,
// real files. The files are read back by NumPy (peft-numpy-check.ts: its own safetensors parser), which recomputes
// W + (alpha/r) B A from the adapter and the bundled base and compares it with the merged folder; the merged folder
// loads and evaluates to the run's final eval line. A full run refuses --merged-out with one line.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { hasNumpy, numpyMergeCheck } from '../engine/io/peft-numpy-check.ts';
import { defaultRunConfig } from '../rl/config/schema.ts';
import { Trainer } from '../rl/trainer.ts';
import { PACKAGE_ROOT } from './models.ts';
import { runCli } from './testing/run-cli.ts';
import { peftBaseModel } from './train.ts';



describe('grpo-playground train --out on a LoRA run', () => {
  it('writes the PEFT adapter to --out and the merged model to --merged-out; NumPy recomputes the merge', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grpo-lora-out-'));
    const config = defaultRunConfig();
    Object.assign(config.grpo, { promptsPerStep: 2, groupSize: 4, learningRate: 3e-2 });
    config.task.evalSize = 4;
    config.steps = 2;
    config.lora = { rank: 2, alpha: 4, targets: ['q', 'v', 'down'], dropout: 0, baseDtype: 'bf16' };
    const file = join(dir, 'run.json');
    await writeFile(file, JSON.stringify(config));
    const [adapterDir, mergedDir] = [join(dir, 'adapter'), join(dir, 'merged')];
    const r = await runCli(['train', '--config', file, '--backend', 'cpu', '--quiet', '--log', join(dir, 'log.jsonl'), '--out', adapterDir, '--merged-out', mergedDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote the LoRA adapter (PEFT format) to ${adapterDir}`);
    expect((await readdir(adapterDir)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const cfg = JSON.parse(await readFile(join(adapterDir, 'adapter_config.json'), 'utf8'));
    expect(cfg).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 4, target_modules: ['q_proj', 'v_proj', 'down_proj'], base_model_name_or_path: config.model.id });

    // The merged folder is a model: loaded afresh it reproduces the run's final eval line.
    const log = (await readFile(join(dir, 'log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const last = log.at(-1);
    expect(last.type).toBe('eval');
    const merged = await loadModelFolder(nodeDirSource(mergedDir));
    const e = await (await Trainer.create({ ...config, lora: undefined }, merged, new CpuBackend())).evaluate();
    expect(e.metrics['eval/reward']).toBeCloseTo(last['eval/reward'], 6);

    if (!hasNumpy()) {
      if (process.env.CI) throw new Error('/usr/bin/python3 with numpy is missing (apt-get install -y python3-numpy)');
      console.warn('\n!!! SKIPPING the NumPy cross-check of train --out/--merged-out: /usr/bin/python3 with numpy not found\n');
      return;
    }
    const check = numpyMergeCheck(adapterDir, join(PACKAGE_ROOT, 'public', 'models', config.model.id), mergedDir);
    // 2 layers x 3 projections; the CPU keeps the base in f32, so the merge is exact up to f32 rounding
    expect(check).toMatchObject({ pairs: 2 * 3, r: 2, peft_type: 'LORA' });
    expect(check.update, 'the adapters trained (B is no longer zero)').toBeGreaterThan(1e-6);
    expect(check.worst).toBeLessThan(1e-6);
  });

  it('a full fine-tuning run refuses --merged-out with one line', async () => {
    const r = await runCli(['train', '--preset', 'arithmetic', '--steps', '1', '--backend', 'cpu', '--quiet', '--merged-out', join(tmpdir(), 'never')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--merged-out is for LoRA runs/);
  });

  it('names the adapter\'s base as PEFT expects it', () => {
    expect(peftBaseModel('tiny-arith')).toBe('tiny-arith');
    expect(peftBaseModel('hf:Qwen/Qwen2.5-0.5B-Instruct@main')).toBe('Qwen/Qwen2.5-0.5B-Instruct');
    expect(peftBaseModel('tiny-arith', '/models/mine')).toBe('/models/mine');
    expect(peftBaseModel('tiny-arith', 'hf:HuggingFaceTB/SmolLM2-135M')).toBe('HuggingFaceTB/SmolLM2-135M');
  });
});
