// The GRPO trainer loop: sample G completions per prompt -> score with the rubric -> group-relative
// advantages -> clipped-surrogate loss (+ optional KL to a frozen reference) -> backward -> AdamW.
// One `step()` is one batch of prompts, with `numIterations` optimisation passes over it.
import type { Backend, TensorLike } from '../engine/backend.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { AdamW } from '../engine/optimizer.ts';
import { hash32 } from '../engine/rng.ts';
import { checkFits } from '../engine/memory.ts';
import { planRun } from './memory-plan.ts';
import type { RunConfig } from './config/schema.ts';
import { evaluate, type EvalResult } from './evaluate.ts';
import { besselStd, groupAdvantages, zeroStdGroups } from './grpo/advantages.ts';
import type { GrpoLossOutput } from './grpo/loss.ts';
import { policyLoss } from './grpo/gspo.ts';
import { learningRate } from './schedule.ts';
import { dynamicSamplingMetrics, sampleGroupsDynamically } from './dynamic-sampling.ts';
import { HackingMonitor, type HackingEvent } from './hacking.ts';
import { packBatch, type PackedBatch } from './batch.ts';
import { completionTokens, type CompletionTokens, type TrainedRow } from './completion-tokens.ts';
import { environmentOf } from './envs/single-turn.ts';
import { isMultiTurnTask, type ChatMessage } from './envs/types.ts';
import { multiTurnMetrics, sampleRollouts, scoreContext, type ChatCodec, type Rollout } from './rollout.ts';
import { Rubric } from './rubric/rubric.ts';
import type { CriterionEnv } from './rubric/types.ts';
import { createTask } from './tasks/index.ts';
import type { Task, TaskRow } from './tasks/types.ts';
import type { Metrics } from './metrics.ts';

export interface RolloutRecord {
  group: number;
  prompt: string;
  completion: string;
  answer: string;
  reward: number;
  advantage: number;
  scores: Record<string, number>;
  truncated: boolean;
  /** Multi-turn tasks: the whole conversation (untrusted model text) and the assistant turns taken. */
  messages?: ChatMessage[];
  turns?: number;
  /** Multi-turn tasks: how many of `messages` are the prompt (the rest is the conversation after it). */
  promptMessages?: number;
  /** Every token after the prompt with its training data: sampled or context, trained, log-prob. */
  tokens: CompletionTokens;
}

export interface StepResult {
  step: number; // 1-based index of the update just made
  metrics: Metrics;
  samples: RolloutRecord[];
  /** Reward-hacking warnings that started at this step. */
  events: HackingEvent[];
}

export class Trainer<F extends TensorLike, I extends TensorLike> {
  private step_ = 0;
  /** Next training row index: advances by promptsPerStep each step, more when dynamic sampling redraws. */
  private rowCursor = 0;
  private numTokens = 0;
  private readonly codec: ChatCodec;
  /** Reward-hacking indicators over the metric history (metrics hacking/* and plain-language events). */
  private readonly hacking: HackingMonitor;
  /** The last step's rollouts and packed batch (for inspection: which tokens were trained on). */
  lastBatch: { rollouts: Rollout[]; batch: PackedBatch } | null = null;

  private constructor(
    readonly config: RunConfig,
    readonly task: Task,
    readonly rubric: Rubric,
    readonly model: Model<F, I>,
    private readonly reference: Model<F, I> | null,
    private readonly optimizer: AdamW<F, I>,
    loaded: LoadedModel,
  ) {
    this.codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
    const correctness = rubric.criteria.find((c) => c.kind === task.correctnessCriterion)?.name ?? task.correctnessCriterion;
    this.hacking = new HackingMonitor({
      correctness,
      formatCriteria: rubric.criteria.filter((c) => c.kind === 'xml_format').map((c) => c.name),
    });
  }

  static async create<F extends TensorLike, I extends TensorLike>(
    config: RunConfig,
    loaded: LoadedModel,
    backend: Backend<F, I>,
    env: CriterionEnv = {},
  ): Promise<Trainer<F, I>> {
    const task = createTask(config.task.name, config.task.params);
    const rubric = new Rubric(config.rubric.criteria, undefined, env);
    await rubric.prepare();
    checkFits(planRun(config, loaded, task, { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate }), backend);
    const upload = () => {
      const t = backend.allocFloat(loaded.layout.total);
      backend.uploadFloat(t, loaded.params);
      return t;
    };
    const model = new Model(backend, loaded.layout, upload());
    const reference = config.grpo.beta > 0 ? new Model(backend, loaded.layout, upload()) : null;
    return new Trainer(config, task, rubric, model, reference, new AdamW(backend, loaded.layout), loaded);
  }

