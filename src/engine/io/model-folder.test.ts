import { describe, expect, it } from 'vitest';
import { createTinyModel, loadModelFolder, modelFolderFiles, ModelFolderError, type LoadedModel } from './model-folder.ts';
import { memorySource } from './sources.ts';
import { SafetensorsError, parseSafetensors, serializeSafetensors } from './safetensors.ts';
import type { ModelConfig } from '../config.ts';
import { CHATML_TEMPLATE } from '../chat.ts';

/** Index of the first float whose bits differ, or -1 (much faster than toEqual on big typed arrays). */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

const roundTrip = (m: LoadedModel) => loadModelFolder(memorySource(modelFolderFiles(m)));

async function expectRejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, pattern: RegExp) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message).toMatch(pattern);
}

/** The folder's files with model.safetensors rewritten by `edit` over its decoded tensors. */
function editWeights(m: LoadedModel, edit: (t: { name: string; shape: number[]; data: Float32Array }[]) => typeof t) {
  const files = modelFolderFiles(m);
  const tensors = [...parseSafetensors(files.get('model.safetensors') as Uint8Array)].map(([name, t]) => ({ name, shape: t.shape, data: t.data }));
  files.set('model.safetensors', serializeSafetensors(edit(tensors), { format: 'pt' }));
  return files;
}

const variants: [string, Partial<ModelConfig>, string[]][] = [
  ['tied llama', {}, []],
  ['untied llama', { tie_word_embeddings: false }, ['lm_head.weight']],
  ['qwen2 (qkv bias)', { model_type: 'qwen2', tie_word_embeddings: true }, ['model.layers.0.self_attn.q_proj.bias', 'model.layers.1.self_attn.v_proj.bias']],
  [
    'qwen3 (q/k norm, explicit head_dim)',
    { model_type: 'qwen3', head_dim: 32, tie_word_embeddings: true },
    ['model.layers.0.self_attn.q_norm.weight', 'model.layers.1.self_attn.k_norm.weight'],
  ],
];

describe('model folder round trip', () => {
  for (const [label, config, expectedNames] of variants) {
    it(`${label}: createTinyModel -> files -> loadModelFolder gives the same config and bit-identical params`, async () => {
      const m = createTinyModel({ seed: 7, config });
      for (const name of expectedNames) expect(m.layout.byName.has(name)).toBe(true);
      const loaded = await roundTrip(m);
      expect(loaded.config).toEqual(m.config);
      expect(loaded.layout.total).toBe(m.layout.total);
      expect(firstBitDifference(loaded.params, m.params)).toBe(-1);
      expect(loaded.chatTemplate).toBe(CHATML_TEMPLATE);
      expect(loaded.tokenizer.encode('<|im_start|>hi<answer>')).toEqual(m.tokenizer.encode('<|im_start|>hi<answer>'));
      const tensorNames = [...parseSafetensors(modelFolderFiles(m).get('model.safetensors') as Uint8Array).keys()];
      expect(tensorNames.includes('lm_head.weight')).toBe(config.tie_word_embeddings === false);
    });
  }

  it('qwen3 keeps q/k projections at NH*head_dim, not hidden_size', () => {
    const m = createTinyModel({ seed: 1, config: { model_type: 'qwen3', head_dim: 32 } });
    expect(m.layout.byName.get('model.layers.0.self_attn.q_proj.weight')!.shape).toEqual([4 * 32, 64]);
    expect(m.layout.byName.get('model.layers.0.self_attn.q_norm.weight')!.shape).toEqual([32]);
    expect(m.config.architectures).toEqual(['Qwen3ForCausalLM']);
  });

  it('writes trained params when given, and a transformers-ready config.json', async () => {
    const m = createTinyModel({ seed: 3 });
    const trained = m.params.map((x) => x * 2);
    const files = modelFolderFiles(m, trained);
    const loaded = await loadModelFolder(memorySource(files));
    expect(firstBitDifference(loaded.params, trained)).toBe(-1);
    const cfg = JSON.parse(files.get('config.json') as string);
    expect(cfg).toMatchObject({ model_type: 'llama', architectures: ['LlamaForCausalLM'], torch_dtype: 'float32', head_dim: 16, tie_word_embeddings: true });
    expect(cfg).toMatchObject({ eos_token_id: 2, pad_token_id: 0, bos_token_id: null, vocab_size: 103 });
    expect(JSON.parse(files.get('tokenizer_config.json') as string).chat_template).toBe(CHATML_TEMPLATE);
  });
});

