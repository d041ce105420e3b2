// Sample completions for the rubric preview: what the user scores criteria on before training. By default
// one prompt of the current task with a right answer in the format, a bare right answer and a wrong one in
// the format (for arithmetic "3+5": "<answer>8</answer>", "8", "<answer>7</answer>"); after a run, the latest
// completions the model wrote. The user may edit them.
import type { RunConfig } from '../../rl/config/schema.ts';
import { createTask } from '../../rl/tasks/index.ts';
import type { PreviewSample } from '../../worker/preview-protocol.ts';

export interface PreviewSamples {
  prompt: string;
  answer: string;
  info?: Record<string, unknown>;
  completions: string[];
}

export const MAX_SAMPLES = 8;

/** A plausible wrong answer: one less for numbers, else the answer reversed (or "x"). */
export function wrongAnswer(answer: string): string {
  const n = Number(answer);
  if (answer.trim() !== '' && Number.isFinite(n)) return String(n - 1);
  const reversed = [...answer].reverse().join('');
  return reversed !== answer ? reversed : `${answer}x`;
}

export function examplesFor(prompt: string, answer: string, info?: Record<string, unknown>): PreviewSamples {
  return { prompt, answer, info, completions: [`<answer>${answer}</answer>`, answer, `<answer>${wrongAnswer(answer)}</answer>`] };
}

/** The first training row of the config's task (seeded like the run), with the three example completions. */
export function defaultSamples(config: Pick<RunConfig, 'task' | 'seed'>): PreviewSamples {
  try {
    const row = createTask(config.task.name, config.task.params).trainRow(config.seed, 0);
    return examplesFor(row.prompt, row.answer, row.info);
  } catch {
    return examplesFor('3+5', '8');
  }
}

/** The latest completions of a run (newest first), keeping the prompt they answer. */
export function samplesFromRun(run: { prompt: string; answer?: string; completions: readonly string[] }, current: PreviewSamples): PreviewSamples {
  return {
    prompt: run.prompt,
    answer: run.answer ?? current.answer,
    info: run.answer === undefined ? current.info : undefined,
    completions: run.completions.slice(0, MAX_SAMPLES),
  };
}

/** The worker's view: one sample per completion. */
export function toPreviewSamples(samples: PreviewSamples): PreviewSample[] {
  return samples.completions.map((completion) => ({ prompt: samples.prompt, answer: samples.answer, completion, info: samples.info }));
}
