// Before any timing: do two implementations compute the same thing from the same weights? Compares per-token
// log-probs of a training batch, the gradients of the loss -sum(weights * logp) for every parameter, and the
// logits of greedy KV-cached decoding. The reference is always our CPU backend; the other side is either our
// engine on another backend (WebGPU) or the TF.js model (autograd instead of our explicit backward).
import * as tf from '@tensorflow/tfjs-core';
import type { TensorLike } from '../src/engine/backend.ts';
import type { Model } from '../src/engine/model.ts';
import type { TrainBatch } from './data.ts';
import { oursDecode, type DecodeShape } from './ours.ts';
import { tfGenerateGreedy } from './tfjs-decode.ts';
import { disposeBatch, type TfModel } from './tfjs-model.ts';

/** What our engine produced on the check inputs (computed once on the CPU, compared with every contender). */
export interface OursReference {
  logp: Float32Array; // [N]
  grads: Float32Array; // flat, params.ts layout
  decodeTokens: Int32Array[]; // [R][newTokens]
  decodeLogits: Float32Array[]; // per step [R, V]
}

export interface CheckResult {
  logpMaxAbsDiff: number;
  lossAbsDiff: number; // the loss -sum(weights * logp) of each side
  gradMaxAbsDiff: number;
  gradMaxAbs: number; // the largest |gradient| of the reference, for scale
  decodeLogitsMaxAbsDiff: number; // over steps whose inputs were identical in both
  decodeRowsIdentical: number; // rows whose greedy tokens match all the way
  decodeRows: number;
}

/** Log-probs, gradients (read back from the backend) and greedy decode logits of our model on any backend. */
export async function oursReference<F extends TensorLike, I extends TensorLike>(
  m: Model<F, I>,
  b: TrainBatch,
  B: number,
  T: number,
  prompts: Int32Array[],
  s: DecodeShape,
): Promise<OursReference> {
  m.zeroGrad();
  const { logp } = await m.forwardLogprobs(b.tokens, b.targets, B, T, 1);
  await m.backward(b.weights.map((w) => -w));
  const grads = await m.backend.readFloat(m.grads);
  m.zeroGrad();
  const V = m.dims.V;
  const decodeLogits: Float32Array[] = [];
  // generate() reports the [R, V] logits each row sampled from, row by row.
  const decodeTokens = await oursDecode(m, prompts, s, (t, logits) => {
    decodeLogits[t] = logits.slice(0, prompts.length * s.G * V);
  });
  return { logp, grads, decodeTokens, decodeLogits };
}

const lossOf = (weights: Float32Array, logp: ArrayLike<number>) => {
  let loss = 0;
  for (let n = 0; n < weights.length; n++) loss -= weights[n] * logp[n];
  return loss;
};

/** Our engine on another backend against the CPU reference (same algorithm, different kernels). */
export function compareReferences(ref: OursReference, other: OursReference, weights: Float32Array, V: number): CheckResult {
  let gradMaxAbs = 0;
  for (const x of ref.grads) gradMaxAbs = Math.max(gradMaxAbs, Math.abs(x));
  return {
    logpMaxAbsDiff: maxAbsDiff(ref.logp, other.logp),
    lossAbsDiff: Math.abs(lossOf(weights, ref.logp) - lossOf(weights, other.logp)),
    gradMaxAbsDiff: maxAbsDiff(ref.grads, other.grads),
    gradMaxAbs,
    ...compareDecode(ref, other.decodeTokens, other.decodeLogits, V),
  };
}

