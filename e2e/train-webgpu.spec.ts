// Training on WebGPU in the browser (SwiftShader here): a small run opened from a share link, with the
// backend forced to WebGPU, trains to the end; and a malformed share link shows one clear message while
// the default run stays intact.
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../src/rl/presets.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';

test('a small run trains on WebGPU in the worker', async ({ page }) => {
  const errors = watchErrors(page);
  const config = defaultRunConfig();
  config.steps = 2;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 2;
  config.task.evalSize = 4;
  config.sampling.maxNewTokens = 8;
  config.eval.maxNewTokens = 8;
  await page.goto(`/${encodeShareHash(config)}`);
  await expect(page.getByTestId('step-counter')).toHaveText('Step 0 / 2');
  await page.getByLabel('Compute').selectOption('webgpu');
  await page.getByRole('button', { name: 'Train' }).click();
  const status = page.getByRole('status');
  await expect
    .poll(
      async () => {
        const state = await status.getAttribute('data-state');
        if (state === 'error') throw new Error(`the run failed: ${await status.textContent()}`);
        return state;
      },
      { timeout: 8 * 60_000, intervals: [1000] },
    )
    .toBe('done');
  await expect(page.getByTestId('step-counter')).toHaveText('Step 2 / 2');
  await expect(page.getByTestId('headline-backend')).toContainText(/WebGPU.*swiftshader/i);
  await page.screenshot({ path: 'test-results/train-webgpu.png', fullPage: true });
  expect(errors, errors.join('\n')).toEqual([]);
});

test('a malformed share link shows one clear message and keeps the default run', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#run=this-is-not-a-run');
  await expect(page.getByRole('alert')).toContainText('This share link could not be opened');
  await expect(page.getByTestId('step-counter')).toHaveText(`Step 0 / ${getPreset(DEFAULT_PRESET).steps}`);
  expect(errors, errors.join('\n')).toEqual([]);
});
