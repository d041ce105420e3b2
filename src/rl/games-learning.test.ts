// The bundled game models under their presets: each plays its game but with a flaw, a few GRPO steps on the
// CPU fix it, and that shows on held-out secrets whose winning games it never saw. tiny-guess (guess-number)
// finds the decade, then usually scans the units one by one and runs out of turns (demos-guess-number.ts);
// GRPO teaches it to halve them (13 held-out secrets). tiny-codes (word-game on codes of 4 distinct letters
// from a-g) mostly forgets the - marks and keeps trying absent letters (demos-word-game.ts); GRPO teaches it
// to read them (all 280 held-out codes). Fixed seeds (the presets'), bounded steps, margins stated.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { getPreset } from './presets.ts';
import { Trainer } from './trainer.ts';

async function heldOutLift(preset: string, steps: number): Promise<[number, number]> {
  const config = getPreset(preset);
  const model = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', config.model.id)));
  const trainer = await Trainer.create(config, model, new CpuBackend());
  const before = (await trainer.evaluate()).metrics['eval/accuracy'];
  for (let s = 0; s < steps; s++) await trainer.step();
  return [before, (await trainer.evaluate()).metrics['eval/accuracy']];
}

describe('bundled game models', () => {
  it('tiny-guess on guess-number: GRPO lifts held-out accuracy from at most 0.5 by at least 0.3 in 5 steps', async () => {
    const [before, after] = await heldOutLift('guess-number', 5);
    expect(before).toBeLessThanOrEqual(0.5);
    expect(after - before, `${before} -> ${after}`).toBeGreaterThanOrEqual(0.3);
  }, 120_000);

  it('tiny-codes on word-game: GRPO lifts held-out accuracy from at most 0.5 by at least 0.3 in 10 steps', async () => {
    const [before, after] = await heldOutLift('word-game', 10);
    expect(before).toBeLessThanOrEqual(0.5);
    expect(after - before, `${before} -> ${after}`).toBeGreaterThanOrEqual(0.3);
  }, 180_000);
});
