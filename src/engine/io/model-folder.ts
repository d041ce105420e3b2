// Hugging Face-format model folders: config.json, model.safetensors (or model.safetensors.index.json + shards),
// tokenizer.json, tokenizer_config.json (chat template inline or in chat_template.jinja). Loading places every
// tensor into the flat parameter buffer of params.ts; writing produces a folder Python transformers loads as is.
// Also builds the randomly initialised tiny models the playground bundles.
import { ConfigError, modelDims, parseModelConfig, type ModelConfig } from '../config.ts';
import { buildParamLayout, type ParamLayout } from '../params.ts';
import { Rng, Stream } from '../rng.ts';
import { Tokenizer, TokenizerError, buildCharTokenizer } from '../tokenizer.ts';
import { CHATML_TEMPLATE } from '../chat.ts';
import { SafetensorsError, decodeTensorInto, readSafetensorsHeader, serializeSafetensors } from './safetensors.ts';
import type { FileSource } from './sources.ts';

export class ModelFolderError extends Error {
  override name = 'ModelFolderError';
}

export interface LoadedModel {
  config: ModelConfig;
  layout: ParamLayout;
  params: Float32Array; // length layout.total, laid out per params.ts
  tokenizer: Tokenizer;
  tokenizerJson: object;
  tokenizerConfig: object;
  chatTemplate: string;
  /** generation_config.json as read (written back on export), where the folder has one. */
  generationConfig?: object;
}

type Json = Record<string, unknown>;
type Progress = (msg: string) => void;

const SINGLE = 'model.safetensors';
const GENERATION_CONFIG = 'generation_config.json';
const INDEX = 'model.safetensors.index.json';

