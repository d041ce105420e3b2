// Export > Python project, end to end in Chromium: a short run on the CPU backend, then its TRL and verifiers
// projects download as zips holding the run's GRPOConfig, the datasets, the ported rewards and the bundled
// model folder (its safetensors byte for byte the page's own).
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';

function tinyConfig() {
  const config = defaultRunConfig();
  config.steps = 2;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 3;
  config.sampling.maxNewTokens = 6;
  config.eval.maxNewTokens = 6;
  config.task.evalSize = 2;
  return config;
}

async function exportItem(page: Page, item: string): Promise<Record<string, Uint8Array>> {
  const r = page.getByTestId('run-row').first();
  await r.locator('summary', { hasText: 'Export' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), r.getByRole('button', { name: item }).click()]);
  await r.locator('summary', { hasText: 'Export' }).click();
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  return unzipSync(new Uint8Array(await readFile(path)));
}

test('a run exports as a TRL project and as a verifiers project', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/${encodeShareHash(tinyConfig())}`);
  await page.getByLabel('Compute').selectOption('cpu');
  await page.getByRole('toolbar', { name: 'Training controls' }).getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => page.getByRole('status').first().getAttribute('data-state'), { timeout: 240_000, intervals: [250] }).toBe('done');
  await page.getByRole('tab', { name: 'Compare' }).click();

  const trl = await exportItem(page, 'Python project for TRL (.zip)');
  const name = (suffix: string) => Object.keys(trl).find((k) => k.endsWith(suffix))!;
  const script = strFromU8(trl[name('/train_trl.py')]);
  expect(script).toContain('num_generations=3,');
  expect(script).toContain('max_steps=2,');
  expect(script).toContain('loss_type="dapo",');
  expect(strFromU8(trl[name('/data/train.jsonl')]).trim().split('\n')).toHaveLength(4);
  expect(strFromU8(trl[name('/data/eval.jsonl')]).trim().split('\n')).toHaveLength(2);
  expect(Object.keys(trl).some((k) => k.endsWith('/playground_rewards.py'))).toBe(true);
  const weights = trl[name('/model/model.safetensors')];
  const served = new Uint8Array(await (await page.request.get('/models/tiny-arith/model.safetensors')).body());
  expect(weights.length).toBe(served.length);
  expect(Buffer.compare(Buffer.from(weights), Buffer.from(served))).toBe(0);

  const vf = await exportItem(page, 'Python project for verifiers (.zip)');
  const env = Object.keys(vf).find((k) => k.endsWith('/playground_env.py'))!;
  expect(strFromU8(vf[env])).toContain('def load_environment(');
  expect(errors).toEqual([]);
});
