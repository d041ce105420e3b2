// The GRPO trainer loop: sample G completions per prompt -> score with the rubric -> group-relative
// advantages -> clipped-surrogate loss (+ optional KL to a frozen reference) -> backward -> AdamW.
// One `step()` is one batch of prompts, with `numIterations` optimisation passes over it (trainer-update.ts);
// its metrics are built in trainer-metrics.ts.
import type { Backend, TensorLike } from '../engine/backend.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import type { Model, ReferenceModel } from '../engine/model.ts';
import { AdamW, type AdamWState } from '../engine/optimizer.ts';
import { hash32 } from '../engine/rng.ts';
import { checkFits } from '../engine/memory.ts';
import { planRun } from './memory-plan.ts';
import { buildPolicy, heldBase, peftAdapter, policyWeights } from './policy.ts';
import type { RunConfig } from './config/schema.ts';
import { evaluate, type EvalResult } from './evaluate.ts';
import { groupAdvantages } from './grpo/advantages.ts';
import { learningRate } from './schedule.ts';
import { dynamicSamplingMetrics, sampleGroupsDynamically, type DynamicSamplingResult } from './dynamic-sampling.ts';
import { HackingMonitor, hackingOptionsFor, type HackingEvent, type HackingMonitorState } from './hacking.ts';
import { packBatch, type PackedBatch } from './batch.ts';
import { completionTokens, type CompletionTokens, type TrainedRow } from './completion-tokens.ts';
import { environmentOf } from './envs/single-turn.ts';
import { isMultiTurnTask, type ChatMessage } from './envs/types.ts';
import { multiTurnMetrics, sampleRollouts, scoreContext, type ChatCodec, type Rollout } from './rollout.ts';
import { Rubric } from './rubric/rubric.ts';
import type { CriterionEnv, RubricScore } from './rubric/types.ts';
import { createTask } from './tasks/index.ts';
import type { Task, TaskRow } from './tasks/types.ts';
import { METRIC, type Metrics } from './metrics.ts';
import { criterionMetrics, stepMetrics } from './trainer-metrics.ts';
import { updatePolicy, type PassStats, type UpdateOptions } from './trainer-update.ts';

export interface RolloutRecord {
  group: number;
  prompt: string;
  completion: string;
  answer: string;
  reward: number;
  /** The advantage the rollout was trained with (0 for a zero-std group that dynamic sampling dropped). */
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

/** A trainer's resumable state: the trainable weights (all of them, or the LoRA adapters), AdamW, counters. */
export interface TrainerState {
  step: number;
  rowCursor: number;
  numTokens: number;
  hacking: HackingMonitorState;
  trainable: Float32Array;
  optimizer: AdamWState;
}

export class Trainer<F extends TensorLike, I extends TensorLike> {
  private step_ = 0;
  /** Next training row index: advances by promptsPerStep each step, more when dynamic sampling redraws. */
  private rowCursor = 0;
  private numTokens = 0;
  private readonly codec: ChatCodec;
  /** Reward-hacking indicators over the metric history (metrics hacking/* and plain-language events). */
  private readonly hacking: HackingMonitor;
  /**
   * The last step, for inspection: the rollouts trained on (the kept groups), their packed batch (which tokens
   * were in the loss), their advantages [S] and one record per optimisation pass (ratios, clipping, loss).
   */
  lastBatch: { rollouts: Rollout[]; batch: PackedBatch; advantages: Float64Array; passes: PassStats[] } | null = null;

