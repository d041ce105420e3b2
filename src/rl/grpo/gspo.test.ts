import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng.ts';
import type { LossType } from './aggregate.ts';
import { gspoLoss, policyLoss } from './gspo.ts';
import { grpoLoss, type GrpoLossInput } from './loss.ts';

const LOSS_TYPES: LossType[] = ['grpo', 'bnpo', 'dr_grpo', 'dapo'];

// S = 5 sequences x T = 4 positions; sequence 4 is empty (all masked), sequence 1 has a masked hole.
const S = 5;
const T = 4;
const MASK = [1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const ADV = [1.3, -0.7, 0.4, -1.1, 2.0];

/**
 * Inputs whose sequence mean log-ratios are `means[s]` exactly (token log-ratios jittered around it, the
 * jitter summing to 0 over the masked tokens), so each sequence's position relative to the clip kinks is known.
 */
function input(means: number[], lossType: LossType, beta: number, epsLow: number, epsHigh: number, seed = 3): GrpoLossInput {
  const rng = new Rng(seed, 7);
  const logp = new Float32Array(S * T);
  const oldLogp = new Float32Array(S * T);
  const refLogp = new Float32Array(S * T);
  for (let s = 0; s < S; s++) {
    const idx = [...Array(T).keys()].map((t) => s * T + t);
    const jitter = idx.map(() => 0.3 * (rng.uniform() - 0.5));
    const on = idx.filter((i) => MASK[i] === 1);
    const jitterMean = on.reduce((a, i) => a + jitter[i - s * T], 0) / Math.max(on.length, 1);
    for (const i of idx) {
      logp[i] = -0.5 - 3 * rng.uniform();
      oldLogp[i] = logp[i] - (means[s] + jitter[i - s * T] - jitterMean);
      refLogp[i] = logp[i] + (rng.uniform() - 0.5);
    }
  }
  return {
    logp, oldLogp, refLogp, mask: Float32Array.from(MASK), advantages: Float64Array.from(ADV),
    S, T, lossType, beta, epsLow, epsHigh, maxCompletionLength: 6,
  };
}

/** Central differences of the loss in each logp (step h, measured in the f32 values actually used). */
function maxGradError(inp: GrpoLossInput, h: number): number {
  const out = gspoLoss(inp);
  let maxDiff = 0;
  for (let i = 0; i < S * T; i++) {
    const plus = new Float32Array(inp.logp);
    const minus = new Float32Array(inp.logp);
    plus[i] += h;
    minus[i] -= h;
    const fd = (gspoLoss({ ...inp, logp: plus }).loss - gspoLoss({ ...inp, logp: minus }).loss) / (plus[i] - minus[i]);
    maxDiff = Math.max(maxDiff, Math.abs(fd - out.dlogp[i]));
    if (MASK[i] === 0) expect(out.dlogp[i]).toBe(0);
  }
  return maxDiff;
}

describe('gspoLoss gradient', () => {
  // GSPO's epsilons (3e-4, 4e-4): kinks at log(1 - 3e-4) ~ -3.0e-4 and log(1 + 4e-4) ~ +4.0e-4.
  // Means: seq 0 A>0 above the high kink (high-clipped), seq 1 A<0 below the low kink (low-clipped),
  // seq 2 inside, seq 3 A<0 above the high kink (unclipped: min picks s*A). h = 1e-5 moves a mean by <= 1e-5.
  const gspoMeans = [0.002, -0.002, 0.0001, 0.003, 0];
  // GRPO-sized epsilons (0.2, 0.28) with means on both sides of both kinks.
  const wideMeans = [0.4, -0.4, 0.05, 0.35, 0];

  for (const lossType of LOSS_TYPES) {
    for (const beta of [0, 0.1]) {
      it(`${lossType}, beta ${beta}: dlogp matches finite differences (GSPO epsilons)`, () => {
        const inp = input(gspoMeans, lossType, beta, 3e-4, 4e-4);
        const out = gspoLoss(inp);
        expect(out.sequenceClipRegion).toBeCloseTo(2 / 4, 12); // seqs 0 and 1 of the 4 non-empty ones
        const err = maxGradError(inp, 1e-5);
        expect(err, `max |fd - dlogp| = ${err}`).toBeLessThan(2e-5);
      });

      it(`${lossType}, beta ${beta}: dlogp matches finite differences (epsilons 0.2 / 0.28)`, () => {
        const inp = input(wideMeans, lossType, beta, 0.2, 0.28);
        expect(gspoLoss(inp).sequenceClipRegion).toBeCloseTo(2 / 4, 12);
        const err = maxGradError(inp, 1e-3);
        expect(err, `max |fd - dlogp| = ${err}`).toBeLessThan(1e-5);
      });
    }
  }
});

describe('gspoLoss hand values', () => {
  const base = { refLogp: null, S: 1, beta: 0, maxCompletionLength: 3 } as const;

  it('unclipped: log-ratios [0.2, -0.1] (+ a masked 5): s = e^0.05, loss -s*A, dlogp -s*A/2 per token', () => {
    const oldLogp = Float32Array.from([-1, -2, -1]);
    const logp = Float32Array.from([-0.8, -2.1, 4]);
    const out = gspoLoss({
      ...base, logp, oldLogp, advantages: Float64Array.from([1]), mask: Float32Array.from([1, 1, 0]),
      T: 3, lossType: 'grpo', epsLow: 0.2, epsHigh: 0.28,
    });
    const s = Math.exp(((logp[0] - oldLogp[0]) + (logp[1] - oldLogp[1])) / 2); // ~e^0.05 (f32 inputs)
    expect(s).toBeCloseTo(Math.exp(0.05), 6);
    expect(out.sequenceRatio[0]).toBeCloseTo(s, 12);
    expect(out.loss).toBeCloseTo(-s, 12);
    expect(out.dlogp[0]).toBeCloseTo(-s / 2, 6);
    expect(out.dlogp[1]).toBeCloseTo(-s / 2, 6);
    expect(out.dlogp[2]).toBe(0);
    expect(out.clipRegion).toBe(0);
  });

  it('log-ratios [0.5, -0.5], A = 1: GRPO clips the first token, GSPO sees s = 1 and clips nothing', () => {
    const oldLogp = Float32Array.from([-1, -1]);
    const logp = Float32Array.from([-0.5, -1.5]);
    const inp = {
      ...base, logp, oldLogp, advantages: Float64Array.from([1]), mask: Float32Array.from([1, 1]),
      T: 2, lossType: 'grpo' as const, epsLow: 0.2, epsHigh: 0.2,
    };
    const tok = grpoLoss(inp);
    // token 0: ratio e^0.5 = 1.6487 > 1.2, clamped to 1.2, gradient 0; token 1: ratio e^-0.5 = 0.6065 kept
    expect(tok.loss).toBeCloseTo((-1.2 - Math.exp(-0.5)) / 2, 6);
    expect(tok.dlogp[0]).toBe(0);
    expect(tok.clipHigh).toBe(0.5);
    const seq = gspoLoss(inp);
    expect(seq.sequenceRatio[0]).toBe(1);
    expect(seq.loss).toBeCloseTo(-1, 12);
    expect([...seq.dlogp]).toEqual([-0.5, -0.5]);
    expect(seq.clipRegion).toBe(0);
  });

  it('GSPO epsilons: mean log-ratio 5.5e-4 -> s = 1.00055 > 1.0004 clips for A > 0 but not for A < 0', () => {
    const old32 = Float32Array.from([-1, -1]);
    const logp = Float32Array.from([-1 + 0.001, -1 + 0.0001]); // log-ratios 1e-3 and 1e-4 (to f32 rounding)
    const mean = (logp[0] - old32[0] + logp[1] - old32[1]) / 2;
    expect(mean).toBeCloseTo(5.5e-4, 6);
    const common = {
      ...base, logp, oldLogp: old32, mask: Float32Array.from([1, 1]), T: 2, lossType: 'grpo' as const,
      epsLow: 3e-4, epsHigh: 4e-4,
    };
    const pos = gspoLoss({ ...common, advantages: Float64Array.from([2]) });
    expect(pos.loss).toBeCloseTo(-1.0004 * 2, 12); // clamped
    expect([...pos.dlogp]).toEqual([0, 0]);
    expect(pos.clipHigh).toBe(1);
    expect(pos.sequenceClipHigh).toBe(1);
    const neg = gspoLoss({ ...common, advantages: Float64Array.from([-2]) });
    const s = Math.exp(mean);
    expect(neg.loss).toBeCloseTo(2 * s, 12); // min(-2s, -2*1.0004) = -2s: unclipped
    expect(neg.dlogp[0]).toBeCloseTo(s, 6); // -(-2) * s / 2
    expect(neg.clipRegion).toBe(0);
  });

  it('clip fractions: per token (TRL) counts the tokens of clipped sequences, per sequence counts sequences', () => {
    // seq 0: 3 tokens, mean log-ratio 0.5, A = 1 -> high-clipped; seq 1: 1 token, ratio 1 -> not clipped.
    const oldLogp = new Float32Array(8).fill(-1);
    const logp = Float32Array.from([-0.5, -0.5, -0.5, 0, -1, 0, 0, 0]);
    const out = gspoLoss({
      ...base, logp, oldLogp, refLogp: null, advantages: Float64Array.from([1, 1]),
      mask: Float32Array.from([1, 1, 1, 0, 1, 0, 0, 0]), S: 2, T: 4, lossType: 'dapo', epsLow: 0.2, epsHigh: 0.2,
    });
    expect(out.clipHigh).toBe(3 / 4);
    expect(out.clipRegion).toBe(3 / 4);
    expect(out.sequenceClipHigh).toBe(1 / 2);
    expect(out.sequenceClipLow).toBe(0);
    // dapo weights 1/4 per token: loss = 3/4 * (-1.2) + 1/4 * (-1)
    expect(out.loss).toBeCloseTo(-0.9 - 0.25, 6);
  });
});

describe('gspoLoss vs grpoLoss', () => {
  for (const lossType of LOSS_TYPES) {
    it(`${lossType}: on the first iteration (logp = oldLogp) loss, gradient and kl equal GRPO's`, () => {
      const inp = input([0, 0, 0, 0, 0], lossType, 0.1, 3e-4, 4e-4);
      const onPolicy = { ...inp, oldLogp: inp.logp };
      const a = grpoLoss(onPolicy);
      const b = gspoLoss(onPolicy);
      expect(b.loss).toBeCloseTo(a.loss, 12);
      expect(b.kl).toBeCloseTo(a.kl, 12);
      for (let i = 0; i < S * T; i++) expect(b.dlogp[i]).toBeCloseTo(a.dlogp[i], 6);
      expect(b.clipRegion).toBe(0);
    });
  }

  it('beta = 0 ignores the reference (kl is still reported when given); beta > 0 needs it', () => {
    const inp = input([0.1, -0.1, 0, 0.2, 0], 'grpo', 0, 0.2, 0.2);
    const withRef = gspoLoss(inp);
    const withoutRef = gspoLoss({ ...inp, refLogp: null });
    expect(withoutRef.loss).toBe(withRef.loss);
    expect([...withoutRef.dlogp]).toEqual([...withRef.dlogp]);
    expect(withoutRef.kl).toBe(0);
    expect(withRef.kl).toBeGreaterThan(0);
    expect(() => gspoLoss({ ...inp, beta: 0.1, refLogp: null })).toThrow(/refLogp/);
  });

  it('an all-masked batch gives loss 0, gradient 0 and zero metrics', () => {
    const inp = input([0, 0, 0, 0, 0], 'grpo', 0, 0.2, 0.2);
    const out = gspoLoss({ ...inp, mask: new Float32Array(S * T) });
    expect(out.loss).toBe(0);
    expect(out.dlogp.every((d) => d === 0)).toBe(true);
    expect(out.clipRegion + out.sequenceClipRegion + out.kl).toBe(0);
  });

  it('policyLoss dispatches on the importance-sampling level', () => {
    const inp = input([0.4, -0.4, 0.05, 0.35, 0], 'bnpo', 0, 0.2, 0.28);
    expect(policyLoss(inp, 'token').loss).toBe(grpoLoss(inp).loss);
    expect(policyLoss(inp, 'sequence').loss).toBe(gspoLoss(inp).loss);
    expect(policyLoss(inp, 'sequence').loss).not.toBe(grpoLoss(inp).loss);
    expect(() => policyLoss(inp, 'tokens' as never)).toThrow(/importance sampling/);
  });

  it('refuses mismatched lengths', () => {
    const inp = input([0, 0, 0, 0, 0], 'grpo', 0, 0.2, 0.2);
    expect(() => gspoLoss({ ...inp, advantages: new Float64Array(2) })).toThrow(/advantages/);
    expect(() => gspoLoss({ ...inp, mask: new Float32Array(3) })).toThrow(/mask/);
    expect(() => gspoLoss({ ...inp, refLogp: new Float32Array(3) })).toThrow(/refLogp/);
  });
});
