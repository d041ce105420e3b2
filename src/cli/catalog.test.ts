// The bundled-model catalogue (public/models/index.json) tells the truth about the folders it lists: every
// folder is listed, each entry's parameter count and byte size match the files, and its presets exist and
// name that model.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelCatalog } from '../rl/model-catalog.ts';
import { PRESETS } from '../rl/presets.ts';
import { BUNDLED_MODELS_DIR, bundledModelIds, loadModel } from './models.ts';

describe('public/models/index.json', async () => {
  const catalog = parseModelCatalog(await readFile(join(BUNDLED_MODELS_DIR, 'index.json'), 'utf8'));

  it('lists exactly the bundled model folders, each at most 10 MB', () => {
    expect(catalog.models.map((m) => m.id).sort()).toEqual(bundledModelIds());
    for (const m of catalog.models) expect(m.bytes).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it.each(catalog.models.map((m) => [m.id, m] as const))('%s: params, bytes and presets match', async (id, entry) => {
    const loaded = await loadModel(id);
    expect(entry.params).toBe(loaded.layout.count);
    expect(entry.bytes).toBe((await stat(join(BUNDLED_MODELS_DIR, id, 'model.safetensors'))).size);
    for (const preset of entry.presets) {
      expect(PRESETS[preset], `preset ${preset}`).toBeDefined();
      expect(PRESETS[preset].model.id).toBe(id);
      expect(entry.tasks).toContain(PRESETS[preset].task.name);
      expect(entry.baselines[preset], `baseline for ${preset}`).toBeDefined();
    }
  });
});
