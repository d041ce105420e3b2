// Reward code in the browser's sandbox threads (a Web Worker nested in the preview worker): a built-in looping
// in C, which QuickJS's own time limit never interrupts, ends at the watchdog with the time-limit message, and the
// replacement thread scores the next code; the clock inside is frozen. Same behaviour as in Node
// (src/rl/rubric/sandbox-threads.test.ts).
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';

test('a C built-in that never yields is stopped at the time limit; the next code scores', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('rubric-preview')).toHaveAttribute('data-state', 'done');
  await page.getByLabel('New criterion').selectOption('custom_code');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const editor = page.getByRole('textbox', { name: 'Code of criterion custom_code' });
  const live = page.getByTestId('live-scores-custom_code');
  await expect(live).toHaveAttribute('data-state', 'done');
  const typeCode = async (code: string) => {
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(code);
  };
  const t0 = Date.now();
  await typeCode('return Array.prototype.indexOf.call({ length: 1e15 }, 1)');
  await expect(live.locator('[data-error-all]')).toContainText(/exceeded the time limit \(50 ms\)/, { timeout: 30_000 });
  expect(Date.now() - t0).toBeLessThan(30_000); // before: never returned, and the preview stayed "scoring" forever
  await typeCode('return Date.now() === 1704067200000 ? 1 : 0');
  await expect
    .poll(async () => (await live.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-score')))).map(Number), { timeout: 15_000 })
    .toEqual([1, 1, 1]);
  expect(errors).toEqual([]);
});
