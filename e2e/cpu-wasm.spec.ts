// The CPU backend's WebAssembly SIMD kernels run in the browser: the trainer worker (and its helper threads, the
// page being cross-origin isolated) compile them, so the run's headline names them, and a training step finishes.
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';

test('the CPU backend trains with its WebAssembly SIMD kernels in the trainer worker', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const counter = page.getByTestId('step-counter');
  await expect(counter).toHaveText(/^Step 0 \/ \d+$/);
  await page.getByRole('button', { name: 'Train' }).click();
  // threads: the page is cross-origin isolated, so the worker has helper threads (the wasm kernels run in each)
  await expect(page.getByTestId('headline-backend')).toContainText(/CPU \(JavaScript \+ WebAssembly SIMD, \d+ threads\)/, { timeout: 120_000 });
  await expect.poll(async () => Number((await counter.textContent())?.match(/Step (\d+)/)?.[1] ?? 0), { timeout: 5 * 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  const stop = page.getByRole('button', { name: 'Stop' });
  if (await stop.isEnabled()) await stop.click();
  await expect(page.getByRole('status')).toHaveAttribute('data-state', 'done', { timeout: 5 * 60_000 });
  expect(errors, errors.join('\n')).toEqual([]);
});
