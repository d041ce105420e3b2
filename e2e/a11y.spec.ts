// Accessibility in real Chromium with axe-core: the page at rest and after a short run (charts, headline,
// rollouts) has no serious or critical violations; the skip link takes the keyboard to the run; after Enter
// on Train the focus stays on the controls. Screenshots go to test-results/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';

function tinyConfig() {
  const config = defaultRunConfig();
  config.steps = 3;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 4;
  config.sampling.maxNewTokens = 8;
  config.eval.maxNewTokens = 8;
  config.task.evalSize = 4;
  return config;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`no serious axe violations at ${viewport.width}x${viewport.height}, skip link and kept focus`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const errors = watchErrors(page);
    await page.goto(`/${encodeShareHash(tinyConfig())}`);
    expect(await seriousViolations(page)).toEqual([]);

    // The first Tab reaches the skip link; following it puts the focus on the run.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to the run' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#run')).toBeFocused();

    // Enter on Train starts the run and leaves the focus on Train (now unavailable), not on the body.
    await page.getByLabel('Compute').selectOption('cpu');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await train.focus();
    await page.keyboard.press('Enter');
    await expect(train).toHaveAttribute('aria-disabled', 'true');
    await expect(train).toBeFocused();
    await expect(page.getByRole('status').and(page.locator('[data-state]'))).toHaveAttribute('data-state', 'done', { timeout: 240_000 });

    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Rollouts' }).click();
    await expect(page.getByTestId('completion-card').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `test-results/screenshots/a11y-${viewport.width}x${viewport.height}.png` });
    expect(errors, errors.join('\n')).toEqual([]);
  });
}
