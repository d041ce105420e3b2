// Teaching mode end to end: a tiny run from a share link (2 prompts x G=4, 8 new tokens, 4 eval rows), one
// step taken from the Learn tab itself, then the four stages of that GRPO update with the step's real
// numbers, operated with the keyboard. Ends by sharing the run with its curves and opening that link.
import LZString from 'lz-string';
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';

const SHOTS = 'test-results/screenshots';

const TINY = {
  version: 1,
  task: { evalSize: 4 },
  grpo: { promptsPerStep: 2, groupSize: 4 },
  sampling: { maxNewTokens: 8 },
  eval: { maxNewTokens: 8 },
  steps: 2,
};
const G = TINY.grpo.groupSize;

const num = (text: string | null): number => Number(text?.trim());

test('Learn walks through one GRPO update with the real numbers of the step', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto(`/#run=${LZString.compressToEncodedURIComponent(JSON.stringify(TINY))}`);
  await page.getByRole('tab', { name: 'Learn' }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('Teaching mode walks through one GRPO update');
  await page.screenshot({ path: `${SHOTS}/teaching-before.png` });

  // One step, from the Learn tab.
  await panel.getByRole('button', { name: 'Take one step' }).click();
  const status = page.getByRole('status').filter({ has: page.locator('.status-state') });
  await expect
    .poll(
      async () => {
        if ((await status.getAttribute('data-state')) === 'error') throw new Error(`run failed: ${await status.textContent()}`);
        return page.getByTestId('teaching').count();
      },
      { timeout: 8 * 60_000, intervals: [1000] },
    )
    .toBe(1);
  await expect(panel.locator('.teach-context')).toHaveText(/^Step 1 of /);

  // 1. Sample: a prompt and its G completions.
  const stage = panel.locator('.teach-stage');
  await expect(stage.getByRole('heading', { name: '1. Sample' })).toBeVisible();
  await expect(stage.locator('.teach-completions > li')).toHaveCount(G);
  await expect(stage.getByText(/Reference answer/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/teaching-1-sample.png` });

  // Keyboard: Next is a real button.
  const next = panel.getByRole('button', { name: 'Next →' });
  await next.focus();
  await page.keyboard.press('Enter');

  // 2. Score: per-criterion scores and the weighted total per completion.
  await expect(stage.getByRole('heading', { name: '2. Score' })).toBeVisible();
  const scores = stage.getByTestId('teach-scores');
  await expect(scores.locator('thead')).toContainText('correct_answer ×1');
  await expect(scores.locator('thead')).toContainText('xml_format ×0.2');
  await expect(scores.locator('tbody tr')).toHaveCount(G);
  const rewards: number[] = [];
  for (const row of await scores.locator('tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    const total = num(await row.locator('td strong').textContent());
    // reward = 1 x correct + 0.2 x format, as the formula cell says.
    expect(total).toBeCloseTo(num(cells[0]) + 0.2 * num(cells[1]), 2);
    expect(cells[2]).toMatch(/^1×\d\.\d{3} \+ 0\.2×\d\.\d{3} = /);
    rewards.push(total);
  }
  await page.screenshot({ path: `${SHOTS}/teaching-2-score.png` });
  await page.keyboard.press('Enter');

  // 3. Group-normalise: mean, std and each advantage with the numbers plugged in.
  await expect(stage.getByRole('heading', { name: '3. Group-normalise' })).toBeVisible();
  const stats = stage.getByTestId('teach-group-stats');
  const mean = num(await stats.locator('dd').nth(0).locator('strong').textContent());
  expect(mean).toBeCloseTo(rewards.reduce((a, b) => a + b, 0) / G, 2);
  const std = num(await stats.locator('dd').nth(1).locator('strong').textContent());
  const rows = stage.getByTestId('teach-advantages').locator('tbody tr');
  await expect(rows).toHaveCount(G);
  for (const [i, row] of (await rows.all()).entries()) {
    const formula = (await row.locator('td').nth(1).textContent()) ?? '';
    // The divisor is the group std (+ epsilon): 1.00e-4 when every completion scored the same.
    expect(formula).toMatch(/^\(-?\d\.\d{3} − -?\d\.\d{3}\) \/ (\d\.\d{3}|\d\.\d{2}e-\d) = -?\d\.\d{3}$/);
    const advantage = num(await row.locator('strong').textContent());
    if (std > 1e-6) expect(advantage).toBeCloseTo((rewards[i] - mean) / std, 1);
    else expect(advantage).toBe(0);
  }
  await expect(stage.getByText('These are the advantages the trainer used for this step.')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/teaching-3-normalise.png` });
  await page.keyboard.press('Enter');

  // 4. Update: pushed-up/down tokens and the step's metrics.
  await expect(stage.getByRole('heading', { name: '4. Update' })).toBeVisible();
  await expect(stage.locator('.teach-legend')).toContainText(/this group: \d+ tokens up, \d+ down/);
  const metrics = stage.getByTestId('teach-metrics');
  await expect(metrics).toContainText('loss');
  await expect(metrics).toContainText('grad norm');
  await expect(metrics).toContainText('clip ratio');
  await expect(metrics).toContainText('learning rate5.00e-4');
  await expect(next).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/teaching-4-update.png`, fullPage: true });
  await panel.getByRole('button', { name: '← Back' }).click();
  await expect(stage.getByRole('heading', { name: '3. Group-normalise' })).toBeVisible();

  // Share the run with its curves; the link opens with them as a reference.
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const include = page.getByRole('checkbox', { name: /Include curves/ });
  await expect(include).toBeChecked();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toContain('&curves=');
  await include.uncheck();
  expect(await page.getByTestId('share-url').inputValue()).not.toContain('&curves=');
  await page.getByRole('button', { name: 'Stop' }).click();

  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(url);
  await expect(other.getByTestId('share-reference')).toContainText('This link brought the curves of its run');
  await expect(other.getByTestId('share-reference')).toContainText('1 step');
  await other.screenshot({ path: `${SHOTS}/teaching-shared-curves.png` });
  expect([...errors, ...otherErrors]).toEqual([]);
});