/** The TF.js model on the active TF.js backend against the CPU reference. Reads results back asynchronously (webgpu has no dataSync in Node). */
export async function compareWithTf(ref: OursReference, tfm: TfModel, b: TrainBatch, B: number, T: number, prompts: Int32Array[], s: DecodeShape): Promise<CheckResult> {
  const batch = tfm.makeBatch(b.tokens, b.targets, b.weights, B, T);
  const logpT = tf.tidy(() => tfm.logprobs(batch));
  const logpMaxAbsDiff = maxAbsDiff(ref.logp, await logpT.data());
  logpT.dispose();

  const varNames = new Map([...tfm.vars.entries()].map(([hf, v]) => [v.name, hf]));
  const { value, grads } = tf.variableGrads(() => tfm.loss(batch), [...tfm.vars.values()]);
  const lossAbsDiff = Math.abs((await value.data())[0] - lossOf(b.weights, ref.logp));
  let gradMaxAbsDiff = 0;
  let gradMaxAbs = 0;
  for (const [varName, g] of Object.entries(grads)) {
    const e = tfm.layout.byName.get(varNames.get(varName) ?? '');
    if (!e) throw new Error(`gradient for unknown variable ${varName}`);
    const ours = ref.grads.subarray(e.offset, e.offset + e.size);
    gradMaxAbsDiff = Math.max(gradMaxAbsDiff, maxAbsDiff(ours, (await g.data()) as Float32Array));
    for (const x of ours) gradMaxAbs = Math.max(gradMaxAbs, Math.abs(x));
  }
  tf.dispose([value, ...Object.values(grads)]);
  disposeBatch(batch);

  const tfLogits: Float32Array[] = [];
  const tfTokens = await tfGenerateGreedy(tfm, prompts, { ...s, onLogits: (t, l) => (tfLogits[t] = l.slice()) });
  return { logpMaxAbsDiff, lossAbsDiff, gradMaxAbsDiff, gradMaxAbs, ...compareDecode(ref, tfTokens, tfLogits, tfm.dims.V) };
}

/** Decode: compare step t's logits for rows whose tokens so far agree (identical inputs). */
function compareDecode(ref: OursReference, tokens: Int32Array[], logits: Float32Array[], V: number) {
  const R = tokens.length;
  const newTokens = ref.decodeTokens[0]?.length ?? 0;
  let decodeLogitsMaxAbsDiff = 0;
  let decodeRowsIdentical = 0;
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < newTokens; t++) {
      const a = ref.decodeLogits[t].subarray(r * V, r * V + V);
      const c = logits[t].subarray(r * V, r * V + V);
      decodeLogitsMaxAbsDiff = Math.max(decodeLogitsMaxAbsDiff, maxAbsDiff(a, c));
      if (ref.decodeTokens[r][t] !== tokens[r][t]) break;
      if (t === newTokens - 1) decodeRowsIdentical++;
    }
  }
  return { decodeLogitsMaxAbsDiff, decodeRowsIdentical, decodeRows: R };
}

/** One line summarising a check, as the bench prints it before timing. */
export function describeCheck(label: string, c: CheckResult): string {
  return (
    `${label}: check vs ours (CPU backend): log-probs max |diff| ${c.logpMaxAbsDiff.toExponential(2)}, loss |diff| ` +
    `${c.lossAbsDiff.toExponential(2)}, gradients max |diff| ` +
    `${c.gradMaxAbsDiff.toExponential(2)} (max |grad| ${c.gradMaxAbs.toExponential(2)}), decode logits max |diff| ` +
    `${c.decodeLogitsMaxAbsDiff.toExponential(2)}, greedy rows identical ${c.decodeRowsIdentical}/${c.decodeRows}`
  );
}

/** Throw (the bench then exits non-zero) when the two implementations disagree beyond `tol`. */
export function assertAgreement(label: string, c: CheckResult, tol: number): void {
  const problems: string[] = [];
  if (!(c.logpMaxAbsDiff <= tol)) problems.push(`forward log-probs differ by ${c.logpMaxAbsDiff.toExponential(2)}`);
  if (!(c.lossAbsDiff <= tol)) problems.push(`training losses differ by ${c.lossAbsDiff.toExponential(2)}`);
  if (!(c.gradMaxAbsDiff <= tol * Math.max(c.gradMaxAbs, 1e-12))) {
    problems.push(`gradients differ by ${c.gradMaxAbsDiff.toExponential(2)} (largest |gradient| ${c.gradMaxAbs.toExponential(2)})`);
  }
  if (!(c.decodeLogitsMaxAbsDiff <= tol)) problems.push(`decode logits differ by ${c.decodeLogitsMaxAbsDiff.toExponential(2)}`);
  if (problems.length) throw new Error(`ours and ${label} do not compute the same model (tolerance ${tol}): ${problems.join('; ')}`);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
