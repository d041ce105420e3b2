// The CLI's CPU backend carries a memory budget, so the plan refuses what this machine cannot hold (the wiring,
// not just the check, is what a user relies on; src/worker/choose-backend.test.ts covers the tab's).
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createBackend } from './backend.ts';

describe('CPU memory budgets', () => {
  it('the CLI budgets 80% of the machine', async () => {
    const be = await createBackend('cpu', { threads: 1 });
    expect(be.maxTotalBytes).toBe(Math.floor(totalmem() * 0.8));
  });
});
