// Presets for real models from the Hugging Face Hub (merged into presets.ts). They train with LoRA (rank 16 on
// all seven projections, a bf16 frozen base on WebGPU: "LoRA Without Regret" finds it matches full fine-tuning for
// RL), at learning rates about 10x full fine-tuning's (full ~1e-6 to 5e-6, as TRL's GRPO examples use for 0.5B
// models), small batches (2 prompts x G 8) so a laptop GPU holds the activations, and a KL of 0. None of these runs was measured here: the machine that built
// them has no network access to the Hub and no GPU; the descriptions say what a person should expect to see.
import type { RunConfigInput } from './config/schema.ts';
import type { CriterionKindName } from './rubric/criteria.ts';

const NOT_MEASURED = 'Not measured here (no Hub access and no GPU on the build machine).';

const format = (name: string, kind: CriterionKindName, params: Record<string, string | number | boolean> = {}) => [
  { name, kind, weight: 1, params },
  { name: 'xml_format', kind: 'xml_format' as const, weight: 0.2, params: {} },
];

const SMALL_BATCH = { promptsPerStep: 2, groupSize: 8, beta: 0 };
/** The schema's LoRA defaults (rank 16, alpha 32, all projections, bf16 base). */
const LORA = {};

export const HUB_PRESET_INPUTS: Record<string, { description: string; config: RunConfigInput }> = {
  'smollm2-length': {
    description: `Length control on SmolLM2-135M-Instruct: answer in exactly 2-5 words inside <answer>. The chat model starts verbose and rarely uses the tags, so expect the format reward to rise first (tens of steps), then exact_word_count. With LoRA the memory plan says about 3.2 GiB on WebGPU at this batch (5.3 GiB for full fine-tuning); the Model panel shows it before the download. ${NOT_MEASURED}`,
    config: {
      version: 1,
      model: { id: 'hf:HuggingFaceTB/SmolLM2-135M-Instruct' },
      task: { name: 'length', params: { minWords: 2, maxWords: 5 }, evalSize: 32 },
      rubric: { criteria: format('exact_word_count', 'exact_word_count') },
      grpo: { ...SMALL_BATCH, learningRate: 5e-5 },
      lora: LORA,
      sampling: { maxNewTokens: 48 },
      eval: { every: 10, maxNewTokens: 48 },
      steps: 40,
    },
  },
  'smollm2-format': {
    description: `Format on SmolLM2-135M-Instruct: "a+b" with operands 0-50, answered inside <answer></answer>. The model often knows the sum but not the tags: expect xml_format to climb within 10-30 steps and accuracy to follow the format. LoRA on WebGPU: about 2.8 GiB planned. ${NOT_MEASURED}`,
    config: {
      version: 1,
      model: { id: 'hf:HuggingFaceTB/SmolLM2-135M-Instruct' },
      task: { name: 'arithmetic', params: { maxOperand: 50 }, evalSize: 32 },
      rubric: { criteria: format('correct_answer', 'correct_answer') },
      grpo: { ...SMALL_BATCH, learningRate: 5e-5 },
      lora: LORA,
      sampling: { maxNewTokens: 32 },
      eval: { every: 10, maxNewTokens: 32 },
      steps: 40,
    },
  },
  'qwen2.5-reverse': {
    description: `Reverse 3-6 letter strings on Qwen2.5-0.5B-Instruct (BPE tokens make letter-level work hard): expect the format at once and accuracy to creep up over tens of steps. Needs WebGPU: with LoRA the memory plan says about 5.9 GiB at this batch (12 GiB for full fine-tuning; the Model panel shows it before the download). ${NOT_MEASURED}`,
    config: {
      version: 1,
      model: { id: 'hf:Qwen/Qwen2.5-0.5B-Instruct' },
      task: { name: 'reverse', params: { minLength: 3, maxLength: 6 }, evalSize: 32 },
      rubric: { criteria: format('correct_answer', 'correct_answer') },
      grpo: { ...SMALL_BATCH, learningRate: 2e-5 },
      lora: LORA,
      sampling: { maxNewTokens: 32 },
      eval: { every: 10, maxNewTokens: 32 },
      steps: 40,
    },
  },
  'qwen2.5-arithmetic': {
    description: `Short arithmetic on Qwen2.5-0.5B-Instruct: two-digit + - *, answered in <answer>. The model solves most sums already; expect high step-0 accuracy on + and -, and the gain to come from * and from the format. Needs WebGPU: about 5.9 GiB planned with LoRA at this batch (12 GiB for full fine-tuning). ${NOT_MEASURED}`,
    config: {
      version: 1,
      model: { id: 'hf:Qwen/Qwen2.5-0.5B-Instruct' },
      task: { name: 'arithmetic', params: { maxOperand: 99, ops: '+-*' }, evalSize: 32 },
      rubric: { criteria: format('correct_answer', 'correct_answer') },
      grpo: { ...SMALL_BATCH, learningRate: 2e-5 },
      lora: LORA,
      sampling: { maxNewTokens: 32 },
      eval: { every: 10, maxNewTokens: 32 },
      steps: 40,
    },
  },
};
