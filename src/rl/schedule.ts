// Learning-rate schedules as one pure function of the update index: lr(step, totalSteps, options).
// `step` is the 0-based index of the update about to be made (0 .. totalSteps-1); the trainer calls it once
// per step and uses the same lr for all numIterations passes of that step's batch.
//
// - 'constant':             baseLr at every step (the trainer's behaviour before schedules). Ignores warmupSteps.
// - 'constant_with_warmup': linear warmup, then baseLr (DAPO arXiv:2503.14476 sec. 4.1: constant 1e-6 after
//                           20 warmup steps).
// - 'cosine':               linear warmup, then half a cosine from baseLr down to baseLr * minLrRatio
//                           (SGDR arXiv:1608.03983; Hugging Face's `cosine_with_min_lr`).
//
// Warmup: steps 0 .. warmupSteps-1 climb linearly, baseLr * (step + 1) / warmupSteps, so the first update is
// never made with lr 0 (Hugging Face's schedulers give step 0 lr 0) and step warmupSteps-1 reaches baseLr.
// Cosine decay: the first step after warmup has baseLr and the last step (totalSteps-1) has exactly
// baseLr * minLrRatio (when only one step follows warmup, it gets baseLr). Steps past the end (a run
// extended beyond totalSteps) keep the last step's value.

/** The schedule names, as a tuple (usable in z.enum). */
export const LR_SCHEDULES = ['constant', 'constant_with_warmup', 'cosine'] as const;

export type LrSchedule = (typeof LR_SCHEDULES)[number];

export interface LrScheduleOptions {
  schedule: LrSchedule;
  baseLr: number;
  /** Updates of linear warmup (0 = none). May exceed totalSteps: then the whole run is warmup. */
  warmupSteps: number;
  /** 'cosine' only: the final lr as a fraction of baseLr, in [0, 1]. */
  minLrRatio: number;
}

/** The learning rate for update `step` (0-based) of a run of `totalSteps` updates. */
export function learningRate(step: number, totalSteps: number, opts: LrScheduleOptions): number {
  const { schedule, baseLr, warmupSteps, minLrRatio } = opts;
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`step must be an integer >= 0, got ${step}`);
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new RangeError(`totalSteps must be an integer >= 1, got ${totalSteps}`);
  if (!(baseLr >= 0) || !Number.isFinite(baseLr)) throw new RangeError(`baseLr must be a finite number >= 0, got ${baseLr}`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) throw new RangeError(`warmupSteps must be an integer >= 0, got ${warmupSteps}`);
  if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new RangeError(`minLrRatio must be in [0, 1], got ${minLrRatio}`);

  if (schedule === 'constant') return baseLr;
  if (schedule !== 'constant_with_warmup' && schedule !== 'cosine') {
    throw new RangeError(`unknown lr schedule '${String(schedule)}' (known: ${LR_SCHEDULES.join(', ')})`);
  }
  const k = Math.min(step, totalSteps - 1); // past the end: the last step's value
  if (k < warmupSteps) return (baseLr * (k + 1)) / warmupSteps;
  if (schedule === 'constant_with_warmup') return baseLr;

  // cosine: progress 0 at the first step after warmup, 1 at the last step of the run
  const decaySteps = totalSteps - warmupSteps;
  const progress = decaySteps <= 1 ? 0 : (k - warmupSteps) / (decaySteps - 1);
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return baseLr * (minLrRatio + (1 - minLrRatio) * cosine);
}
