// The run side of the page end to end, on the CPU backend with a tiny config from a share link: Step on a
// fresh page takes exactly one update; the rollout viewer shows G completions with coloured tokens and its
// scrubber moves between steps; Resume / Pause / Step / Stop; the charts draw; Reset returns to step 0; a
// second run appears in Compare with a config diff. Screenshots go to test-results/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';
import { buildShareLink } from '../src/app/share/share-link.ts';

const PROMPTS = 2;
const G = 4;
const STEPS = 200;

function tinyConfig() {
  const config = defaultRunConfig();
  config.steps = STEPS;
  config.grpo.promptsPerStep = PROMPTS;
  config.grpo.groupSize = G;
  config.sampling.maxNewTokens = 8;
  config.eval.maxNewTokens = 8;
  config.task.evalSize = 4;
  return config;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** The run's state from the status line; a failed run fails the test with its message. */
async function runState(page: Page): Promise<string | null> {
  const status = page.getByRole('status');
  const state = await status.getAttribute('data-state');
  if (state === 'error') throw new Error(`the run failed: ${await status.textContent()}`);
  return state;
}

async function expectState(page: Page, state: string, timeout = 120_000) {
  await expect.poll(() => runState(page), { timeout, intervals: [250] }).toBe(state);
}

async function currentStep(page: Page): Promise<number> {
  return Number((await page.getByTestId('step-counter').textContent())?.match(/Step (\d+)/)?.[1] ?? NaN);
}

const button = (page: Page, name: string) => page.getByRole('toolbar', { name: 'Training controls' }).getByRole('button', { name, exact: true });

test('step, train, pause, reset and compare runs', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/${encodeShareHash(tinyConfig())}`);
  await page.getByLabel('Compute').selectOption('cpu');
  await expect(page.getByTestId('step-counter')).toHaveText(`Step 0 / ${STEPS}`);
  await expect(button(page, 'Pause')).toBeDisabled();
  await expect(button(page, 'Reset')).toBeDisabled();

  // Step on a fresh page: the run starts, evaluates step 0, takes exactly one update and pauses.
  await button(page, 'Step').click();
  await expectState(page, 'paused');
  await expect(page.getByTestId('step-counter')).toHaveText(`Step 1 / ${STEPS}`);
  await page.waitForTimeout(1500);
  expect(await runState(page)).toBe('paused');
  await expect(page.getByTestId('step-counter')).toHaveText(`Step 1 / ${STEPS}`);
  await expect(page.getByTestId('reward-chart')).toHaveAttribute('data-points', '1');
  await expect(button(page, 'Resume')).toBeEnabled();
  await expect(button(page, 'Train')).toBeDisabled();

  // Step while paused: one more update.
  await button(page, 'Step').click();
  await expect(page.getByTestId('step-counter')).toHaveText(`Step 2 / ${STEPS}`);
  await expectState(page, 'paused');

  // The rollout viewer: G completions per prompt, tokens coloured, a scrubber across the kept steps.
  await page.getByRole('tab', { name: 'Rollouts' }).click();
  const viewer = page.getByTestId('rollout-viewer');
  await expect(viewer.getByTestId('rollout-group')).toHaveCount(PROMPTS);
  await expect(viewer.getByTestId('rollout-group').first().getByTestId('completion-card')).toHaveCount(G);
  const token = viewer.locator('.token-trained').first();
  await expect(token).toHaveAttribute('style', /background/);
  await expect(token).toHaveAttribute('title', /logprob -?\d/);
  const shownStep = viewer.getByTestId('rollout-step');
  await expect(shownStep).toHaveText('2');
  await shot(page, 'run-rollouts');
  await viewer.getByTestId('rollout-group').first().screenshot({ path: 'test-results/screenshots/run-rollout-group.png' });
  await viewer.getByRole('button', { name: 'Prev' }).click();
  await expect(shownStep).toHaveText('1');
  await expect(viewer.getByLabel('Latest')).not.toBeChecked();
  await viewer.getByRole('button', { name: 'Next' }).click();
  await expect(shownStep).toHaveText('2');
  await viewer.getByLabel('advantage sign').check();
  await expect(viewer.getByText('advantage > 0 (pushed up)')).toBeVisible();
  await viewer.getByLabel('Latest').check();

  // Resume trains on; Pause stops between steps; Step while paused takes exactly one.
  await page.getByRole('tab', { name: 'Charts' }).click();
  // (Pause as soon as it is enabled: the tiny config takes many steps a second.)
  await button(page, 'Resume').click();
  await button(page, 'Pause').click();
  await expectState(page, 'paused');
  const pausedAt = await currentStep(page);
  expect(pausedAt).toBeGreaterThan(2);
  await page.waitForTimeout(1000);
  expect(await currentStep(page)).toBe(pausedAt);
  await button(page, 'Step').click();
  await expect.poll(() => currentStep(page)).toBe(pausedAt + 1);
  await expectState(page, 'paused');

  // Charts: reward points drawn, a line, other signals, an accessible summary.
  const reward = page.getByTestId('reward-chart');
  expect(Number(await reward.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
  await expect(reward.locator('path.plot-line').first()).toBeVisible();
  await expect(reward.getByRole('img')).toHaveAttribute('aria-label', /^Reward: last -?\d/);
  await reward.locator('.plot-surface').hover({ position: { x: 90, y: 100 } }); // near the first steps
  await expect(reward.locator('.chart-tooltip')).toContainText(/Step \d+/);
  await expect(page.getByTestId('chart-entropy')).toBeVisible();
  await expect(page.getByTestId('chart-criterion-correct_answer')).toBeVisible();
  await shot(page, 'run-charts-paused');

  await button(page, 'Stop').click();
  await expectState(page, 'done');

  // Reset: back to step 0 with the same config; the run stays in Compare.
  await button(page, 'Reset').click();
  await expect(page.getByTestId('step-counter')).toHaveText(`Step 0 / ${STEPS}`);
  await expect(page.getByTestId('reward-chart')).toHaveAttribute('data-points', '0');
  expect(await runState(page)).toBe('idle');

  // A second run with another learning rate: Compare lists both and diffs their configs.
  await setLearningRate(page, '0.001');
  await button(page, 'Train').click();
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => Number(await page.getByTestId('reward-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
  await shot(page, 'run-training');
  await button(page, 'Stop').click();
  await expectState(page, 'done');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByLabel('Name of run 2')).toHaveValue(/^Run 2 · lr (×|÷|\S+ → )/); // named after what changed
  await page.getByLabel('Name of run 2').fill('faster lr');
  const diff = page.getByTestId('config-diff');
  await expect(diff).toContainText('grpo.learningRate');
  await expect(diff.getByRole('row', { name: /grpo\.learningRate/ })).toContainText('5e-4');
  await expect(diff.getByRole('row', { name: /grpo\.learningRate/ })).toContainText('0.001');
  await expect(page.getByTestId('compare-reward-chart').locator('path.plot-line').first()).toBeVisible();
  await shot(page, 'run-compare');

  expect(errors, errors.join('\n')).toEqual([]);
});

test('a share link with curves shows them as a dashed reference run and in Compare', async ({ page }) => {
  const errors = watchErrors(page);
  const curves = {
    train: [1, 2, 3, 4, 5].map((step) => ({ step, metrics: { reward: 0.2 * step, 'rewards/correct_answer/mean': 0.1 * step } })),
    evals: [{ step: 0, metrics: { 'eval/accuracy': 0.3 } }],
  };
  const link = buildShareLink('http://localhost/', { config: tinyConfig(), curves });
  await page.goto(`/${new URL(link).hash}`);
  const reward = page.getByTestId('reward-chart');
  await expect(reward.locator('path.plot-line[stroke-dasharray]').first()).toBeVisible();
  await expect(reward).toHaveAttribute('data-points', '0'); // no run of this session yet
  await expect(page.getByTestId('chart-criterion-correct_answer')).toBeVisible();
  await shot(page, 'run-shared-curves');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toContainText('Shared run');
  await expect(page.getByTestId('compare-reward-chart').locator('path.plot-line').first()).toBeVisible();
  expect(errors, errors.join('\n')).toEqual([]);
});

/** Sets the learning rate in the Hyperparameters panel (its group is a collapsed <details>). */
async function setLearningRate(page: Page, value: string) {
  const input = page.locator('#hp-grpo-learningRate');
  if (!(await input.isVisible())) await page.locator('details.hp-group', { has: input }).locator('summary').click();
  await input.fill(value);
  await input.press('Enter');
  await input.blur();
}
