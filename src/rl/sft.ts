// Supervised fine-tuning (next-token cross-entropy on the assistant's reply only): used as a short warm
// start so a tiny random model learns the chat format before GRPO, and later to pretrain bundled models.
// The loss is -mean log p(completion tokens), so it reuses the fused log-prob forward/backward.
import type { Backend, TensorLike } from '../engine/backend.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { AdamW } from '../engine/optimizer.ts';
import { packBatch, promptCompletion } from './batch.ts';
import { encodePrompt, type ChatCodec } from './rollout.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export interface SftExample {
  /** The task whose prompt format the row uses (multi-task pretraining); defaults to the call's task. */
  task?: Task;
  row: TaskRow;
  completion: string; // the assistant reply to imitate (the end-of-turn token is appended)
}

export interface SftOptions {
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Called per step with the mean token loss. */
  onStep?: (step: number, loss: number) => void;
}

/** Train `loaded` on examples (cycled in order); returns the new weights in the loaded layout. */
export async function supervisedFineTune<F extends TensorLike, I extends TensorLike>(
  loaded: LoadedModel,
  backend: Backend<F, I>,
  task: Task,
  examples: (i: number) => SftExample,
  o: SftOptions,
): Promise<Float32Array> {
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  const model = new Model(backend, loaded.layout, params);
  const opt = new AdamW(backend, loaded.layout);
  const codec: ChatCodec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
  const eos = loaded.tokenizer.eosTokenId;
  for (let step = 0; step < o.steps; step++) {
    const seqs = Array.from({ length: o.batchSize }, (_, b) => {
      const ex = examples(step * o.batchSize + b);
      const completion = [...loaded.tokenizer.encode(ex.completion), eos];
      return promptCompletion(encodePrompt(codec, ex.task ?? task, ex.row).ids, Int32Array.from(completion), true);
    });
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
    await opt.step(params, model.grads, { lr: o.learningRate, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    o.onStep?.(step, loss);
  }
  const out = await backend.readFloat(params);
  backend.free(params);
  opt.dispose();
  model.releaseActivations();
  return out;
}