describe('createTinyModel', () => {
  it('is deterministic for a seed and initialises like transformers', () => {
    const a = createTinyModel({ seed: 42, config: { model_type: 'qwen2' } });
    const b = createTinyModel({ seed: 42, config: { model_type: 'qwen2' } });
    const c = createTinyModel({ seed: 43, config: { model_type: 'qwen2' } });
    expect(firstBitDifference(a.params, b.params)).toBe(-1);
    expect(firstBitDifference(a.params, c.params)).not.toBe(-1);
    const slice = (name: string) => {
      const e = a.layout.byName.get(name)!;
      return a.params.subarray(e.offset, e.offset + e.size);
    };
    expect(slice('model.norm.weight').every((x) => x === 1)).toBe(true);
    expect(slice('model.layers.0.input_layernorm.weight').every((x) => x === 1)).toBe(true);
    expect(slice('model.layers.0.self_attn.q_proj.bias').every((x) => x === 0)).toBe(true);
    const w = slice('model.embed_tokens.weight');
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
  });

  it('fills config defaults and ids from the tokenizer', () => {
    const m = createTinyModel({ seed: 0, extraTokens: ['<tool>'] });
    expect(m.config).toMatchObject({
      model_type: 'llama',
      vocab_size: 100,
      hidden_size: 64,
      intermediate_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      max_position_embeddings: 256,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      tie_word_embeddings: true,
      eos_token_id: 2,
      pad_token_id: 0,
      bos_token_id: null,
      architectures: ['LlamaForCausalLM'],
      torch_dtype: 'float32',
    });
    expect(m.tokenizer.idOf('<tool>')).toBe(99);
  });
});

