// The one fixed benchmark setup: model shape, batch shapes, optimiser settings and repetition counts. Every
// figure in `npm run bench` uses these numbers, and the report prints them so results are comparable.
import type { ModelConfig } from '../src/engine/config.ts';

/** createTinyModel's defaults, spelled out so the report states them (vocab comes from the char tokenizer). */
export const MODEL: Partial<ModelConfig> = {
  model_type: 'llama',
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  tie_word_embeddings: true,
  max_position_embeddings: 256,
};

export const BENCH = {
  seed: 1234,
  /** Std of the weights the bench draws (instead of init's 0.02) so log-probs are not all ~ -log V. */
  weightStd: 0.2,
  /** Training step: B sequences x T tokens. */
  B: 32,
  T: 64,
  /** Decode: P prompts x G samples, prompt length Tp, greedy, newTokens per row. */
  P: 4,
  G: 8,
  Tp: 32,
  newTokens: 32,
  adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1.0 },
  warmup: 1,
  runs: 5,
  /** Max |logp ours - logp tfjs| (and the same bound on decode logits) before the bench refuses to time. */
  tolerance: 1e-3,
} as const;

const { B, T, P, G, Tp, newTokens } = BENCH;

/**
 * The WebGPU section: on a GPU, the shapes above with more repetitions; on SwiftShader (Vulkan on the CPU, where
 * one full-size TF.js training step takes ~30 s on this 2-core machine) a quarter of the batch, a quarter of the
 * decode rows and half the new tokens, with fewer repetitions. `matmulReps` matmuls are recorded per timed call.
 */
export const WEBGPU_BENCH = {
  swiftshader: { B: 8, T, P: 2, G: 4, Tp, newTokens: 16, warmup: 1, runs: 3, matmulReps: 2 },
  gpu: { B, T, P, G, Tp, newTokens, warmup: 2, runs: 10, matmulReps: 50 },
  /** A linear layer larger than the bench model's; the model's largest linear at N = B*T of BENCH is added to it. */
  matmul: { name: 'a 256 -> 256 linear', N: 512, C: 256, OC: 256 },
  /** Max |out - CPU out| / max(1, max |CPU out|) for the matmul check. */
  matmulTolerance: 1e-4,
} as const;