async function readJson(src: FileSource, name: string): Promise<Json> {
  const text = await src.readText(name);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ModelFolderError(`${name} in ${src.describe} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFolderError(`${name} in ${src.describe} is not a JSON object`);
  }
  return value as Json;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function readWithProgress(src: FileSource, name: string, onProgress?: Progress): Promise<Uint8Array> {
  let lastReported = -1;
  return src.readBytes(name, {
    onProgress: (loaded, total) => {
      if (!onProgress) return;
      const pct = total ? Math.floor((100 * loaded) / total) : Math.floor(loaded / 5e7);
      if (pct === lastReported) return;
      lastReported = pct;
      onProgress(total ? `reading ${name}: ${mb(loaded)} / ${mb(total)}` : `reading ${name}: ${mb(loaded)}`);
    },
  });
}

/** Pick the chat template: chat_template.jinja wins (newer transformers save it there), then tokenizer_config. */
async function readChatTemplate(src: FileSource, tokenizerConfig: Json, onProgress?: Progress): Promise<string> {
  if (await src.has('chat_template.jinja')) return src.readText('chat_template.jinja');
  const t = tokenizerConfig.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    // Several named templates: [{name: 'default', template: '…'}, {name: 'tool_use', …}]
    const named = t as { name?: string; template?: string }[];
    const chosen = named.find((x) => x.name === 'default') ?? named[0];
    if (typeof chosen?.template === 'string') return chosen.template;
  }
  onProgress?.('no chat template in tokenizer_config.json; using ChatML');
  return CHATML_TEMPLATE;
}

/** Read a model folder: config, tokenizer, chat template and weights (converted to float32). */
export async function loadModelFolder(src: FileSource, onProgress?: Progress): Promise<LoadedModel> {
  onProgress?.(`reading config.json from ${src.describe}`);
  let config: ModelConfig;
  try {
    config = parseModelConfig(await readJson(src, 'config.json'));
  } catch (e) {
    if (e instanceof ConfigError) throw new ModelFolderError(`invalid config.json in ${src.describe}: ${e.message}`, { cause: e });
    throw e;
  }
  const layout = buildParamLayout(config);

  onProgress?.('reading tokenizer');
  const tokenizerJson = await readJson(src, 'tokenizer.json');
  const tokenizerConfig = await readJson(src, 'tokenizer_config.json');
  const eosFromConfig = Array.isArray(config.eos_token_id) ? config.eos_token_id[0] : config.eos_token_id;
  const generationConfig = (await src.has(GENERATION_CONFIG)) ? await readJson(src, GENERATION_CONFIG) : undefined;
  let tokenizer: Tokenizer;
  try {
    tokenizer = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig, {
      eosTokenId: eosFromConfig ?? undefined,
      stopTokenIds: stopIdsOf(generationConfig, config, src.describe),
    });
  } catch (e) {
    if (e instanceof TokenizerError) throw new ModelFolderError(`${e.message} (in ${src.describe})`, { cause: e });
    throw e;
  }
  if (tokenizer.vocabSize > config.vocab_size) {
    throw new ModelFolderError(
      `tokenizer.json has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocab_size} (in ${src.describe})`,
    );
  }
  const chatTemplate = await readChatTemplate(src, tokenizerConfig, onProgress);

  const params = await loadWeights(src, layout, onProgress);
  onProgress?.(`loaded ${layout.count.toLocaleString('en-US')} parameters`);
  return { config, layout, params, tokenizer, tokenizerJson, tokenizerConfig, chatTemplate, ...(generationConfig ? { generationConfig } : {}) };
}

/**
 * The ids transformers' generate stops on: generation_config.json's eos_token_id (an int or a list) when the
 * folder has one, else config.json's (GenerationConfig.from_model_config). The tokenizer adds its own eos.
 */
function stopIdsOf(generationConfig: Json | undefined, config: ModelConfig, where: string): number[] {
  const raw = generationConfig && 'eos_token_id' in generationConfig ? generationConfig.eos_token_id : config.eos_token_id;
  if (raw === undefined || raw === null) return [];
  const ids = Array.isArray(raw) ? raw : [raw];
  if (!ids.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    const file = generationConfig && 'eos_token_id' in generationConfig ? GENERATION_CONFIG : 'config.json';
    throw new ModelFolderError(`${file} in ${where}: eos_token_id must be a token id or a list of token ids, got ${JSON.stringify(raw)}`);
  }
  return ids as number[];
}

/** Which shard holds which tensor: one file, or the weight_map of an index. */
async function weightFiles(src: FileSource): Promise<{ files: string[]; shardOf: (name: string) => string | undefined }> {
  if (await src.has(SINGLE)) return { files: [SINGLE], shardOf: () => SINGLE };
  if (await src.has(INDEX)) {
    const index = await readJson(src, INDEX);
    const map = index.weight_map;
    if (typeof map !== 'object' || map === null || !Object.values(map).every((v) => typeof v === 'string')) {
      throw new ModelFolderError(`${INDEX} in ${src.describe} has no weight_map of tensor name -> file`);
    }
    const weightMap = map as Record<string, string>;
    return { files: [...new Set(Object.values(weightMap))].sort(), shardOf: (name) => weightMap[name] };
  }
  const torch = (await src.has('pytorch_model.bin')) ? ' (pytorch_model.bin is not supported: convert it to safetensors)' : '';
  throw new ModelFolderError(`no ${SINGLE} or ${INDEX} in ${src.describe}${torch}`);
}

async function loadWeights(src: FileSource, layout: ParamLayout, onProgress?: Progress): Promise<Float32Array> {
  const params = new Float32Array(layout.total);
  const { files, shardOf } = await weightFiles(src);
  const found = new Set<string>();
  for (const file of files) {
    // Skip shards that hold nothing the layout needs.
    if (files.length > 1 && !layout.entries.some((e) => shardOf(e.name) === file)) continue;
    const bytes = await readWithProgress(src, file, onProgress);
    try {
      const header = readSafetensorsHeader(bytes);
      for (const info of header.tensors.values()) {
        const entry = layout.byName.get(info.name);
        if (!entry) continue; // e.g. rotary_emb.inv_freq, or lm_head.weight of a tied model
        if (info.shape.length !== entry.shape.length || info.shape.some((s, i) => s !== entry.shape[i])) {
          throw new ModelFolderError(
            `tensor ${info.name} in ${file} has shape [${info.shape.join(', ')}], but config.json implies [${entry.shape.join(', ')}]`,
          );
        }
        decodeTensorInto(bytes, header, info, params.subarray(entry.offset, entry.offset + entry.size));
        found.add(info.name);
      }
    } catch (e) {
      if (e instanceof SafetensorsError) throw new SafetensorsError(`${file} in ${src.describe}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  const missing = layout.entries.filter((e) => !found.has(e.name)).map((e) => e.name);
  if (missing.length) {
    const where = files.length === 1 ? files[0] : `the shards of ${INDEX}`;
    const untied = missing.includes('lm_head.weight') ? ' (config.json has tie_word_embeddings false, so lm_head.weight is required)' : '';
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
    throw new ModelFolderError(`${where} in ${src.describe} is missing tensor(s) ${list}${untied}`);
  }
  return params;
}

