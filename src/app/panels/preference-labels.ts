// A person's labels on sample completions (for fitting rubric weights to their judgement): per (prompt,
// completion), a rating from 1 (bad) to 5 (good). Kept in a small store saved to localStorage, so they survive a
// reload, and written into the run file (run.json "labels") when a run is exported, read back when imported.
// Model output is untrusted: labels are plain data, their texts are only ever rendered as text.
import { create } from 'zustand';

export interface PreferenceLabel {
  prompt: string;
  completion: string;
  /** 1 (bad) to 5 (good); "good" is 5, "bad" is 1. */
  rating: number;
}

export const RATINGS = [1, 2, 3, 4, 5] as const;
const STORAGE_KEY = 'grpo-playground:preference-labels';
/** Labels kept at most (oldest dropped first). */
export const MAX_LABELS = 500;
const MAX_TEXT = 20_000;

const keyOf = (prompt: string, completion: string) => `${prompt}\u0000${completion}`;

/** Labels from untrusted JSON (storage, an imported run file): the valid entries, capped; throws nothing. */
export function checkedLabels(value: unknown): PreferenceLabel[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (l): l is PreferenceLabel =>
        l !== null &&
        typeof l === 'object' &&
        typeof l.prompt === 'string' &&
        typeof l.completion === 'string' &&
        l.prompt.length <= MAX_TEXT &&
        l.completion.length <= MAX_TEXT &&
        (RATINGS as readonly number[]).includes(l.rating),
    )
    .slice(-MAX_LABELS)
    .map((l) => ({ prompt: l.prompt, completion: l.completion, rating: l.rating }));
}

function load(): PreferenceLabel[] {
  try {
    return checkedLabels(JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '[]'));
  } catch {
    return [];
  }
}

function save(labels: PreferenceLabel[]): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(labels));
  } catch {
    // storage full or unavailable: the labels stay in memory for this tab
  }
}

interface LabelsState {
  labels: PreferenceLabel[];
  /** Set or clear (undefined) the rating of one completion. */
  rate: (prompt: string, completion: string, rating: number | undefined) => void;
  /** Merge labels (an imported run's): theirs win for the same completion. */
  merge: (labels: readonly PreferenceLabel[]) => void;
  clear: () => void;
}

export const useLabels = create<LabelsState>()((set) => ({
  labels: load(),
  rate: (prompt, completion, rating) =>
    set((s) => {
      const rest = s.labels.filter((l) => keyOf(l.prompt, l.completion) !== keyOf(prompt, completion));
      const labels = (rating === undefined ? rest : [...rest, { prompt, completion, rating }]).slice(-MAX_LABELS);
      save(labels);
      return { labels };
    }),
  merge: (incoming) =>
    set((s) => {
      const keys = new Set(incoming.map((l) => keyOf(l.prompt, l.completion)));
      const labels = [...s.labels.filter((l) => !keys.has(keyOf(l.prompt, l.completion))), ...checkedLabels(incoming)].slice(-MAX_LABELS);
      save(labels);
      return { labels };
    }),
  clear: () => {
    save([]);
    set({ labels: [] });
  },
}));

/** The rating of each completion of one prompt (undefined where unlabelled). */
export function ratingsFor(labels: readonly PreferenceLabel[], prompt: string, completions: readonly string[]): (number | undefined)[] {
  const byKey = new Map(labels.map((l) => [keyOf(l.prompt, l.completion), l.rating]));
  return completions.map((c) => byKey.get(keyOf(prompt, c)));
}
