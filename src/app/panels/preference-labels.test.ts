// Ratings for the weight fit: kept per (prompt, completion), saved in the run file and read back; malformed
// entries from a file are dropped, not trusted.
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { readRunFile, writeRunFile } from '../export/run-file.ts';
import { newRun } from '../store/runs.ts';
import { checkedLabels, ratingsFor, useLabels } from './preference-labels.ts';

describe('preference labels', () => {
  it('rate, re-rate, clear; ratings per completion of a prompt', () => {
    const { rate } = useLabels.getState();
    rate('3+5', '<answer>8</answer>', 5);
    rate('3+5', '8', 2);
    rate('3+5', '8', 4); // re-rated
    rate('2+2', '8', 1); // same completion, another prompt
    rate('3+5', '<answer>7</answer>', 1);
    rate('3+5', '<answer>7</answer>', undefined); // cleared
    expect(ratingsFor(useLabels.getState().labels, '3+5', ['<answer>8</answer>', '8', '<answer>7</answer>'])).toEqual([5, 4, undefined]);
    expect(useLabels.getState().labels).toHaveLength(3);
  });

  it('travel in the run file; malformed ones are dropped on the way in', () => {
    const labels = useLabels.getState().labels;
    const run = { ...newRun(1, defaultRunConfig()), state: 'done' as const };
    const back = readRunFile(writeRunFile({ run, series: { train: [], evals: [] }, checkpoint: null, labels }));
    expect(back.labels).toEqual(labels);
    expect(readRunFile(writeRunFile({ run, series: { train: [], evals: [] }, checkpoint: null })).labels).toEqual([]);
    expect(
      checkedLabels([
        { prompt: 'p', completion: 'c', rating: 3 },
        { prompt: 'p', completion: 'c', rating: 9 },
        { prompt: 'p', completion: 7, rating: 3 },
        { prompt: 'p', completion: 'x'.repeat(30_000), rating: 3 },
        null,
        'junk',
      ]),
    ).toEqual([{ prompt: 'p', completion: 'c', rating: 3 }]);
    expect(checkedLabels({ not: 'a list' })).toEqual([]);
  });

  it('an imported file\'s ratings win for the same completion', () => {
    useLabels.getState().clear();
    useLabels.getState().rate('p', 'a', 1);
    useLabels.getState().merge([{ prompt: 'p', completion: 'a', rating: 5 }, { prompt: 'p', completion: 'b', rating: 2 }]);
    expect(ratingsFor(useLabels.getState().labels, 'p', ['a', 'b'])).toEqual([5, 2]);
  });
});
