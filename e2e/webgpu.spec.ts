// Proves the WebGPU setup of TESTING.md: this Chromium gives a page on localhost a WebGPU adapter and device
// (SwiftShader on GPU-less machines). With CI set a missing adapter fails; otherwise the test skips loudly.
import { expect, test } from '@playwright/test';

test('navigator.gpu gives an adapter and a device', async ({ page }) => {
  // An empty page on the dev server's origin: a secure context (localhost), which navigator.gpu requires,
  // independent of the app's own code.
  await page.route('**/__webgpu-probe', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>probe</title>' }));
  await page.goto('/__webgpu-probe');
  const result = await page.evaluate(async () => {
    if (!navigator.gpu) return { ok: false as const, reason: 'navigator.gpu is undefined' };
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { ok: false as const, reason: 'navigator.gpu.requestAdapter() returned null' };
    const device = await adapter.requestDevice();
    const info = { vendor: adapter.info.vendor, architecture: adapter.info.architecture, description: adapter.info.description };
    const maxBufferSize = adapter.limits.maxBufferSize;
    device.destroy();
    return { ok: true as const, info, maxBufferSize, features: [...adapter.features].sort() };
  });

  if (!result.ok) {
    const message = `WebGPU unavailable in Chromium: ${result.reason}. See /work/shared/TESTING.md.`;
    if (process.env.CI) throw new Error(message);
    console.warn(`\n*** SKIPPING: ${message} ***\n`);
    test.skip(true, message);
    return;
  }
  console.log(`WebGPU adapter: ${JSON.stringify(result.info)}, maxBufferSize ${result.maxBufferSize}`);
  expect(result.maxBufferSize).toBeGreaterThan(0);
});
