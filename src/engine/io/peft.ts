// LoRA exports. A PEFT adapter folder (adapter_config.json + adapter_model.safetensors, loadable with
// peft.PeftModel.from_pretrained(base, folder)): tensors named as PEFT saves them,
// base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight [r, in] and ...lora_B.weight [out, r] (our Bt
// transposed back). Or the merged model, W + (alpha/r) B A, as a plain Hugging Face folder (model-folder.ts).
import { loraMerge } from '../cpu/lora.ts';
import { PEFT_MODULE, peftTensorName, type LoraLayout } from '../lora.ts';
import { paramEntry, type ParamLayout } from '../params.ts';
import { modelFolderFiles, type LoadedModel } from './model-folder.ts';
import { serializeSafetensors, type TensorToWrite } from './safetensors.ts';

export const PEFT_CONFIG = 'adapter_config.json';
export const PEFT_WEIGHTS = 'adapter_model.safetensors';

function checkAdapter(layout: LoraLayout, adapter: Float32Array): void {
  if (adapter.length !== layout.total) throw new RangeError(`adapter has ${adapter.length} floats, its layout needs ${layout.total}`);
}

/**
 * adapter_config.json as PEFT's LoraConfig reads it: only fields PEFT has had since 0.7 (older versions reject
 * unknown keys), no dropout (the playground trains without it), bias "none" (biases stay frozen).
 */
export function peftAdapterConfig(layout: LoraLayout, baseModel: string): Record<string, unknown> {
  const modules = layout.options.targets.map((t) => PEFT_MODULE[t].split('.')[1]);
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    revision: null,
    r: layout.options.rank,
    lora_alpha: layout.options.alpha,
    lora_dropout: 0,
    target_modules: modules,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    use_rslora: false,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

/** The two files of a PEFT adapter folder. `baseModel` is what the adapter was trained on (a Hub id or a path). */
export function peftAdapterFiles(layout: LoraLayout, adapter: Float32Array, baseModel: string): Map<string, Uint8Array | string> {
  checkAdapter(layout, adapter);
  const r = layout.options.rank;
  const tensors: TensorToWrite[] = [];
  for (const e of layout.entries) {
    const Bt = adapter.subarray(e.bOffset, e.bOffset + r * e.OC);
    const B = new Float32Array(e.OC * r);
    for (let j = 0; j < r; j++) for (let o = 0; o < e.OC; o++) B[o * r + j] = Bt[j * e.OC + o];
    tensors.push({ name: peftTensorName(e.layer, e.kind, 'A'), shape: [r, e.C], data: adapter.slice(e.aOffset, e.aOffset + r * e.C) });
    tensors.push({ name: peftTensorName(e.layer, e.kind, 'B'), shape: [e.OC, r], data: B });
  }
  const files = new Map<string, Uint8Array | string>();
  files.set(PEFT_CONFIG, JSON.stringify(peftAdapterConfig(layout, baseModel), null, 2) + '\n');
  files.set(PEFT_WEIGHTS, serializeSafetensors(tensors, { format: 'pt' }));
  return files;
}

/** Base weights (params.ts layout) with every adapter merged in: W += (alpha/r) B A. Returns a new buffer. */
export function mergeLora(base: Float32Array, paramLayout: ParamLayout, layout: LoraLayout, adapter: Float32Array): Float32Array {
  checkAdapter(layout, adapter);
  const out = base.slice();
  const r = layout.options.rank;
  for (const e of layout.entries) {
    const w = paramEntry(paramLayout, paramLayout.layers[e.layer][e.kind]);
    const A = adapter.subarray(e.aOffset, e.aOffset + r * e.C);
    const Bt = adapter.subarray(e.bOffset, e.bOffset + r * e.OC);
    loraMerge(out.subarray(w.offset, w.offset + w.size), A, Bt, e.C, e.OC, r, layout.scale);
  }
  return out;
}

/**
 * The merged model as a Hugging Face folder. `base` defaults to the loaded weights; pass the weights as the run
 * held them (e.g. rounded to bf16 when the frozen base lived in half precision) so the export is the trained model.
 */
export function mergedModelFiles(
  m: LoadedModel,
  layout: LoraLayout,
  adapter: Float32Array,
  base: Float32Array = m.params,
): Map<string, Uint8Array | string> {
  return modelFolderFiles(m, mergeLora(base, m.layout, layout, adapter));
}
