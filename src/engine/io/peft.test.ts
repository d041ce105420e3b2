// LoRA exports: the PEFT adapter files parse with an independent safetensors reader (a dozen lines below, not
// safetensors.ts; and NumPy through /usr/bin/python3 where it exists (peft-numpy-check.ts), which also recomputes W + (alpha/r) B A from
// the adapter file and the base file and compares it with our merged file), and the merged model's forward equals
// the adapted model's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu/backend.ts';
import { expectClose } from '../cpu/testing.ts';
import { buildLoraLayout, initLoraParams, LoraAdapters, peftTensorName } from '../lora.ts';
import { Model } from '../model.ts';
import { Rng } from '../rng.ts';
import { createTinyModel, modelFolderFiles } from './model-folder.ts';
import { mergedModelFiles, mergeLora, peftAdapterFiles, PEFT_CONFIG, PEFT_WEIGHTS } from './peft.ts';
import { hasNumpy, numpyMergeCheck } from './peft-numpy-check.ts';

/** An independent reader: u64 header length, JSON header, raw little-endian F32 data. */
function readF32Safetensors(bytes: Uint8Array): Map<string, { shape: number[]; data: Float32Array }> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    expect(t.dtype).toBe('F32');
    const [b, e] = t.data_offsets;
    const data = new Float32Array(bytes.slice(8 + n + b, 8 + n + e).buffer);
    expect(data.length).toBe(t.shape.reduce((a, x) => a * x, 1));
    out.set(name, { shape: t.shape, data });
  }
  return out;
}

function writeFolder(dir: string, files: Map<string, Uint8Array | string>): void {
  for (const [name, data] of files) writeFileSync(join(dir, name), data);
}

describe('PEFT export', () => {
  const loaded = createTinyModel({
    config: { model_type: 'qwen2', hidden_size: 8, intermediate_size: 12, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1 },
    seed: 3,
  });
  const lora = buildLoraLayout(loaded.layout.dims, { rank: 3, alpha: 5, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
  // a "trained" adapter: A from init, B random (zero B would make every check below trivial)
  const adapter = initLoraParams(lora, 7);
  const rng = new Rng(8, 8);
  for (const e of lora.entries) for (let i = 0; i < 3 * e.OC; i++) adapter[e.bOffset + i] = 0.3 * rng.normal();

  it('writes PEFT names and shapes, lora_B as [out, r]; an independent reader gets the values back', () => {
    const files = peftAdapterFiles(lora, adapter, 'HuggingFaceTB/SmolLM2-135M');
    const cfg = JSON.parse(files.get(PEFT_CONFIG) as string);
    expect(cfg).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 3, lora_alpha: 5, lora_dropout: 0, bias: 'none' });
    expect(cfg.target_modules).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
    const t = readF32Safetensors(files.get(PEFT_WEIGHTS) as Uint8Array);
    expect(t.size).toBe(2 * lora.entries.length);
    const a = t.get('base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight')!;
    const b = t.get('base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight')!;
    const e = lora.entries.find((x) => x.layer === 1 && x.kind === 'k')!;
    expect(a.shape).toEqual([3, e.C]);
    expect(b.shape).toEqual([e.OC, 3]);
    expect(Array.from(a.data)).toEqual(Array.from(adapter.subarray(e.aOffset, e.aOffset + 3 * e.C)));
    // B[o, j] = Bt[j, o]
    expect(b.data[2 * 3 + 1]).toBe(adapter[e.bOffset + 1 * e.OC + 2]);
    expect(t.has(peftTensorName(0, 'down', 'B'))).toBe(true);
  });

  it('the merged model computes what the adapted model computes', async () => {
    const be = new CpuBackend({ threads: 1 });
    const adapted = new Model(be, loaded.layout, loaded.params.slice(), { adapters: new LoraAdapters(be, lora, adapter.slice()) });
    const merged = new Model(be, loaded.layout, mergeLora(loaded.params, loaded.layout, lora, adapter));
    const base = new Model(be, loaded.layout, loaded.params.slice());
    const [B, T] = [2, 6];
    const tokens = Int32Array.from({ length: B * T }, () => rng.int(loaded.config.vocab_size));
    const targets = Int32Array.from({ length: B * T }, () => rng.int(loaded.config.vocab_size));
    const want = (await adapted.forwardLogprobs(tokens, targets, B, T)).logp;
    expectClose('merged vs adapted log-probs', (await merged.forwardLogprobs(tokens, targets, B, T)).logp, want, 1e-5);
    const plain = (await base.forwardLogprobs(tokens, targets, B, T)).logp;
    expect(plain.some((x, i) => Math.abs(x - want[i]) > 1e-3), 'the adapter matters').toBe(true);
  });

  it('NumPy recomputes the merge from the exported files (where /usr/bin/python3 has NumPy)', () => {
    if (!hasNumpy()) {
      // CI installs it (scripts/ensure-chromium.mjs): there a missing NumPy is a failure, not a skip.
      if (process.env.CI) throw new Error('/usr/bin/python3 with numpy is missing (apt-get install -y python3-numpy)');
      console.warn('\n!!! SKIPPING the NumPy cross-check of the PEFT export: /usr/bin/python3 with numpy not found (apt-get install python3-numpy)\n');
      return;
    }
    const root = mkdtempSync(join(tmpdir(), 'peft-'));
    try {
      const dirs = ['adapter', 'base', 'merged'].map((d) => join(root, d));
      for (const d of dirs) execFileSync('mkdir', ['-p', d]);
      writeFolder(dirs[0], peftAdapterFiles(lora, adapter, 'base'));
      writeFolder(dirs[1], modelFolderFiles(loaded));
      writeFolder(dirs[2], mergedModelFiles(loaded, lora, adapter));
      const out = numpyMergeCheck(dirs[0], dirs[1], dirs[2]);
      expect(out).toMatchObject({ pairs: lora.entries.length, r: 3, peft_type: 'LORA' });
      expect(out.worst).toBeLessThan(1e-5);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
