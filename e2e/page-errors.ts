// Every e2e test fails on a console error or an uncaught page error: this collects them for a final assertion.
import type { Page } from '@playwright/test';

/** Console errors and page errors of `page`, as they happen (assert the array is empty at the end). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return errors;
}
