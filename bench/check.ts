// Before any timing: do our engine and the TF.js model compute the same thing from the same weights?
// Compares per-token log-probs of a training batch, the gradients of the loss -sum(weights * logp) for every
// parameter (TF.js autograd vs our explicit backward), and the logits of greedy KV-cached decoding.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainBatch } from './data.ts';
import { oursDecode, type CpuModel, type DecodeShape } from './ours.ts';
import { tfGenerateGreedy } from './tfjs-decode.ts';
import { disposeBatch, type TfModel } from './tfjs-model.ts';

/** What our engine produced on the check inputs (computed once, compared with every TF.js backend). */
export interface OursReference {
  logp: Float32Array; // [N]
  grads: Float32Array; // flat, params.ts layout
  decodeTokens: Int32Array[]; // [R][newTokens]
  decodeLogits: Float32Array[]; // per step [R, V]
}

export interface CheckResult {
  logpMaxAbsDiff: number;
  lossAbsDiff: number; // the loss as TF.js differentiates it (its training forward) vs -sum(weights * our logp)
  gradMaxAbsDiff: number;
  gradMaxAbs: number; // the largest |gradient|, for scale
  decodeLogitsMaxAbsDiff: number; // over steps whose inputs were identical in both
  decodeRowsIdentical: number; // rows whose greedy tokens match all the way
  decodeRows: number;
}

export async function oursReference(m: CpuModel, b: TrainBatch, B: number, T: number, prompts: Int32Array[], s: DecodeShape): Promise<OursReference> {
  m.zeroGrad();
  const { logp } = await m.forwardLogprobs(b.tokens, b.targets, B, T, 1);
  await m.backward(b.weights.map((w) => -w));
  const grads = m.grads.slice();
  m.zeroGrad();
  const V = m.dims.V;
  const decodeLogits: Float32Array[] = [];
  // generate() reports the [R, V] logits each row sampled from, row by row.
  const decodeTokens = await oursDecode(m, prompts, s, (t, logits) => {
    decodeLogits[t] = logits.slice(0, prompts.length * s.G * V);
  });
  return { logp, grads, decodeTokens, decodeLogits };
}

export function compareWithTf(ref: OursReference, tfm: TfModel, b: TrainBatch, B: number, T: number, prompts: Int32Array[], s: DecodeShape): CheckResult {
  const batch = tfm.makeBatch(b.tokens, b.targets, b.weights, B, T);
  const logpT = tf.tidy(() => tfm.logprobs(batch));
  const logpMaxAbsDiff = maxAbsDiff(ref.logp, logpT.dataSync());
  logpT.dispose();

  const varNames = new Map([...tfm.vars.entries()].map(([hf, v]) => [v.name, hf]));
  const { value, grads } = tf.variableGrads(() => tfm.loss(batch), [...tfm.vars.values()]);
  let oursLoss = 0;
  for (let n = 0; n < b.weights.length; n++) oursLoss -= b.weights[n] * ref.logp[n];
  const lossAbsDiff = Math.abs(value.dataSync()[0] - oursLoss);
  let gradMaxAbsDiff = 0;
  let gradMaxAbs = 0;
  for (const [varName, g] of Object.entries(grads)) {
    const e = tfm.layout.byName.get(varNames.get(varName) ?? '');
    if (!e) throw new Error(`gradient for unknown variable ${varName}`);
    const ours = ref.grads.subarray(e.offset, e.offset + e.size);
    gradMaxAbsDiff = Math.max(gradMaxAbsDiff, maxAbsDiff(ours, g.dataSync() as Float32Array));
    for (const x of ours) gradMaxAbs = Math.max(gradMaxAbs, Math.abs(x));
  }
  tf.dispose([value, ...Object.values(grads)]);
  disposeBatch(batch);

  // Decode: compare step t's logits for rows whose tokens so far agree (identical inputs).
  const tfLogits: Float32Array[] = [];
  const tfTokens = tfGenerateGreedy(tfm, prompts, { ...s, onLogits: (t, l) => (tfLogits[t] = l.slice()) });
  const V = tfm.dims.V;
  const R = tfTokens.length;
  let decodeLogitsMaxAbsDiff = 0;
  let decodeRowsIdentical = 0;
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < s.newTokens; t++) {
      const a = ref.decodeLogits[t].subarray(r * V, r * V + V);
      const c = tfLogits[t].subarray(r * V, r * V + V);
      decodeLogitsMaxAbsDiff = Math.max(decodeLogitsMaxAbsDiff, maxAbsDiff(a, c));
      if (ref.decodeTokens[r][t] !== tfTokens[r][t]) break;
      if (t === s.newTokens - 1) decodeRowsIdentical++;
    }
  }
  return { logpMaxAbsDiff, lossAbsDiff, gradMaxAbsDiff, gradMaxAbs, decodeLogitsMaxAbsDiff, decodeRowsIdentical, decodeRows: R };
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

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
