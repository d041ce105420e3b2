// The page at a laptop (1280x800) and a phone (390x844) size, in real Chromium: nothing wider than the
// screen, the run's headline and the reward and eval-accuracy charts above the fold on the laptop, a tap on a
// tab lands on that tab on the phone. A short CPU run is stopped: Stop evaluates the step it stopped at and
// the headline says "accuracy a -> b (step 0 -> N)" with N that step. Screenshots go to test-results/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';

function tinyConfig() {
  const config = defaultRunConfig();
  config.steps = 200;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 4;
  config.sampling.maxNewTokens = 8;
  config.eval.maxNewTokens = 8;
  config.eval.every = 0;
  config.task.evalSize = 8;
  return config;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

async function expectNoHorizontalOverflow(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, `page is ${scroll}px wide in a ${width}px window`).toBeLessThanOrEqual(width);
}

const state = (page: Page) => page.getByRole('status').and(page.locator('[data-state]')).getAttribute('data-state');

async function trainThenStop(page: Page): Promise<number> {
  await page.getByLabel('Compute').selectOption('cpu');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => state(page), { timeout: 120_000 }).toBe('training');
  await expect.poll(async () => Number((await page.getByTestId('step-counter').textContent())?.match(/Step (\d+)/)?.[1]), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect.poll(() => state(page), { timeout: 180_000 }).toBe('done');
  const message = (await page.getByRole('status').and(page.locator('[data-state]')).textContent()) ?? '';
  return Number(message.match(/Stopped at step (\d+)/)?.[1]);
}

test.describe('laptop 1280x800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('headline and the reward and eval charts are above the fold; Stop evaluates where it stopped', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`/${encodeShareHash(tinyConfig())}`);
    await expectNoHorizontalOverflow(page);
    await shot(page, 'layout-laptop-start');

    const stoppedAt = await trainThenStop(page);
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    // The final evaluation is of the stopped step, and the headline names both steps.
    await expect(page.getByTestId('headline-accuracy')).toHaveText(new RegExp(`^\\d\\.\\d\\d → \\d\\.\\d\\d \\(step 0 → ${stoppedAt}\\)$`));
    await expect(page.getByTestId('headline-reward')).toHaveText(/\(step \d+\)$/);
    await expect(page.getByTestId('headline-example')).toContainText(/of 8 went wrong → right/);

    for (const el of [page.getByRole('region', { name: 'Run results' }), page.getByTestId('reward-chart'), page.getByTestId('chart-eval')]) {
      const box = await el.boundingBox();
      expect(box, 'element is laid out').not.toBeNull();
      expect(box!.y + box!.height, 'bottom edge within the first 800 px').toBeLessThanOrEqual(800);
    }
    // Natural scale: accuracy and reward charts span at least [0, 1].
    await expect(page.getByTestId('chart-eval')).toHaveAttribute('data-y-range', /^0,(1|1\.\d+)$/);
    await expect(page.getByTestId('reward-chart').locator('.chart-caption')).toContainText('Healthy');
    await expectNoHorizontalOverflow(page);
    await shot(page, 'layout-laptop-stopped');
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

test.describe('phone 390x844', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('one column, nothing wider than the screen, a tap on Rollouts opens Rollouts', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`/${encodeShareHash(tinyConfig())}`);
    await expectNoHorizontalOverflow(page);
    // The run comes before the settings.
    const run = await page.locator('#run').boundingBox();
    const settings = await page.getByRole('complementary', { name: 'Run configuration' }).boundingBox();
    expect(run!.y).toBeLessThan(settings!.y);
    await shot(page, 'layout-phone-start');

    await trainThenStop(page);
    await expectNoHorizontalOverflow(page);
    const tab = page.getByRole('tab', { name: 'Rollouts' });
    await tab.tap();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('completion-card').first()).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'layout-phone-rollouts');
    await page.getByRole('tab', { name: 'Charts' }).tap();
    await page.locator('#run').scrollIntoViewIfNeeded();
    await shot(page, 'layout-phone-charts');
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