describe('loadModelFolder errors', () => {
  const m = createTinyModel({ seed: 5, config: { tie_word_embeddings: false } });

  it('names a truncated or corrupt model.safetensors', async () => {
    const files = modelFolderFiles(m);
    const bytes = files.get('model.safetensors') as Uint8Array;
    files.set('model.safetensors', bytes.subarray(0, bytes.length - 100));
    await expectRejects(loadModelFolder(memorySource(files)), SafetensorsError, /^model\.safetensors in in-memory model folder: file is truncated/);
    files.set('model.safetensors', new TextEncoder().encode('<!doctype html>'));
    await expectRejects(loadModelFolder(memorySource(files)), SafetensorsError, /model\.safetensors .*header length \d+ is beyond the end/);
  });

  it('names the missing fields of config.json', async () => {
    const files = modelFolderFiles(m);
    const cfg = JSON.parse(files.get('config.json') as string);
    delete cfg.hidden_size;
    delete cfg.vocab_size;
    files.set('config.json', JSON.stringify(cfg));
    await expectRejects(loadModelFolder(memorySource(files)), ModelFolderError, /invalid config\.json .*missing numeric field\(s\): vocab_size, hidden_size/);
    files.set('config.json', '{ not json');
    await expectRejects(loadModelFolder(memorySource(files)), ModelFolderError, /config\.json in in-memory model folder is not valid JSON/);
    files.delete('config.json');
    await expectRejects(loadModelFolder(memorySource(files)), Error, /config\.json not found in in-memory model folder/);
  });

  it('names a missing lm_head when embeddings are untied', async () => {
    const files = editWeights(m, (ts) => ts.filter((t) => t.name !== 'lm_head.weight'));
    await expectRejects(loadModelFolder(memorySource(files)), ModelFolderError, /missing tensor\(s\) lm_head\.weight \(config\.json has tie_word_embeddings false/);
  });

  it('names a missing tensor and a tensor of the wrong shape', async () => {
    const name = 'model.layers.1.mlp.up_proj.weight';
    await expectRejects(
      loadModelFolder(memorySource(editWeights(m, (ts) => ts.filter((t) => t.name !== name)))),
      ModelFolderError,
      new RegExp(`model\\.safetensors in .* is missing tensor\\(s\\) ${name.replaceAll('.', '\\.')}$`),
    );
    const reshaped = editWeights(m, (ts) => ts.map((t) => (t.name === name ? { ...t, shape: [t.shape[1], t.shape[0]] } : t)));
    await expectRejects(loadModelFolder(memorySource(reshaped)), ModelFolderError, /tensor model\.layers\.1\.mlp\.up_proj\.weight in model\.safetensors has shape \[64, 128\], but config\.json implies \[128, 64\]/);
  });

  it('ignores tensors the layout does not know, and a stored lm_head of a tied model', async () => {
    const tied = createTinyModel({ seed: 9 });
    const files = editWeights(tied, (ts) => [
      ...ts,
      { name: 'model.layers.0.self_attn.rotary_emb.inv_freq', shape: [8], data: new Float32Array(8) },
      { name: 'lm_head.weight', shape: [103, 64], data: new Float32Array(103 * 64) },
    ]);
    expect(firstBitDifference((await loadModelFolder(memorySource(files))).params, tied.params)).toBe(-1);
  });

  it('rejects a folder without weights, and a tokenizer larger than vocab_size', async () => {
    const files = modelFolderFiles(m);
    files.delete('model.safetensors');
    await expectRejects(loadModelFolder(memorySource(files)), ModelFolderError, /no model\.safetensors or model\.safetensors\.index\.json/);
    const small = modelFolderFiles(m);
    small.set('config.json', JSON.stringify({ ...m.config, vocab_size: 50 }));
    await expectRejects(loadModelFolder(memorySource(small)), ModelFolderError, /tokenizer\.json has 103 tokens but config\.json vocab_size is 50/);
  });
});

describe('loadModelFolder sources', () => {
  it('loads a sharded folder (index.json + 2 shards)', async () => {
    const m = createTinyModel({ seed: 11, config: { model_type: 'qwen2', tie_word_embeddings: false } });
    const files = modelFolderFiles(m);
    const tensors = [...parseSafetensors(files.get('model.safetensors') as Uint8Array)].map(([name, t]) => ({ name, shape: t.shape, data: t.data }));
    files.delete('model.safetensors');
    const half = Math.floor(tensors.length / 2);
    const shards = [tensors.slice(0, half), tensors.slice(half)];
    const weightMap: Record<string, string> = {};
    shards.forEach((shard, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      files.set(file, serializeSafetensors(shard, { format: 'pt' }));
      for (const t of shard) weightMap[t.name] = file;
    });
    files.set('model.safetensors.index.json', JSON.stringify({ metadata: { total_size: 4 * m.layout.count }, weight_map: weightMap }));
    const progress: string[] = [];
    const loaded = await loadModelFolder(memorySource(files), (msg) => progress.push(msg));
    expect(firstBitDifference(loaded.params, m.params)).toBe(-1);
    expect(progress.some((p) => p.includes('model-00002-of-00002.safetensors'))).toBe(true);

    // A shard that lacks a tensor its index promised is reported.
    files.set('model-00002-of-00002.safetensors', serializeSafetensors(shards[1].slice(1), { format: 'pt' }));
    await expectRejects(loadModelFolder(memorySource(files)), ModelFolderError, /the shards of model\.safetensors\.index\.json .* is missing tensor/);
  });

  it('prefers chat_template.jinja over tokenizer_config.json', async () => {
    const m = createTinyModel({ seed: 2 });
    const files = modelFolderFiles(m);
    files.set('chat_template.jinja', '{{ messages[0].content }}');
    expect((await loadModelFolder(memorySource(files))).chatTemplate).toBe('{{ messages[0].content }}');
  });
});
