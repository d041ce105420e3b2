// The tab's CPU backend carries a memory budget, so the plan refuses a run the tab cannot hold before allocating.
import { describe, expect, it } from 'vitest';
import { browserCpuBudget } from './choose-backend.ts';

describe('the tab CPU memory budget', () => {
  it('is half of navigator.deviceMemory, 2 GiB when the browser does not say', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    try {
      Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
      expect(browserCpuBudget()).toBe(2 * 2 ** 30);
      Object.defineProperty(globalThis, 'navigator', { value: { deviceMemory: 8 }, configurable: true });
      expect(browserCpuBudget()).toBe(4 * 2 ** 30);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });
});
