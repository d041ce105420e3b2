// One GRPO update of a packed batch: `passes` optimisation passes, each a forward pass of the policy, the
// policy loss and its gradient (grpo/gspo.ts), backward and an AdamW step. The first pass's log-probs are the
// sampling policy's (oldLogp) and stay fixed for every later pass, so the importance ratio is exactly 1 on
// pass 1 and can move (and clip) only from pass 2 on (GRPO paper's mu iterations). Shapes: S x T batch.
import type { TensorLike } from '../engine/backend.ts';
import type { Model, ReferenceModel } from '../engine/model.ts';
import type { AdamW, AdamWOptions } from '../engine/optimizer.ts';
import type { PackedBatch } from './batch.ts';
import type { LossType } from './grpo/aggregate.ts';
import { policyLoss, type ImportanceSampling } from './grpo/gspo.ts';
import type { GrpoLossOutput } from './grpo/loss.ts';

export interface UpdateOptions {
  /** Optimisation passes over the batch (the config's numIterations); 0 makes no pass. */
  passes: number;
  /** The sampling temperature the log-probs are taken at (1 for greedy sampling). */
  temperature: number;
  lossType: LossType;
  importanceSampling: ImportanceSampling;
  epsLow: number;
  epsHigh: number;
  beta: number;
  /** 'dr_grpo' normaliser: S * maxCompletionLength. */
  maxCompletionLength: number;
  adam: AdamWOptions;
}

/** What one pass saw: its loss and clip fractions, and how far the importance ratio moved from 1. */
export interface PassStats {
  loss: number;
  kl: number;
  clipLow: number;
  clipHigh: number;
  clipRegion: number;
  /** max over trained tokens of |exp(logp - oldLogp) - 1|: exactly 0 on the first pass. */
  maxRatioDeviation: number;
  /** Gradient norm before clipping; 0 when the batch had no trained token (no optimizer step). */
  gradNorm: number;
}

export interface UpdateResult {
  /** The first pass's log-probs [S*T] (the sampling policy's); null when no pass ran. */
  oldLogp: Float32Array | null;
  /** Masked mean per-token entropy of the first pass. */
  entropy: number;
  passes: PassStats[];
  /** The last pass's loss output (all zero when no pass ran): what the step's metrics report. */
  last: GrpoLossOutput;
  /** The last optimizer step's gradient norm (0 when none ran). */
  gradNorm: number;
}

const NO_LOSS: GrpoLossOutput = { loss: 0, dlogp: new Float32Array(0), kl: 0, clipLow: 0, clipHigh: 0, clipRegion: 0 };

export async function updatePolicy<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  reference: ReferenceModel<F, I> | null, // a frozen copy, or the LoRA model with adapters off
  optimizer: AdamW<F, I>,
  batch: PackedBatch,
  advantages: Float64Array,
  o: UpdateOptions,
): Promise<UpdateResult> {
  const { S, T, mask } = batch;
  const refLogp = reference ? (await reference.forwardLogprobs(batch.tokens, batch.targets, S, T, o.temperature)).logp : null;
  const trainedTokens = mask.reduce((a, b) => a + b, 0);
  const result: UpdateResult = { oldLogp: null, entropy: 0, passes: [], last: NO_LOSS, gradNorm: 0 };
  for (let pass = 0; pass < o.passes; pass++) {
    const out = await model.forwardLogprobs(batch.tokens, batch.targets, S, T, o.temperature);
    if (pass === 0) {
      result.oldLogp = out.logp;
      result.entropy = maskedMean(out.entropy, mask);
    }
    const oldLogp = result.oldLogp!;
    const loss = policyLoss(
      {
        logp: out.logp,
        oldLogp,
        refLogp,
        advantages,
        mask,
        S,
        T,
        lossType: o.lossType,
        epsLow: o.epsLow,
        epsHigh: o.epsHigh,
        beta: o.beta,
        maxCompletionLength: o.maxCompletionLength,
      },
      o.importanceSampling,
    );
    model.zeroGrad();
    let gradNorm = 0;
    if (trainedTokens > 0) {
      await model.backward(loss.dlogp);
      gradNorm = (await optimizer.step(model.trainable.params, model.trainable.grads, o.adam)).gradNorm;
      result.gradNorm = gradNorm;
    }
    result.last = loss;
    result.passes.push({
      loss: loss.loss,
      kl: loss.kl,
      clipLow: loss.clipLow,
      clipHigh: loss.clipHigh,
      clipRegion: loss.clipRegion,
      maxRatioDeviation: maxRatioDeviation(out.logp, oldLogp, mask),
      gradNorm,
    });
  }
  return result;
}

export function maskedMean(xs: Float32Array, mask: Float32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (mask[i]) {
      s += xs[i];
      n++;
    }
  }
  return n ? s / n : 0;
}

function maxRatioDeviation(logp: Float32Array, oldLogp: Float32Array, mask: Float32Array): number {
  let max = 0;
  for (let i = 0; i < logp.length; i++) if (mask[i]) max = Math.max(max, Math.abs(Math.exp(logp[i] - oldLogp[i]) - 1));
  return max;
}
