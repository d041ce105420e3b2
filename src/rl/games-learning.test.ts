// The bundled tiny-guess model under the guess-number preset: it plays the game (finds the decade, then the
// units) but usually scans the units one by one and runs out of turns (src/rl/demos-guess-number.ts). A few
// GRPO steps on the CPU teach it to halve them instead, and that shows on the 13 held-out secrets, whose
// winning games it never saw. Fixed seed (the preset's), bounded steps; margins below the measured values.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { getPreset } from './presets.ts';
import { Trainer } from './trainer.ts';

const STEPS = 5;

describe('tiny-guess on the guess-number preset', () => {
  it(`GRPO lifts held-out accuracy from at most 0.5 by at least 0.3 in ${STEPS} steps`, async () => {
    const config = getPreset('guess-number');
    const model = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', config.model.id)));
    const trainer = await Trainer.create(config, model, new CpuBackend());
    const before = (await trainer.evaluate()).metrics['eval/accuracy'];
    expect(before).toBeLessThanOrEqual(0.5);
    for (let s = 0; s < STEPS; s++) await trainer.step();
    const after = (await trainer.evaluate()).metrics['eval/accuracy'];
    expect(after - before, `${before} -> ${after}`).toBeGreaterThanOrEqual(0.3);
  }, 120_000);
});
