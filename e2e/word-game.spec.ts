// The word-game preset in the page: the bundled tiny-codes model plays 4-guess games on codes in the trainer
// worker, the environment's marks come back, and the rollout viewer shows whole games (guesses and marks).
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { currentStep } from './run-progress.ts';

test('word-game trains tiny-codes and shows its games', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('word-game');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByRole('radio', { name: /Tiny codes/ })).toBeChecked();
  const counter = page.getByTestId('step-counter');
  await expect(counter).toHaveText('Step 0 / 30');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(currentStep(page), { timeout: 5 * 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  await page.getByRole('tab', { name: 'Rollouts' }).click();
  const card = page.getByTestId('completion-card').first();
  await expect(card).toBeVisible();
  // A game: the model's guesses and the environment's marks for them (4 of G, Y or -).
  await expect(card).toContainText('<guess>abcd</guess>');
  await expect(card).toContainText(/abcd\s*[GY-]{4}/);
  const stop = page.getByRole('button', { name: 'Stop' });
  if (await stop.isEnabled()) await stop.click();
  await expect(page.getByRole('status')).toHaveAttribute('data-state', 'done', { timeout: 5 * 60_000 });
  expect(errors, errors.join('\n')).toEqual([]);
});
