// Supervised fine-tuning (next-token cross-entropy on the assistant's tokens only): used as a short warm
// start so a tiny random model learns the chat format before GRPO, and to pretrain the bundled models.
// An example is either a single-turn reply to a row's prompt, or a whole multi-turn episode as token
// segments (a played demonstration, src/rl/demos.ts): generated segments are trained, context is not.
// The loss is -mean log p(trained tokens), so it reuses the fused log-prob forward/backward.
import type { Backend, TensorLike } from '../engine/backend.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { AdamW } from '../engine/optimizer.ts';
import { packBatch, promptCompletion, type Segment, type SequenceSpec } from './batch.ts';
import { encodePrompt, type ChatCodec } from './rollout.ts';
import type { Task, TaskRow } from './tasks/types.ts';

/** One assistant reply to a row's single-turn prompt. */
export interface SftReply {
  /** The task whose prompt format the row uses (multi-task pretraining); defaults to the call's task. */
  task?: Task;
  row: TaskRow;
  completion: string; // the assistant reply to imitate (the end-of-turn token is appended)
}

/** A whole tokenised conversation: generated segments are imitated, context segments only read. */
export interface SftConversation {
  segments: readonly Segment[];
}

export type SftExample = SftReply | SftConversation;

export interface SftOptions {
  steps: number;
  batchSize: number;
  learningRate: number;
  /** The learning rate of each step (e.g. a cosine decay); `learningRate` when absent. */
  learningRateAt?: (step: number) => number;
  /** Called per step with the mean loss over the step's trained tokens. */
  onStep?: (step: number, loss: number) => void;
}

/** The sequence an example trains on: its tokens, and which of them are in the loss. */
export function sftSequence(codec: ChatCodec, task: Task, ex: SftExample): SequenceSpec {
  if ('segments' in ex) return { segments: ex.segments, include: true };
  const completion = [...codec.tokenizer.encode(ex.completion), codec.tokenizer.eosTokenId];
  return promptCompletion(encodePrompt(codec, ex.task ?? task, ex.row).ids, Int32Array.from(completion), true);
}

/** Train `loaded` on examples (example i for i = 0, 1, ...); returns the new weights in the loaded layout. */
export async function supervisedFineTune<F extends TensorLike, I extends TensorLike>(
  loaded: LoadedModel,
  backend: Backend<F, I>,
  task: Task,
  examples: (i: number) => SftExample | Promise<SftExample>,
  o: SftOptions,
): Promise<Float32Array> {
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  const model = new Model(backend, loaded.layout, params);
  const opt = new AdamW(backend, loaded.layout);
  const codec: ChatCodec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
  for (let step = 0; step < o.steps; step++) {
    const seqs: SequenceSpec[] = [];
    for (let b = 0; b < o.batchSize; b++) seqs.push(sftSequence(codec, task, await examples(step * o.batchSize + b)));
    const batch = packBatch(seqs, loaded.tokenizer.padTokenId);
    const { logp } = await model.forwardLogprobs(batch.tokens, batch.targets, batch.S, batch.T, 1);
    const count = batch.mask.reduce((a, b) => a + b, 0);
    const dlogp = new Float32Array(logp.length);
    let loss = 0;
    for (let i = 0; i < logp.length; i++) {
      if (batch.mask[i]) {
        loss -= logp[i] / count;
        dlogp[i] = -1 / count;
      }
    }
    model.zeroGrad();
    await model.backward(dlogp);
    await opt.step(params, model.grads, { lr: o.learningRateAt?.(step) ?? o.learningRate, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    o.onStep?.(step, loss);
  }
  const out = await backend.readFloat(params);
  backend.free(params);
  opt.dispose();
  model.releaseActivations();
  return out;
}
