// The run's progress as the page shows it, for expect.poll: the step counter's current step, failing at once
// (with the run's own message) when the run reports an error instead of waiting out the poll's timeout.
import type { Page } from '@playwright/test';

export function currentStep(page: Page): () => Promise<number> {
  const counter = page.getByTestId('step-counter');
  const status = page.locator('[role="status"][data-state]').first();
  return async () => {
    if ((await status.getAttribute('data-state')) === 'error') throw new Error(`the run failed: ${await status.textContent()}`);
    return Number((await counter.textContent())?.match(/Step (\d+)/)?.[1] ?? 0);
  };
}
