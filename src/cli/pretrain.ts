// `grpo-playground pretrain`: the recipe for the bundled tiny models. A random-init Llama-style model with
// the character tokenizer is taught the chat format and one or more presets' tasks by supervised training
// on expert demonstrations (src/rl/demos.ts) of rows from each task's own seeded generator (never its
// held-out rows), played through the task's environment: multi-turn tasks (calculator, guess-number) train
// on the assistant's turns only, with tool results and game replies as context. Then it is written as a
// Hugging Face folder. With --catalog it also measures each preset's step-0 eval accuracy (greedy, held-out rows) and
// records the model in the catalogue (public/models/index.json). Deterministic for a seed: the same command
// rebuilds the same weights, bit for bit.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelFolderFiles, createTinyModel, type LoadedModel } from '../engine/io/model-folder.ts';
import { writeModelFolder } from '../engine/io/node-source.ts';
import { CHATML_NO_SYSTEM_TEMPLATE } from '../engine/chat.ts';
import { DEFAULT_EXTRA_TOKENS } from '../engine/tokenizer.ts';
import { DemoError, demoPolicy, playDemonstration, type DemoPolicy } from '../rl/demos.ts';
import { isMultiTurnTask } from '../rl/envs/types.ts';
import { supervisedFineTune } from '../rl/sft.ts';
import { ModelCatalog, parseModelCatalog, type CatalogEntry } from '../rl/model-catalog.ts';
import { getPreset } from '../rl/presets.ts';
import { Trainer } from '../rl/trainer.ts';
import { dropCarry } from '../rl/flaws.ts';
import { flawedTextReply, type TextFlaws } from '../rl/flaws-text.ts';
import { decadeSearchPolicy } from '../rl/demos-guess-number.ts';
import { parseGuessNumberParams } from '../rl/tasks/guess-number.ts';
import { wordGameDemo } from '../rl/demos-word-game.ts';
import { parseWordGameParams } from '../rl/tasks/word-game.ts';
import { learningRate } from '../rl/schedule.ts';
import { randomUniform, Stream } from '../engine/rng.ts';
import { createTask } from '../rl/tasks/index.ts';
import type { Task, TaskParams } from '../rl/tasks/types.ts';
import type { RunConfig } from '../rl/config/schema.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { CliError, parseCount } from './load-config.ts';

export interface PretrainFlags {
  preset: string;
  task?: string;
  steps: string;
  seed: string;
  out: string;
  batch: string;
  lr: string;
  hidden: string;
  layers: string;
  backend: BackendChoice;
  catalog?: string;
  name?: string;
  description?: string;
  /** calculator: fraction of products answered without the tool (DemoOptions.directProducts). */
  direct?: string;
  /** arithmetic: probability that a carrying addition is written without its carry (src/rl/flaws.ts). */
  dropCarry?: string;
  /** constant or cosine (decay to 0.1x over the run, for a settled final model). */
  lrSchedule?: string;
  /** reverse, sort, own-data: probability that the last two letters (items) are written swapped (src/rl/flaws-text.ts). */
  swapLast?: string;
  /** length: probability that the reply has one word too many (src/rl/flaws-text.ts). */
  extraWord?: string;
  /** countdown: probability that a sum in the solution is written as a product (src/rl/flaws-text.ts). */
  plusToTimes?: string;
  /** guess-number: play decade-then-units search, scanning the units one by one in this share of episodes (src/rl/demos-guess-number.ts). */
  guessScan?: string;
  /** word-game on codes: probability that an episode's player does not read the - marks (src/rl/demos-word-game.ts). */
  wordIgnoreAbsent?: string;
}

/**
 * Whole tokens for the multi-turn formats' tags: "<tool>calculator</tool><args>1+2</args>" is 17 tokens
 * instead of 39, so episodes fit the context and train faster. Only models with a multi-turn task get them
 * (single-turn recipes keep the default vocabulary, and so their exact weights).
 */
const MULTI_TURN_EXTRA_TOKENS = [...DEFAULT_EXTRA_TOKENS, '<guess>', '</guess>', '<tool>', '</tool>', '<args>', '</args>'];

/** Counter offset of the flaw's uniforms in the data stream (far from the task generators' counters). */
const FLAW_COUNTER = 0x4000_0000;