  private constructor(
    readonly config: RunConfig,
    readonly task: Task,
    readonly rubric: Rubric,
    readonly model: Model<F, I>,
    private readonly reference: ReferenceModel<F, I> | null,
    private readonly optimizer: AdamW<F, I>,
    private readonly loaded: LoadedModel,
  ) {
    this.codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
    this.hacking = new HackingMonitor(hackingOptionsFor(rubric.criteria, task.correctnessCriterion));
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
    checkFits(planRun(config, loaded, task, { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate }, backend), backend);
    // Full fine-tuning, or LoRA (config.lora) with the reference as the base with adapters off (policy.ts).
    const { model, reference } = await buildPolicy(config, loaded, backend);
    return new Trainer(config, task, rubric, model, reference, new AdamW(backend, model.trainable.layout), loaded);
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

  /** Everything a resumed run needs to continue exactly as if never interrupted (checkpoint.ts writes it). */
  async saveState(): Promise<TrainerState> {
    const trainable = this.model.trainable;
    return {
      step: this.step_,
      rowCursor: this.rowCursor,
      numTokens: this.numTokens,
      hacking: this.hacking.snapshot(),
      trainable: await this.model.backend.readFloat(trainable.params),
      optimizer: await this.optimizer.state(),
    };
  }

  /** Continue from a saved state of the same run config and model (the weights trained so far, AdamW, counters). */
  restoreState(state: TrainerState): void {
    const trainable = this.model.trainable;
    if (state.trainable.length !== trainable.layout.total) {
      throw new Error(`the checkpoint holds ${state.trainable.length} trainable floats, this run has ${trainable.layout.total}: a different model or LoRA setting`);
    }
    this.model.backend.uploadFloat(trainable.params, state.trainable);
    this.optimizer.load(state.optimizer);
    this.hacking.restore(state.hacking);
    this.step_ = state.step;
    this.rowCursor = state.rowCursor;
    this.numTokens = state.numTokens;
  }

  /** The current weights as a host array in the layout of the loaded model (for export). */
  async weights(): Promise<Float32Array> {
    return policyWeights(this.model, this.config, this.loaded); // LoRA: the held base with the adapters merged
  }

  /** A LoRA run's PEFT adapter folder (adapter_config.json + adapter_model.safetensors); null for full fine-tuning. */
  async peftAdapter(baseModel: string = this.config.model.id): Promise<Map<string, Uint8Array | string> | null> {
    return peftAdapter(this.model, baseModel);
  }

  /** The reference model's weights (null without one, beta = 0): frozen, so always the loaded weights. */
  async referenceWeights(): Promise<Float32Array | null> {
    if (!this.reference) return null;
    if (this.model.lora) return heldBase(this.config, this.loaded, this.model.backend); // the base, as the run holds it
    return this.reference.backend.readFloat((this.reference as Model<F, I>).params);
  }

  /** One GRPO update: sample and score -> pack the kept groups -> optimisation passes -> metrics and records. */
  async step(): Promise<StepResult> {
    const t0 = performance.now();
    const g = this.config.grpo;
    const sampled = await this.sampleStep();
    const train = trainingBatch(sampled.kept, g, this.codec.tokenizer.padTokenId);
    const lr = learningRate(this.step_, Math.max(this.config.steps, 1), {
      schedule: g.lrSchedule,
      baseLr: g.learningRate,
      warmupSteps: g.warmupSteps,
      minLrRatio: g.minLrRatio,
    });
    const update = await updatePolicy(this.model, this.reference, this.optimizer, train.batch, train.advantages, this.updateOptions(train.rollouts.length > 0, lr));
    this.lastBatch = { ...train, passes: update.passes };
    this.step_ += 1;

    const { shown } = sampled;
    const stepTokens = sampled.all.reduce((a, r) => a + r.prompt.length + r.completion.length, 0);
    this.numTokens += stepTokens;
    const stepTime = (performance.now() - t0) / 1000;
    const metrics = stepMetrics({
      G: g.groupSize,
      lengths: shown.map((x) => x.rollout.generatedTokens),
      truncated: shown.map((x) => x.rollout.truncated),
      rewards: sampled.shownRewards,
      last: update.last,
      entropy: update.entropy,
      gradNorm: update.gradNorm,
      learningRate: lr,
      numTokens: this.numTokens,
      stepTokens,
      stepTime,
      hasReference: this.reference !== null,
    });
    if (isMultiTurnTask(this.task)) Object.assign(metrics, multiTurnMetrics(shown.map((x) => x.rollout)));
    if (g.dynamicSampling !== 'off') Object.assign(metrics, dynamicSamplingMetrics(sampled.kept.stats));
    const deviceBytes = this.model.backend.bytesInUse;
    if (deviceBytes !== undefined) metrics[METRIC.gpuBytesInUse] = deviceBytes;
    Object.assign(metrics, criterionMetrics(shown.map((x) => x.score), this.rubric.criteria));
    const hacking = this.hacking.update(metrics, this.step_);
    Object.assign(metrics, hacking.metrics);

    // Shown rollouts that were trained on sit at their index among the kept items (the batch rows).
    const rowOf = new Map(sampled.kept.items.map((x, i) => [x.rollout, i]));
    const trained = (r: Rollout): TrainedRow | null => {
      const row = rowOf.get(r);
      return row === undefined ? null : { batch: train.batch, row, logp: update.oldLogp };
    };
    return { step: this.step_, metrics, events: hacking.events, samples: records(shown, sampled.shownRewards, train.advantages, this.task, trained) };
  }

  /**
   * Sample and score P groups of G rollouts. DAPO dynamic sampling may drop flat groups and draw more prompts to
   * refill (extra rounds get their own seeds); `shown` is the first round, `kept` the groups to train on.
   */
  private async sampleStep() {
    const cfg = this.config;
    const G = cfg.grpo.groupSize;
    const stepSeed = hash32(cfg.seed ^ hash32(this.step_ + 1));
    const all: Rollout[] = [];
    const sampleGroups = async (n: number, round: number) => {
      const rows = Array.from({ length: n }, () => this.task.trainRow(cfg.seed, this.rowCursor++));
      const seed = round === 0 ? stepSeed : hash32(stepSeed ^ hash32(0x9e3779b9 + round));
      const rs = await sampleRollouts(this.model, this.codec, this.task, rows, G, cfg.sampling, seed);
      all.push(...rs);
      const sc = await this.rubric.scoreEach(rs.map((r) => ({ ...scoreContext(r), maxNewTokens: cfg.sampling.maxNewTokens })));
      return { items: rs.map((rollout, i): ScoredRollout => ({ rollout, score: sc[i] })), rewards: sc.map((x) => x.total) };
    };
    const kept = await sampleGroupsDynamically(
      G,
      { mode: cfg.grpo.dynamicSampling, targetGroups: cfg.grpo.promptsPerStep, maxExtraRounds: cfg.grpo.maxResampleRounds },
      sampleGroups,
    );
    // Metrics and samples describe the first round: an unbiased sample of the policy.
    return { kept, all, shown: kept.firstRound.items, shownRewards: Array.from(kept.firstRound.rewards) };
  }

  private updateOptions(anyRows: boolean, lr: number): UpdateOptions {
    const cfg = this.config;
    const g = cfg.grpo;
    return {
      passes: anyRows ? g.numIterations : 0,
      temperature: cfg.sampling.temperature > 0 ? cfg.sampling.temperature : 1,
      lossType: g.lossType,
      importanceSampling: g.importanceSampling,
      epsLow: g.epsilonLow,
      epsHigh: g.epsilonHigh,
      beta: g.beta,
      // Dr. GRPO's constant: the most tokens a completion can have (every turn of a multi-turn task).
      maxCompletionLength: cfg.sampling.maxNewTokens * environmentOf(this.task).maxTurns,
      adam: { lr, beta1: g.adamBeta1, beta2: g.adamBeta2, eps: g.adamEps, weightDecay: g.weightDecay, maxGradNorm: g.maxGradNorm },
    };
  }
}

interface ScoredRollout {
  rollout: Rollout;
  score: RubricScore;
}

/**
 * The kept groups as one packed batch, with their advantages. A rollout enters the loss unless it is truncated
 * (maskTruncatedCompletions) or in a zero-std group (skipZeroStdGroups); masked rollouts stay batch rows.
 */
function trainingBatch(kept: DynamicSamplingResult<ScoredRollout>, g: RunConfig['grpo'], padTokenId: number) {
  const G = g.groupSize;
  const rollouts = kept.items.map((x, i) => ({ ...x.rollout, group: Math.floor(i / G) }));
  const advantages = groupAdvantages(kept.rewards, G, g.scaleRewards);
  const include = (r: Rollout) => !(g.maskTruncatedCompletions && r.truncated) && !(g.skipZeroStdGroups && kept.zeroStd[r.group]);
  const batch = packBatch(rollouts.map((r) => ({ segments: r.segments, include: include(r) })), padTokenId);
  return { rollouts, advantages, batch };
}

/**
 * The shown rollouts as records. A rollout's advantage is the one it was trained with (`advantages` [S] of the
 * batch rows); a shown rollout outside the batch is in a zero-std group that dynamic sampling dropped: 0.
 */
function records(
  shown: ScoredRollout[],
  rewards: number[],
  advantages: Float64Array,
  task: Task,
  trainedRow: (r: Rollout) => TrainedRow | null,
): RolloutRecord[] {
  const multiTurn = isMultiTurnTask(task);
  const env = environmentOf(task);
  return shown.map(({ rollout: r, score }, i) => {
    const trained = trainedRow(r);
    return {
      group: r.group,
      prompt: r.row.prompt,
      completion: r.text,
      answer: r.row.answer,
      reward: rewards[i],
      advantage: trained ? advantages[trained.row] : 0,
      scores: score.scores,
      truncated: r.truncated,
      tokens: completionTokens(r, trained),
      ...(multiTurn ? { messages: r.messages, turns: r.turns, promptMessages: env.initialMessages(r.row).length } : {}),
    };
  });
}
