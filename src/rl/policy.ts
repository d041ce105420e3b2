// The policy a run trains, per mode: full fine-tuning (the loaded weights, all trainable, and a separate frozen copy
// as the KL reference when beta > 0) or LoRA (run config `lora`: adapters on the frozen base, on WebGPU held in
// lora.baseDtype; the reference is the same model with adapters off). Also what a run exports: the weights in the
// loaded model's layout (merged under LoRA) and, under LoRA, the PEFT adapter folder.
import type { Backend, TensorLike } from '../engine/backend.ts';
import type { HalfFormat } from '../engine/half.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import { mergeLora, peftAdapterFiles } from '../engine/io/peft.ts';
import { buildLoraLayout, heldBaseWeights, initLoraParams, LoraAdapters } from '../engine/lora.ts';
import { Model, type ReferenceModel } from '../engine/model.ts';
import type { WebGpuBackend } from '../engine/webgpu/backend.ts';
import { uploadHalfFrozenBase } from '../engine/webgpu/half-frozen.ts';
import type { RunConfig } from './config/schema.ts';

export interface Policy<F extends TensorLike, I extends TensorLike> {
  model: Model<F, I>;
  reference: ReferenceModel<F, I> | null;
}

/** The dtype the frozen base is held in on this backend (the CPU always keeps f32). */
export function baseDtypeOn(config: RunConfig, backend: { name: 'cpu' | 'webgpu' }): 'f32' | HalfFormat {
  return config.lora && backend.name === 'webgpu' ? config.lora.baseDtype : 'f32';
}

export async function buildPolicy<F extends TensorLike, I extends TensorLike>(config: RunConfig, loaded: LoadedModel, backend: Backend<F, I>): Promise<Policy<F, I>> {
  const upload = () => {
    const t = backend.allocFloat(loaded.layout.total);
    backend.uploadFloat(t, loaded.params);
    return t;
  };
  if (!config.lora) {
    const model = new Model(backend, loaded.layout, upload());
    return { model, reference: config.grpo.beta > 0 ? new Model(backend, loaded.layout, upload()) : null };
  }
  const layout = buildLoraLayout(loaded.layout.dims, config.lora);
  const ap = backend.allocFloat(layout.total);
  backend.uploadFloat(ap, initLoraParams(layout, config.seed));
  const adapters = new LoraAdapters(backend, layout, ap);
  const dtype = baseDtypeOn(config, backend);
  let model: Model<F, I>;
  if (dtype === 'f32') {
    model = new Model(backend, loaded.layout, upload(), { adapters });
  } else {
    // Only the WebGPU backend holds a half-precision base (baseDtypeOn); its tensors are GpuTensors, F here.
    const base = await uploadHalfFrozenBase(backend as unknown as WebGpuBackend, loaded.layout, loaded.params, dtype);
    model = new Model(backend, base.layout, base.params as unknown as F, { adapters, frozen: base.frozen as never });
  }
  return { model, reference: config.grpo.beta > 0 ? model.adaptersOffReference() : null };
}

/** The base weights as the run holds them, in the loaded model's layout (bf16/f16-rounded projections if so held). */
export function heldBase(config: RunConfig, loaded: LoadedModel, backend: { name: 'cpu' | 'webgpu' }): Float32Array {
  const dtype = baseDtypeOn(config, backend);
  return dtype === 'f32' ? loaded.params : heldBaseWeights(loaded.layout, loaded.params, dtype);
}

/** The trained weights in the loaded model's layout: the flat buffer, or (LoRA) the held base with the adapters merged. */
export async function policyWeights<F extends TensorLike, I extends TensorLike>(model: Model<F, I>, config: RunConfig, loaded: LoadedModel): Promise<Float32Array> {
  if (!model.lora) return model.backend.readFloat(model.params);
  const adapter = await model.backend.readFloat(model.lora.params);
  return mergeLora(heldBase(config, loaded, model.backend), loaded.layout, model.lora.layout, adapter);
}

/** The PEFT adapter folder of a LoRA run (null for full fine-tuning). */
export async function peftAdapter<F extends TensorLike, I extends TensorLike>(model: Model<F, I>, baseModel: string): Promise<Map<string, Uint8Array | string> | null> {
  if (!model.lora) return null;
  return peftAdapterFiles(model.lora.layout, await model.backend.readFloat(model.lora.params), baseModel);
}
