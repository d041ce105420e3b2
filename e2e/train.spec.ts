// The walking skeleton end to end: load the page, press Train, watch steps, the reward chart and the rollout viewer
// appear, with no console or page errors. Trains the bundled tiny model on the CPU backend in the worker.
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { currentStep } from './run-progress.ts';

test('Train runs GRPO steps and draws the reward curve', async ({ page }) => {
  const errors = watchErrors(page);

  await page.goto('/');
  await expect(page).toHaveTitle('GRPO Playground');
  const counter = page.getByTestId('step-counter');
  await expect(counter).toHaveText(/^Step 0 \/ \d+$/);

  await page.getByRole('button', { name: 'Train' }).click();

  // Reach step 2 (or fail fast when the run reports an error).
  await expect.poll(currentStep(page), { timeout: 8 * 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(2);

  const chart = page.getByTestId('reward-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
  await expect(chart.locator('path.plot-line').first()).toBeVisible();
  await page.getByRole('tab', { name: 'Rollouts' }).click();
  await expect(page.getByTestId('completion-card').first()).toBeVisible();

  await page.screenshot({ path: 'test-results/train.png', fullPage: true });

  const stop = page.getByRole('button', { name: 'Stop' });
  if (await stop.isEnabled()) await stop.click(); // a short run may have finished already
  await expect(page.getByRole('status')).toHaveAttribute('data-state', 'done', { timeout: 5 * 60_000 });

  expect(errors, errors.join('\n')).toEqual([]);
});
