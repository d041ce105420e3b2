// The generated train_trl.py: datasets from data/*.jsonl, the rubric's reward functions (trl_rewards.py),
// GRPOConfig with the run's fields (trl-config.ts) written out one per line, LoRA as a peft LoraConfig, and
// flags for vLLM (--vllm colocate | server) so the same script runs on one GPU or under accelerate launch.
import type { RunConfig } from '../config/schema.ts';
import type { ExportOptions } from './project.ts';
import { pyLiteral } from './python-literal.ts';
import { grpoConfigFields, peftConfigFields } from './trl-config.ts';

export function trlScript(config: RunConfig, opts: ExportOptions, multiTurn: boolean): string {
  const fields = Object.entries(grpoConfigFields(config))
    .map(([k, v]) => `        ${k}=${pyLiteral(v)},`)
    .join('\n');
  const peft = peftConfigFields(config);
  const stop = config.sampling.stop;
  return `"""Train the exported GRPO Playground run with TRL's GRPOTrainer.

One GPU:      python train_trl.py
vLLM inside:  python train_trl.py --vllm colocate
Several GPUs: accelerate launch --num_processes 4 train_trl.py
vLLM server:  CUDA_VISIBLE_DEVICES=0 trl vllm-serve --model ${opts.model}
              CUDA_VISIBLE_DEVICES=1,2,3,4 accelerate launch --num_processes 4 train_trl.py --vllm server
"""

import argparse
import os
import sys
${peft ? '\nfrom peft import LoraConfig\n' : ''}
from datasets import load_dataset
from trl import GRPOConfig, GRPOTrainer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from trl_rewards import reward_funcs_and_weights  # noqa: E402

MODEL = ${pyLiteral(opts.model)}
MODEL_REVISION = ${pyLiteral(opts.revision ?? null)}
PROMPTS_PER_STEP = ${config.grpo.promptsPerStep}
STOP_STRINGS = ${pyLiteral(stop)}
MULTI_TURN = ${pyLiteral(multiTurn)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=MODEL, help="model folder or Hub id (default: the run's)")
    parser.add_argument("--vllm", choices=["off", "colocate", "server"], default="off", help="generate with vLLM")
    parser.add_argument("--output-dir", default=os.path.join(HERE, "outputs"))
    args = parser.parse_args()
    model = args.model if os.path.isabs(args.model) or not os.path.isdir(os.path.join(HERE, args.model)) else os.path.join(HERE, args.model)

    if MULTI_TURN:
        print("warning: this task is multi-turn in the playground; this script trains its first turn only (see README.md)", file=sys.stderr)
    processes = int(os.environ.get("WORLD_SIZE", "1"))
    if PROMPTS_PER_STEP % processes:
        print(f"warning: promptsPerStep {PROMPTS_PER_STEP} does not divide by {processes} processes", file=sys.stderr)
    gradient_accumulation_steps = max(1, PROMPTS_PER_STEP // processes)

    data = load_dataset("json", data_files={"train": os.path.join(HERE, "data", "train.jsonl"), "eval": os.path.join(HERE, "data", "eval.jsonl")})
    reward_funcs, reward_weights = reward_funcs_and_weights()
    vllm = {}
    if args.vllm != "off":
        vllm = {"use_vllm": True, "vllm_mode": args.vllm}
        if STOP_STRINGS:
            # vLLM's SamplingParams; the playground keeps the stop string in the completion.
            vllm["generation_kwargs"] = {"stop": STOP_STRINGS, "include_stop_str_in_output": True}
    config = GRPOConfig(
        output_dir=args.output_dir,
        gradient_accumulation_steps=gradient_accumulation_steps,
${fields}
        model_init_kwargs={"revision": MODEL_REVISION} if MODEL_REVISION else None,
        **vllm,
    )
    assert config.reward_weights == reward_weights
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=reward_funcs,
        args=config,
        train_dataset=data["train"],
        eval_dataset=data["eval"] if config.eval_strategy != "no" else None,
        peft_config=${peft ? `LoraConfig(${Object.entries(peft).map(([k, v]) => `${k}=${pyLiteral(v)}`).join(', ')})` : 'None'},
    )
    trainer.train()
    trainer.save_model(args.output_dir)


if __name__ == "__main__":
    main()
`;
}