/**
 * The files of a model folder for `m` with weights `params` (default m.params): config.json, model.safetensors
 * (F32, HF tensor names, no lm_head when tied), tokenizer.json, tokenizer_config.json with the chat template.
 */
export function modelFolderFiles(m: LoadedModel, params: Float32Array = m.params): Map<string, Uint8Array | string> {
  if (params.length !== m.layout.total) {
    throw new ModelFolderError(`params has ${params.length} floats, the layout needs ${m.layout.total}`);
  }
  const config: Json = { ...m.config, torch_dtype: 'float32' };
  if ('dtype' in config) config.dtype = 'float32'; // newer transformers' name for torch_dtype
  // Qwen3Config defaults head_dim to 128, not hidden_size / heads: always write it.
  config.head_dim = modelDims(m.config).D;
  const tensors = m.layout.entries.map((e) => ({ name: e.name, shape: e.shape, data: params.subarray(e.offset, e.offset + e.size) }));
  const files = new Map<string, Uint8Array | string>();
  files.set('config.json', JSON.stringify(config, null, 2) + '\n');
  // transformers refuses safetensors files without metadata format "pt".
  files.set(SINGLE, serializeSafetensors(tensors, { format: 'pt' }));
  files.set('tokenizer.json', JSON.stringify(m.tokenizerJson));
  files.set('tokenizer_config.json', JSON.stringify({ ...m.tokenizerConfig, chat_template: m.chatTemplate }, null, 2) + '\n');
  if (m.generationConfig) files.set(GENERATION_CONFIG, JSON.stringify(m.generationConfig, null, 2) + '\n');
  return files;
}

const ARCHITECTURES: Record<string, string> = {
  llama: 'LlamaForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
  mistral: 'MistralForCausalLM',
};

export interface TinyModelOptions {
  config?: Partial<ModelConfig>;
  seed: number;
  extraTokens?: string[];
  /** A chat template other than plain ChatML (e.g. CHATML_NO_SYSTEM_TEMPLATE). */
  chatTemplate?: string;
}

/**
 * A freshly initialised model on the character tokenizer. Init follows transformers: linear and embedding weights
 * ~ Normal(0, 0.02), norm weights 1, biases 0, drawn in layout order from Rng(seed, Stream.init).
 */
export function createTinyModel(opts: TinyModelOptions): LoadedModel {
  const { tokenizerJson, tokenizerConfig } = buildCharTokenizer({ extraTokens: opts.extraTokens });
  const tokenizer = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig);
  const modelType = opts.config?.model_type ?? 'llama';
  const raw: Partial<ModelConfig> = {
    architectures: [ARCHITECTURES[modelType] ?? 'LlamaForCausalLM'],
    model_type: modelType,
    vocab_size: tokenizer.vocabSize,
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: true,
    bos_token_id: tokenizer.bosTokenId ?? null,
    eos_token_id: tokenizer.eosTokenId,
    pad_token_id: tokenizer.padTokenId,
    torch_dtype: 'float32',
    ...opts.config,
  };
  if (raw.head_dim === undefined && raw.hidden_size && raw.num_attention_heads) {
    raw.head_dim = raw.hidden_size / raw.num_attention_heads;
  }
  const config = parseModelConfig(raw);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw new ModelFolderError(`vocab_size ${config.vocab_size} is smaller than the tokenizer's ${tokenizer.vocabSize} tokens`);
  }
  const layout = buildParamLayout(config);
  const params = new Float32Array(layout.total);
  const rng = new Rng(opts.seed, Stream.init);
  for (const e of layout.entries) {
    const t = params.subarray(e.offset, e.offset + e.size);
    if (e.shape.length === 2) for (let i = 0; i < t.length; i++) t[i] = 0.02 * rng.normal();
    else if (!e.name.endsWith('.bias')) t.fill(1); // RMSNorm weights; biases stay 0
  }
  return {
    config,
    layout,
    params,
    tokenizer,
    tokenizerJson,
    tokenizerConfig,
    chatTemplate: opts.chatTemplate ?? (tokenizerConfig.chat_template as string),
  };
}