export async function pretrainCommand(flags: PretrainFlags, argv: string[] = process.argv.slice(2)): Promise<void> {
  const steps = parseCount('--steps', flags.steps, 1);
  const seed = parseCount('--seed', flags.seed, 0);
  const batchSize = parseCount('--batch', flags.batch, 1);
  const hidden = parseCount('--hidden', flags.hidden, 8);
  const layers = parseCount('--layers', flags.layers, 1);
  const lr = Number(flags.lr);
  if (!(lr > 0 && lr < 1)) throw new CliError(`--lr must be a number in (0, 1), got "${flags.lr}"`);
  if (hidden % 4 !== 0) throw new CliError(`--hidden must be a multiple of 4 (4 attention heads), got ${hidden}`);
  const dropCarryP = Number(flags.dropCarry ?? '0');
  if (!(dropCarryP >= 0 && dropCarryP <= 1)) throw new CliError(`--drop-carry must be a number in [0, 1], got "${flags.dropCarry}"`);
  const schedule = flags.lrSchedule ?? 'constant';
  if (schedule !== 'constant' && schedule !== 'cosine') throw new CliError(`--lr-schedule must be constant or cosine, got "${schedule}"`);
  const textFlaws: TextFlaws = {
    swapLast: probability('--swap-last', flags.swapLast),
    extraWord: probability('--extra-word', flags.extraWord),
    plusToTimes: probability('--plus-to-times', flags.plusToTimes),
  };
  const guessScan = flags.guessScan === undefined ? undefined : probability('--guess-scan', flags.guessScan);
  const wordIgnoreAbsent = probability('--word-ignore-absent', flags.wordIgnoreAbsent);
  const directProducts = Number(flags.direct ?? '0');
  if (!(directProducts >= 0 && directProducts <= 1)) throw new CliError(`--direct must be a number in [0, 1], got "${flags.direct}"`);

  // Each preset contributes its task with the preset's own parameters, so the model learns exactly the
  // distribution the preset trains on. --task NAME (older form) means that task with default parameters.
  const presetNames = flags.task ? [] : flags.preset.split(',').map((s) => s.trim()).filter(Boolean);
  const presets: RunConfig[] = presetNames.map((name) => {
    try {
      return getPreset(name);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  });
  const taskSpecs: { name: string; params: TaskParams }[] = flags.task
    ? [{ name: flags.task, params: {} }]
    : presets.map((p) => ({ name: p.task.name, params: p.task.params }));
  if (taskSpecs.length === 0) throw new CliError('give --preset NAME[,NAME...]');
  const tasks: Task[] = taskSpecs.map((t) => {
    try {
      return createTask(t.name, t.params);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  });
  const policies: DemoPolicy[] = taskSpecs.map((t) => {
    try {
      return demoPolicy(t.name, t.params, { directProducts });
    } catch (e) {
      if (e instanceof DemoError) throw new CliError(e.message);
      throw e;
    }
  });

  // Parsed once: a code game's params hold its every code.
  const wordGames = taskSpecs.map((t) => (t.name === 'word-game' ? parseWordGameParams(t.params) : undefined));

  // No system prompt in the template: the model learns the format from its data, and char-level system
  // prompts would make every sequence ~3x longer (so every step ~3x slower) for nothing.
  const base = createTinyModel({
    seed,
    chatTemplate: CHATML_NO_SYSTEM_TEMPLATE,
    extraTokens: tasks.some(isMultiTurnTask) ? MULTI_TURN_EXTRA_TOKENS : undefined,
    config: { hidden_size: hidden, intermediate_size: hidden * 2, num_hidden_layers: layers, num_attention_heads: 4, num_key_value_heads: 2 },
  });
  const backend = await createBackend(flags.backend);
  const t0 = performance.now();
  const what = flags.task ? `task ${flags.task}` : `preset${presets.length > 1 ? 's' : ''} ${presetNames.join(', ')}`;
  process.stderr.write(`pretrain ${base.layout.count.toLocaleString('en-US')} params on ${what} for ${steps} steps (batch ${batchSize}, lr ${lr}) on ${backend.deviceName}\n`);
  // Example i comes from task i mod K: every batch mixes the tasks evenly. A single-turn demonstration is
  // the prompt then the reply; a multi-turn one is the whole episode, cut to the model's context.
  const codec = { tokenizer: base.tokenizer, chatTemplate: base.chatTemplate };
  const maxLength = base.config.max_position_embeddings;
  const params = await supervisedFineTune(
    base,
    backend,
    tasks[0],
    async (i) => {
      const k = i % tasks.length;
      const row = tasks[k].trainRow(seed, Math.floor(i / tasks.length));
      // The carry flaw draws one uniform per example (not per problem), so every problem is seen both ways;
      // the games draw theirs the same way (guess-number: scan or halve; word-game: which consistent word), and
      // so do the text flaws (flaws-text.ts; a task without a flaw set keeps its ideal policy).
      const u = randomUniform(seed, Stream.data, FLAW_COUNTER + i);
      const flawed = flawedTextReply(tasks[k].name, row, textFlaws, u);
      const policy: DemoPolicy =
        dropCarryP > 0 && tasks[k].name === 'arithmetic'
          ? () => `<answer>${dropCarry(row, dropCarryP, u)}</answer>`
          : flawed !== undefined
            ? () => flawed
            : guessScan !== undefined && tasks[k].name === 'guess-number'
              ? decadeSearchPolicy(parseGuessNumberParams(taskSpecs[k].params).maxNumber, u < guessScan)
              : wordGames[k] !== undefined // words: a consistent word drawn by u; codes: flawed when u < p
                ? wordGameDemo(wordGames[k], u, u < wordIgnoreAbsent)
                : policies[k];
      const demo = await playDemonstration(codec, tasks[k], row, policy, maxLength);
      return { segments: demo.segments };
    },
    {
      steps,
      batchSize,
      learningRate: lr,
      learningRateAt: (s) => learningRate(s, steps, { schedule, baseLr: lr, warmupSteps: 0, minLrRatio: 0.1 }),
      onStep: (s, loss) => {
        if ((s + 1) % 50 === 0 || s === steps - 1) {
          process.stderr.write(`step ${s + 1}/${steps} loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
        }
      },
    },
  );
  const trained: LoadedModel = { ...base, params };
  await writeModelFolder(flags.out, modelFolderFiles(trained, params));
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write(`wrote ${flags.out} in ${seconds.toFixed(1)} s\n`);

  if (flags.catalog) {
    const baselines: CatalogEntry['baselines'] = {};
    for (const [i, preset] of presets.entries()) {
      const trainer = await Trainer.create(preset, trained, backend);
      const accuracy = (await trainer.evaluate()).metrics['eval/accuracy'];
      baselines[presetNames[i]] = { evalAccuracy: round(accuracy) };
      process.stderr.write(`preset ${presetNames[i]}: step-0 eval accuracy ${accuracy.toFixed(3)}\n`);
    }
    const id = flags.out.replace(/\/+$/, '').split('/').at(-1)!;
    const entry: CatalogEntry = {
      id,
      name: flags.name ?? id,
      description: flags.description ?? `A ${layers}-layer character model pretrained on ${what}.`,
      params: base.layout.count,
      bytes: (await stat(join(flags.out, 'model.safetensors'))).size,
      tasks: [...new Set(tasks.map((t) => t.name))],
      presets: presetNames,
      baselines,
      recipe: `npx grpo-playground pretrain ${argv.filter((a) => a !== 'pretrain').map(shellWord).join(' ')}`,
    };
    await updateCatalog(flags.catalog, entry);
    process.stderr.write(`recorded ${id} in ${flags.catalog}\n`);
  }
}

/** A command-line word as a POSIX shell reads it back (quoted when it holds spaces or shell characters). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A flaw's probability flag: a number in [0, 1], 0 when not given. */
function probability(flag: string, value: string | undefined): number {
  const p = Number(value ?? '0');
  if (!(p >= 0 && p <= 1)) throw new CliError(`${flag} must be a number in [0, 1], got "${value}"`);
  return p;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Insert or replace one entry, keeping the others in order. */
async function updateCatalog(path: string, entry: CatalogEntry): Promise<void> {
  let catalog: ModelCatalog = { version: 1, models: [] };
  try {
    catalog = parseModelCatalog(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`--catalog ${path}: ${(e as Error).message}`);
  }
  const at = catalog.models.findIndex((m) => m.id === entry.id);
  if (at >= 0) catalog.models[at] = entry;
  else catalog.models.push(entry);
  ModelCatalog.parse(catalog);
  await writeFile(path, JSON.stringify(catalog, null, 2) + '\n');
}