  /** Number of updates made so far. */
  get stepIndex(): number {
    return this.step_;
  }

  get tokenizer() {
    return this.codec.tokenizer;
  }

  /** Greedy evaluation on the task's fixed held-out rows, or on the given rows. */
  async evaluate(rows?: TaskRow[]): Promise<EvalResult & { events: HackingEvent[] }> {
    const result = await evaluate(this.model, this.codec, this.task, this.rubric, this.config, rows);
    // Held-out accuracy also feeds the reward-hacking indicators (custom rows do not).
    const events = rows ? [] : this.hacking.update(result.metrics, this.step_).events;
    return { ...result, events };
  }

  /** The current weights as a host array in the layout of the loaded model (for export). */
  async weights(): Promise<Float32Array> {
    return this.model.backend.readFloat(this.model.params);
  }

  /** One GRPO update. */
  async step(): Promise<StepResult> {
    const t0 = performance.now();
    const cfg = this.config;
    const g = cfg.grpo;
    const G = g.groupSize;
    const P = g.promptsPerStep;
    const stepSeed = hash32(cfg.seed ^ hash32(this.step_ + 1));
    // Sample P groups (DAPO dynamic sampling may drop flat groups and draw more prompts to refill).
    const allSampled: Rollout[] = [];
    const sampleGroups = async (n: number, round: number) => {
      const rows = Array.from({ length: n }, () => this.task.trainRow(cfg.seed, this.rowCursor++));
      const seed = round === 0 ? stepSeed : hash32(stepSeed ^ hash32(0x9e3779b9 + round));
      const rs = await sampleRollouts(this.model, this.codec, this.task, rows, G, cfg.sampling, seed);
      allSampled.push(...rs);
      const sc = await this.rubric.scoreEach(rs.map((r) => ({ ...scoreContext(r), maxNewTokens: cfg.sampling.maxNewTokens })));
      return { items: rs.map((rollout, i) => ({ rollout, score: sc[i] })), rewards: sc.map((x) => x.total) };
    };
    const sampled = await sampleGroupsDynamically(G, { mode: g.dynamicSampling, targetGroups: P, maxExtraRounds: g.maxResampleRounds }, sampleGroups);
    // Metrics and samples describe the first round: an unbiased sample of the policy.
    const shown = sampled.firstRound.items.map((x) => x.rollout);
    const shownScored = sampled.firstRound.items.map((x) => x.score);
    const shownRewards = Array.from(sampled.firstRound.rewards);
    const flat = zeroStdGroups(shownRewards, G);
    // Training uses the kept groups.
    const rollouts = sampled.items.map((x, i) => ({ ...x.rollout, group: Math.floor(i / G) }));
    const rewards = sampled.rewards;
    const advantages = groupAdvantages(rewards, G, g.scaleRewards);
    const keptFlat = sampled.zeroStd;
    const include = rollouts.map((r) => !(g.maskTruncatedCompletions && r.truncated) && !(g.skipZeroStdGroups && keptFlat[r.group]));

    const batch = packBatch(
      rollouts.map((r, i) => ({ segments: r.segments, include: include[i] })),
      this.codec.tokenizer.padTokenId,
    );
    this.lastBatch = { rollouts, batch };
    const { S, T } = batch;
    const temperature = cfg.sampling.temperature > 0 ? cfg.sampling.temperature : 1;
    const refLogp = this.reference
      ? (await this.reference.forwardLogprobs(batch.tokens, batch.targets, S, T, temperature)).logp
      : null;

    let oldLogp: Float32Array | null = null;
    let last: GrpoLossOutput = { loss: 0, dlogp: new Float32Array(0), kl: 0, clipLow: 0, clipHigh: 0, clipRegion: 0 };
    let entropy = 0;
    let gradNorm = 0;
    const maskedTokens = batch.mask.reduce((a, b) => a + b, 0);
    const lr = learningRate(this.step_, Math.max(cfg.steps, 1), {
      schedule: g.lrSchedule,
      baseLr: g.learningRate,
      warmupSteps: g.warmupSteps,
      minLrRatio: g.minLrRatio,
    });
    for (let it = 0; it < (rollouts.length > 0 ? g.numIterations : 0); it++) {
      const out = await this.model.forwardLogprobs(batch.tokens, batch.targets, S, T, temperature);
      if (it === 0) {
        oldLogp = out.logp; // the policy that sampled: ratio is exactly 1 on the first pass
        entropy = maskedMean(out.entropy, batch.mask);
      }
      last = policyLoss({
        logp: out.logp,
        oldLogp: oldLogp!,
        refLogp,
        advantages,
        mask: batch.mask,
        S,
        T,
        lossType: g.lossType,
        epsLow: g.epsilonLow,
        epsHigh: g.epsilonHigh,
        beta: g.beta,
        maxCompletionLength: cfg.sampling.maxNewTokens * environmentOf(this.task).maxTurns,
      }, g.importanceSampling);
      this.model.zeroGrad();
      if (maskedTokens > 0) {
        await this.model.backward(last.dlogp);
        gradNorm = (await this.optimizer.step(this.model.params, this.model.grads, {
          lr,
          beta1: g.adamBeta1,
          beta2: g.adamBeta2,
          eps: g.adamEps,
          weightDecay: g.weightDecay,
          maxGradNorm: g.maxGradNorm,
        })).gradNorm;
      }
    }
    this.step_ += 1;

    const lengths = shown.map((r) => r.generatedTokens);
    const stepTokens = allSampled.reduce((a, r) => a + r.prompt.length + r.completion.length, 0);
    this.numTokens += stepTokens;
    const stepTime = (performance.now() - t0) / 1000;
    const metrics: Metrics = {
      reward: mean(shownRewards),
      reward_std: groupStdMean(shownRewards, G),
      frac_reward_zero_std: flat.filter(Boolean).length / flat.length,
      loss: last.loss,
      entropy,
      'clip_ratio/low_mean': last.clipLow,
      'clip_ratio/high_mean': last.clipHigh,
      'clip_ratio/region_mean': last.clipRegion,
      'completions/mean_length': mean(lengths),
      'completions/min_length': Math.min(...lengths),
      'completions/max_length': Math.max(...lengths),
      'completions/clipped_ratio': shown.filter((r) => r.truncated).length / shown.length,
      grad_norm: gradNorm,
      learning_rate: lr,
      num_tokens: this.numTokens,
      step_time: stepTime,
      tokens_per_s: stepTokens / stepTime,
    };
    if (this.reference) metrics.kl = last.kl;
    if (isMultiTurnTask(this.task)) Object.assign(metrics, multiTurnMetrics(shown));
    if (g.dynamicSampling !== 'off') Object.assign(metrics, dynamicSamplingMetrics(sampled.stats));
    const deviceBytes = this.model.backend.bytesInUse;
    if (deviceBytes !== undefined) metrics['gpu/bytes_in_use'] = deviceBytes;
    for (const c of this.rubric.criteria) {
      metrics[`rewards/${c.name}/mean`] = mean(shownScored.map((s) => s.scores[c.name]));
      const errors = shownScored.reduce((a, s) => a + (s.errors[c.name] ?? 0), 0);
      if (errors > 0) metrics[`rewards/${c.name}/errors`] = errors;
    }
    const hacking = this.hacking.update(metrics, this.step_);
    Object.assign(metrics, hacking.metrics);
    // Shown rollouts that were trained on sit at their index among the kept items (the batch rows).
    const rowOf = new Map(sampled.items.map((x, i) => [x.rollout, i]));
    const trainedRow = (r: Rollout): TrainedRow | null => {
      const row = rowOf.get(r);
      return row === undefined ? null : { batch, row, logp: oldLogp };
    };
    const shownAdvantages = groupAdvantages(shownRewards, G, g.scaleRewards);
    return { step: this.step_, metrics, events: hacking.events, samples: records(shown, shownScored, shownRewards, shownAdvantages, this.task, trainedRow) };
  }
}

function records(
  rollouts: Rollout[],
  scored: { scores: Record<string, number> }[],
  rewards: number[],
  advantages: Float64Array,
  task: Task,
  trainedRow: (r: Rollout) => TrainedRow | null,
): RolloutRecord[] {
  const multiTurn = isMultiTurnTask(task);
  const env = environmentOf(task);
  return rollouts.map((r, i) => ({
    group: r.group,
    prompt: r.row.prompt,
    completion: r.text,
    answer: r.row.answer,
    reward: rewards[i],
    advantage: advantages[i],
    scores: scored[i].scores,
    truncated: r.truncated,
    tokens: completionTokens(r, trainedRow(r)),
    ...(multiTurn ? { messages: r.messages, turns: r.turns, promptMessages: env.initialMessages(r.row).length } : {}),
  }));
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : 0;
}

function maskedMean(xs: Float32Array, mask: Float32Array): number {
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

/** Mean over groups of each group's (Bessel-corrected) reward std, as TRL logs `reward_std`. */
function groupStdMean(rewards: number[], G: number): number {
  const groups = rewards.length / G;
  let total = 0;
  for (let gi = 0; gi < groups; gi++) total += besselStd(rewards, gi * G, gi * G + G);
  return total / groups;
}
