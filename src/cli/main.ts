// The grpo-playground command line: train, eval and presets over the same trainer as the browser.
import { Command, InvalidArgumentError, Option } from 'commander';
import { PRESET_DESCRIPTIONS, PRESETS } from '../rl/presets.ts';
import { apiEvalCommand, DEFAULT_API_KEY_ENV } from './api-eval.ts';
import { BACKEND_CHOICES, type BackendChoice } from './backend.ts';
import { evalCommand } from './eval.ts';
import { exportCommand } from './export.ts';
import { CliError } from './load-config.ts';
import { pretrainCommand } from './pretrain.ts';
import { rubricSuggestCommand } from './rubric-suggest.ts';
import { serveCommand } from './serve.ts';
import { trainCommand } from './train.ts';

const program = new Command()
  .name('grpo-playground')
  .description('Train small language models with GRPO, headless (same trainer as the browser playground).')
  .showSuggestionAfterError(true);

const configOptions = (cmd: Command) =>
  cmd
    .option('--preset <name>', 'a built-in run config (see `presets`)')
    .option('--config <file>', 'a run config JSON file')
    .option('--url <shareUrl>', 'a playground share link')
    .option('--seed <n>', 'override the run seed')
    .option('--model <dir|hf:ORG/NAME[@REV]>', 'a Hugging Face-format folder, or a Hub model (cached under $HF_HOME; HF_ENDPOINT, HF_TOKEN honoured) instead of the bundled one')
    .addOption(
      new Option('--backend <kind>', 'compute backend').choices(BACKEND_CHOICES as unknown as string[]).default('auto'),
    );

configOptions(program.command('train').description('run GRPO training'))
  .option('--steps <n>', 'override the number of GRPO steps')
  .option('--log <file>', 'write metrics as JSON lines to this file')
  .option('--out <dir>', 'write the trained model as a Hugging Face-format folder; for a LoRA run, the PEFT adapter (adapter_config.json + adapter_model.safetensors)')
  .option('--merged-out <dir>', 'LoRA runs: also write the merged model (base + adapters) as a Hugging Face-format folder')
  .option('--checkpoint-every <n>', 'save OUT/checkpoint-STEP every n steps (weights, optimiser state, counters; the newest two kept)')
  .option('--resume <dir>', 'continue a run exactly from a checkpoint folder (its own run config; Ctrl-C also saves one)')
  .option('--quiet', 'no progress bar')
  .action((opts) => run(() => trainCommand({ ...opts, backend: opts.backend as BackendChoice })));

configOptions(program.command('eval').description('score a model on the task held-out set without training (a local model, or one behind an OpenAI-compatible API)'))
  .option('--samples <n>', 'number of held-out rows to score', (v) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a positive integer');
    return Number(v);
  })
  .option('--api-base <url>', 'evaluate the model behind this OpenAI-compatible endpoint (e.g. https://api.openai.com/v1) instead of a local one')
  .option('--api-model <name>', 'with --api-base: the model name to request')
  .option('--api-key-env <NAME>', `with --api-base: environment variable holding the API key (default ${DEFAULT_API_KEY_ENV}; never printed)`)
  .option('--completions <n>', 'with --api-base: completions per row (pass@k for k up to n)')
  .option('--temperature <t>', 'with --api-base: sampling temperature (default 0 for one completion, else the run config\'s)')
  .option('--top-p <p>', 'with --api-base: nucleus sampling')
  .option('--max-tokens <n>', 'with --api-base: max_tokens per turn (default the run config\'s eval.maxNewTokens)')
  .option('--concurrency <n>', 'with --api-base: requests in flight at once', '4')
  .option('--timeout-ms <n>', 'with --api-base: timeout per request attempt')
  .option('--retries <n>', 'with --api-base: retries after a network error, timeout, 429 or 5xx')
  .option('--log <file>', 'with --api-base: write the eval line and every completion as JSON lines')
  .option('--quiet', 'with --api-base: no progress lines')
  .action((opts) =>
    run(async () => {
      if (opts.apiBase === undefined) {
        const apiOnly = ['apiModel', 'apiKeyEnv', 'completions', 'temperature', 'topP', 'maxTokens', 'timeoutMs', 'retries', 'log', 'quiet'].filter((k) => opts[k] !== undefined);
        if (apiOnly.length > 0) throw new CliError(`--${apiOnly[0].replace(/[A-Z]/g, (c: string) => `-${c.toLowerCase()}`)} needs --api-base`);
        return evalCommand({ ...opts, backend: opts.backend as BackendChoice });
      }
      if (opts.model !== undefined) throw new CliError('--model names a local model; with --api-base the model is --api-model');
      await apiEvalCommand(opts);
    }),
  );

