// README.md of an export: how to run it (one GPU, several, vLLM server mode; or verifiers), what maps exactly
// from the run config and what does not (trl-config.ts's notes), and how each criterion runs in Python.
import type { RunConfig } from '../config/schema.ts';
import type { ExportOptions, ExportTarget } from './project.ts';
import { mappingNotes } from './trl-config.ts';

const HOW_CRITERIA_RUN: Record<string, string> = {
  regex:
    "Python's `re` instead of JavaScript's RegExp: the same on the usual syntax (classes, groups, anchors, lookahead; `(?<name>` is rewritten to `(?P<name>`); they differ on `$` before a final newline (Python also matches there), Unicode classes, and there is no time limit, so a catastrophic pattern can hang.",
  custom_code:
    'Your JavaScript runs unchanged: in QuickJS through the `quickjs` Python package (`pip install quickjs`, the engine the playground uses, with its time and memory limits), else in Node.js (`node` on PATH; `vm` with the time limit, which is not a security sandbox). Same prelude as the playground (seeded Math.random, clock frozen at 2024-01-01).',
  llm_judge: 'Calls the same endpoint with the same prompt, temperature 0, retries and score parsing; the key comes from GRPO_JUDGE_API_KEY.',
  length_target: 'Token lengths come from TRL\'s completion_ids (the policy tokenizer, as here); verifiers gives no token count, so unit "tokens" scores 0 with an error there.',
  overlong_penalty: "Needs the completion's token count: TRL's completion_ids; not available under verifiers (scores 0 with an error).",
  solved: "Reads the multi-turn environment's final state, which this export does not port: scores 0 with an error.",
  solved_in_turns: "Reads the multi-turn environment's final state, which this export does not port: scores 0 with an error.",
  tool_use: "Reads the multi-turn environment's final state, which this export does not port: scores 0 with an error.",
};

export function exportReadme(
  config: RunConfig,
  target: ExportTarget,
  opts: ExportOptions,
  info: { trainRows: number; evalRows: number; multiTurn: boolean; truncatedRows: boolean },
): string {
  const lines: string[] = [];
  const name = config.name ?? `${config.task.name} on ${config.model.id}`;
  lines.push(`# ${name}: exported from GRPO Playground for ${target === 'trl' ? 'TRL' : 'verifiers'}`, '');
  lines.push(
    `Model: \`${opts.model}\`${opts.revision ? ` (revision ${opts.revision})` : ''}${opts.model === 'model' ? ' (the bundled model, copied to model/)' : ''}. ` +
      `Task \`${config.task.name}\`: ${info.trainRows} training rows in the order the playground draws them (data/train.jsonl${info.truncatedRows ? ', cut at the export limit' : ''}), ` +
      `${info.evalRows} held-out rows (data/eval.jsonl). The run config is run.json; the rubric (criteria with every param resolved) is rubric.json.`,
    '',
  );
  if (info.multiTurn) {
    lines.push(
      '**This task is multi-turn in the playground** (an environment answers between the model\'s turns). The export holds its first-turn prompts only: TRL and the SingleTurnEnv below train one turn, and the criteria that read the environment\'s state score 0. Porting the environment (verifiers MultiTurnEnv.env_response) is left to you.',
      '',
    );
  }
  if (target === 'trl') {
    lines.push('## Run', '', '```sh', 'pip install -r requirements.txt', 'python train_trl.py                       # one GPU', 'python train_trl.py --vllm colocate       # one GPU, vLLM rollouts in the same process', 'accelerate launch --num_processes 4 train_trl.py   # several GPUs (DDP; add --config_file for DeepSpeed ZeRO)', `CUDA_VISIBLE_DEVICES=0 trl vllm-serve --model ${opts.model}   # vLLM server mode: one GPU generates...`, 'CUDA_VISIBLE_DEVICES=1,2,3,4 accelerate launch --num_processes 4 train_trl.py --vllm server   # ...the others train', '```', '');
    lines.push(
      'Held-out accuracy as the playground measures it (greedy, the task\'s correctness criterion): serve the trained model with an OpenAI-compatible server (`vllm serve outputs`) and run `npx grpo-playground eval --config run.json --api-base http://127.0.0.1:8000/v1 --api-model outputs`.',
      '',
    );
    lines.push('## What maps from the run config', '', '| playground | TRL | maps | note |', '|---|---|---|---|');
    for (const n of mappingNotes(config)) lines.push(`| ${n.setting} | ${n.trl} | ${n.fidelity} | ${n.note ?? ''} |`);
    lines.push('');
  } else {
    lines.push(
      '## Run',
      '',
      '```sh',
      'pip install -e .                 # installs the playground-env environment module',
      'vf-eval playground-env -m gpt-4.1-mini -n 20    # evaluate a model on it',
      '```',
      '',
      '`load_environment()` in playground_env.py returns a `vf.SingleTurnEnv` over data/train.jsonl (eval: data/eval.jsonl) with a `vf.Rubric` of one reward function per criterion and the same weights. Train it with prime-rl or verifiers\' GRPO trainer; the GRPO hyperparameters of the run are in run.json (`grpo`, `sampling`): verifiers leaves them to the trainer\'s own config.',
      '',
    );
  }
  lines.push('## The reward functions', '');
  lines.push(
    'playground_rewards.py ports every built-in criterion kind of the playground to plain Python (standard library only), with JavaScript\'s whitespace, trim and number formatting where Python\'s differ, so a completion scores the same here as in the playground (the playground\'s tests run it on a fixed set of completions for every kind and compare). A criterion that fails scores 0, as in the playground. Check any completions yourself: `python3 check_rewards.py cases.jsonl` (one {"prompt", "completion", "answer", ...} per line).',
    '',
  );
  const kinds = [...new Set(config.rubric.criteria.map((c) => c.kind))];
  for (const kind of kinds) {
    const how = HOW_CRITERIA_RUN[kind];
    if (how) lines.push(`- \`${kind}\`: ${how}`);
  }
  if (kinds.some((k) => HOW_CRITERIA_RUN[k])) lines.push('');
  lines.push(
    'What differs in any case: sampling uses another engine\'s random numbers, so completions (and curves) are not the same draw by draw; TRL/vLLM decode with the model\'s generation_config and chat template as the playground does.',
    '',
  );
  return lines.join('\n');
}
