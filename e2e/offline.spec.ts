// Offline and installable, end to end on the production build (the service worker exists only there): after
// one visit the page reloads with the network cut (Playwright's offline mode), loads a bundled model and trains;
// a new deployment (a changed sw.js) shows the update prompt, and Reload moves the page to it. The build is
// served by a small static server here (cross-origin isolation headers as in vite.config.ts; files read on each
// request, so a redeploy is seen).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';

// Outside test-results/, which another Playwright run on this machine may empty while this one serves it.
let DIST = '';
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.safetensors': 'application/octet-stream',
};

let server: Server;
let origin = '';

test.beforeAll(async () => {
  test.setTimeout(240_000);
  DIST = await mkdtemp(join(tmpdir(), 'grpo-pwa-dist-'));
  execFileSync('npx', ['vite', 'build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'pipe', timeout: 200_000 });
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (DIST) await rm(DIST, { recursive: true, force: true });
});

function tinyConfig() {
  const config = defaultRunConfig();
  config.steps = 3;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 2;
  config.sampling.maxNewTokens = 6;
  config.eval.maxNewTokens = 6;
  config.task.evalSize = 2;
  return config;
}

test('after one visit the page opens and trains offline; a new deployment asks before reloading', async ({ page, context }) => {
  const errors = watchErrors(page);
  const url = `${origin}/${encodeShareHash(tinyConfig())}`;
  await page.goto(url);
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state))).toBe('activated');

  await context.setOffline(true);
  await page.reload();
  await expect(page).toHaveTitle('GRPO Playground');
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByLabel('Compute').selectOption('cpu');
  await page.getByRole('toolbar', { name: 'Training controls' }).getByRole('button', { name: 'Train', exact: true }).click();
  const status = page.getByRole('status').first();
  await expect
    .poll(async () => {
      const state = await status.getAttribute('data-state');
      if (state === 'error') throw new Error(`the run failed offline: ${await status.textContent()}`);
      return state;
    }, { timeout: 180_000, intervals: [250] })
    .toBe('done');
  await expect(page.getByTestId('step-counter')).toHaveText('Step 3 / 3');
  await page.screenshot({ path: 'test-results/screenshots/offline-trained.png', fullPage: true });

  // A new deployment: a different sw.js (its precache manifest revised). The page offers to reload.
  await context.setOffline(false);
  const swPath = join(DIST, 'sw.js');
  const sw = await readFile(swPath, 'utf8');
  const revised = sw.replace(/(url:"index\.html",revision:")[0-9a-f]+"/, '$1deadbeef0000"');
  expect(revised).not.toBe(sw);
  await writeFile(swPath, revised);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const prompt = page.getByTestId('update-prompt');
  await expect(prompt).toBeVisible({ timeout: 60_000 });
  await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
  await expect(page).toHaveTitle('GRPO Playground');
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  // The run trained offline is still there after the update.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);

  expect(errors, errors.join('\n')).toEqual([]);
});