program
  .command('pretrain')
  .description('build a tiny model from scratch by supervised training on presets\' tasks (the bundled models\' recipe)')
  .requiredOption('--out <dir>', 'where to write the Hugging Face-format model folder')
  .option('--preset <names>', 'comma-separated presets whose tasks (with their parameters) supply the training rows', 'arithmetic')
  .option('--task <name>', 'a task with its default parameters instead of --preset')
  .option('--steps <n>', 'supervised steps', '150')
  .option('--seed <n>', 'seed for init and data order', '1')
  .option('--batch <n>', 'sequences per step', '32')
  .option('--lr <x>', 'AdamW learning rate', '3e-3')
  .option('--hidden <n>', 'hidden size', '64')
  .option('--layers <n>', 'decoder layers', '2')
  .option('--catalog <file>', 'measure each preset\'s step-0 eval accuracy and record the model in this catalogue (public/models/index.json)')
  .option('--name <text>', 'display name for the catalogue')
  .option('--description <text>', 'one-line description for the catalogue')
  .option('--lr-schedule <name>', 'constant, or cosine (decay to 0.1x by the last step)', 'constant')
  .option('--drop-carry <p>', 'arithmetic: write a carrying sum without its carry with probability p (a deliberate flaw GRPO can fix)', '0')
  .option('--direct <f>', 'calculator: fraction of problems with a product that the demonstrations answer without the tool', '0')
  .option('--swap-last <p>', 'reverse, sort, own-data: write the last two letters (list items) swapped with probability p (a deliberate flaw GRPO can fix)', '0')
  .option('--word-ignore-absent <p>', 'word-game on codes: in this share of episodes the player does not read the - marks (a deliberate flaw GRPO can fix)')
  .option('--guess-scan <p>', 'guess-number: find the decade, then halve it, or scan it one by one in this share of episodes (a deliberate flaw GRPO can fix)')
  .option('--extra-word <p>', 'length: write one word too many with probability p (a deliberate flaw GRPO can fix)', '0')
  .option('--plus-to-times <p>', 'countdown: write the solution\'s sums as products with probability p (a deliberate flaw GRPO can fix)', '0')
  .addOption(new Option('--backend <kind>', 'compute backend').choices(BACKEND_CHOICES as unknown as string[]).default('auto'))
  .action((opts) => run(() => pretrainCommand(opts)));

program
  .command('serve')
  .description('serve a model over the OpenAI chat-completions API (POST /v1/chat/completions, GET /v1/models)')
  .requiredOption('--model <dir|hf:ORG/NAME[@REV]|id>', 'a Hugging Face-format folder, a Hub model, or a bundled model id')
  .option('--port <n>', 'TCP port (0 picks a free one)', '8000')
  .option('--host <addr>', 'address to bind (anything but loopback exposes the model to the network)', '127.0.0.1')
  .option('--seed <n>', 'seed of the sampling streams of requests without a seed')
  .option('--max-batch <n>', 'completions decoded together at most (sum of n over batched requests)')
  .option('--max-queued <n>', 'requests queued or running at most; more get 429')
  .option('--allow-origin <origins>', 'comma-separated origins whose web pages may call this server (CORS), e.g. http://localhost:5173 for the playground; * for any')
  .addOption(new Option('--backend <kind>', 'compute backend').choices(BACKEND_CHOICES as unknown as string[]).default('auto'))
  .action((opts) => run(() => serveCommand(opts)));

program
  .command('export')
  .description('write the run as a Python project for TRL (GRPOTrainer) or verifiers, with the rubric ported to Python')
  .requiredOption('--to <target>', 'trl or verifiers')
  .requiredOption('--out <dir>', 'a new or empty folder')
  .option('--preset <name>', 'a built-in run config (see `presets`)')
  .option('--config <file>', 'a run config JSON file')
  .option('--url <shareUrl>', 'a playground share link')
  .action((opts) => run(async () => void (await exportCommand(opts))));

const rubric = program.command('rubric').description('design a rubric with help');
rubric
  .command('suggest')
  .description('an LLM behind an OpenAI-compatible endpoint proposes rubric criteria for the task; each is checked, previewed and applied only when accepted')
  .requiredOption('--task <text>', 'what the task is and what a good answer looks like')
  .requiredOption('--api-base <url>', 'the assistant\'s OpenAI-compatible endpoint (e.g. http://127.0.0.1:8000/v1 from `serve`)')
  .requiredOption('--api-model <name>', 'the model name to request')
  .option('--api-key-env <NAME>', `environment variable holding the API key (default ${DEFAULT_API_KEY_ENV}; never printed)`)
  .option('--preset <name>', 'a built-in run config whose task and rubric to start from (see `presets`)')
  .option('--config <file>', 'a run config JSON file to start from')
  .option('--url <shareUrl>', 'a playground share link to start from')
  .option('--examples <file>', 'JSON lines {"prompt", "answer"?, "completions"?: [...]} (default: the task\'s first 3 training rows)')
  .option('--accept <names>', 'comma-separated proposals to keep, or "all" (default: none)')
  .option('--out <file>', 'with --accept: write the run config with the accepted criteria appended')
  .option('--call-judge', 'preview proposed llm_judge criteria too (one request per sample)')
  .option('--timeout-ms <n>', 'timeout per request attempt (default 60000)')
  .option('--retries <n>', 'retries after a network error, timeout, 429 or 5xx (default 1)')
  .action((opts) => run(async () => void (await rubricSuggestCommand(opts))));

program
  .command('presets')
  .description('list the built-in presets')
  .action(() => {
    for (const [name, c] of Object.entries(PRESETS)) {
      console.log(`${name.padEnd(14)} task=${c.task.name} model=${c.model.id} steps=${c.steps}`);
      const about = PRESET_DESCRIPTIONS[name];
      if (about) console.log(`${' '.repeat(14)} ${about}`);
    }
  });

async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    process.exit(process.exitCode ?? 0); // a command may set one (130: train stopped by Ctrl-C)
  } catch (e) {
    const msg = e instanceof CliError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    process.stderr.write(`error: ${msg}\n`);
    process.exit(1);
  }
}

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
});
