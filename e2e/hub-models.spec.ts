// Models from the Hugging Face Hub in real Chromium (real Cache API, real workers), against a Hub look-alike on
// 127.0.0.1 (src/engine/io/hub-test-server.ts) that the page reaches through ?hub=URL. SmolLM2-135M-Instruct is
// served at its exact shape (random weights, 269 MB in BF16): pick it, see its size and fit, cancel a download,
// download it with a dropped connection resumed, reload and find it cached. A tiny Qwen3 on the real Qwen3
// tokenizer: a quota error as one message, a poisoned cache entry recovered, a GRPO step, and a load from the
// cache with the Hub gone.
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';
import { startHubServer, type HubTestServer } from '../src/engine/io/hub-test-server.ts';
import { smollm2ShapedFolder, tinyQwen3Folder } from '../src/engine/io/hub-test-models.ts';

const SMOL = 'HuggingFaceTB/SmolLM2-135M-Instruct';
const TINY = 'test-org/tiny-qwen3';

let hub: HubTestServer;
test.beforeAll(async () => {
  hub = await startHubServer([
    { repo: SMOL, files: smollm2ShapedFolder() },
    { repo: TINY, files: tinyQwen3Folder({ seed: 11 }) },
  ]);
});
test.afterAll(() => hub?.close());

const pageUrl = (endpoint: string, hash = '') => `/?hub=${encodeURIComponent(endpoint)}${hash}`;
const card = (page: Page) => page.getByTestId('hub-card');

/** The browser's own failed-request lines when the Hub is deliberately unreachable are not page errors. */
const realErrors = (errors: string[]) => errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e));

test('SmolLM2-135M-Instruct: size and fit before download, Cancel keeps nothing, a dropped connection resumes, reload finds it cached', async ({ baseURL, launchOptions }) => {
  // A persistent profile: storage on disk as a person's browser has it (an off-the-record context keeps the Cache
  // API in memory, where Chromium refuses a 269 MB entry).
  const profile = mkdtempSync(join(tmpdir(), 'hub-e2e-profile-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL, viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await smolScenario(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

async function smolScenario(page: Page) {
  const errors = watchErrors(page);
  await page.goto(pageUrl(hub.endpoint));
  await page.getByRole('button', { name: 'SmolLM2 135M Instruct' }).click();
  await expect(card(page).getByTestId('hub-meta')).toContainText('135M parameters · download 257 MB · stored as BF16');
  await expect(card(page)).toContainText(/read the model\.safetensors header with a Range request/);
  await expect(card(page).getByTestId('hub-fit')).toContainText(/full fine-tuning( \(this run\))?: (fits|does not fit) \(.*\d+\.\d\d GiB/);
  await expect(card(page).getByTestId('hub-fit')).toContainText(/LoRA \(rank \d+, /);
  expect(hub.downloads('model.safetensors'), 'nothing big was downloaded to show this').toBe(0);

  // Cancel mid-download: one calm message, nothing in the cache.
  hub.setRate(8e6);
  await card(page).getByRole('button', { name: /^Download \(257 MB\)$/ }).click();
  await expect(card(page).getByTestId('hub-progress')).toContainText(/model\.safetensors: [\d.]+ MB \/ 257 MB · [\d.]+ (KB|MB)\/s · \d+ (s|min) left/, { timeout: 60_000 });
  await card(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(card(page).getByTestId('hub-download-error')).toHaveText('Download cancelled; nothing partial was kept.');
  await expect(page.getByTestId('cached-models')).toContainText('No Hub models saved in this browser yet.');

  // Download again with the connection dropped halfway: it resumes with Range and completes.
  hub.setRate(null);
  hub.setFault(SMOL, 'model.safetensors', 'disconnect-once');
  const before = hub.requests.length;
  await card(page).getByRole('button', { name: /^Download/ }).click();
  await expect(card(page).getByTestId('hub-downloaded')).toBeVisible({ timeout: 120_000 });
  const resume = hub.requests.slice(before).find((r) => r.path.includes('/cdn/') && /^bytes=[1-9]\d*-$/.test(r.range ?? ''));
  expect(resume, 'the dropped download resumed with a Range request').toBeDefined();
  await expect(page.getByTestId('cached-model')).toHaveCount(1);
  await expect(page.getByTestId('cached-model')).toContainText(/HuggingFaceTB\/SmolLM2-135M-Instruct @main · \d files · 257 MB/);
  await expect(page.getByTestId('storage-estimate')).toContainText(/This site uses [\d.]+ (MB|GB) of/);
  await card(page).getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByTestId('model-panel')).toHaveAttribute('data-committed', `hf:${SMOL}`);

  // Reload: the model is in this browser's cache; nothing is downloaded again.
  const downloads = hub.downloads('model.safetensors');
  await page.reload();
  await page.getByRole('button', { name: 'SmolLM2 135M Instruct' }).click();
  await expect(card(page)).toHaveAttribute('data-cached', 'true');
  await expect(card(page).getByTestId('hub-meta')).toContainText("in this browser's cache");
  await expect(card(page).getByRole('button', { name: /^Download/ })).toHaveCount(0);
  expect(hub.downloads('model.safetensors')).toBe(downloads);
  await page.screenshot({ path: 'test-results/screenshots/hub-smollm2-cached.png', fullPage: true });

  // Delete frees it.
  await page.getByRole('button', { name: `Delete ${SMOL}` }).click();
  await expect(page.getByTestId('cached-models')).toContainText('No Hub models saved in this browser yet.');
  expect(errors, errors.join('\n')).toEqual([]);
}

function tinyRun() {
  const config = defaultRunConfig();
  config.model.id = `hf:${TINY}`;
  config.steps = 50;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 2;
  config.sampling.maxNewTokens = 8;
  config.eval.maxNewTokens = 8;
  config.task.evalSize = 2;
  return config;
}

async function stepOnce(page: Page) {
  const status = page.getByRole('status');
  await page.getByRole('toolbar', { name: 'Training controls' }).getByRole('button', { name: 'Step', exact: true }).click();
  await expect
    .poll(async () => {
      const state = await status.getAttribute('data-state');
      if (state === 'error') throw new Error(`the run failed: ${await status.textContent()}`);
      return state;
    }, { timeout: 240_000, intervals: [500] })
    .toBe('paused');
  await expect(page.getByTestId('step-counter')).toHaveText(/^Step 1 \//);
}

test('a typed repo: quota error as one message, poisoned cache entry recovered, a GRPO step, then loaded with the Hub gone', async ({ page, context }) => {
  const errors = watchErrors(page);
  const hash = encodeShareHash(tinyRun());
  await page.goto(pageUrl(hub.endpoint, hash));
  await page.getByLabel('Compute').selectOption('cpu');
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 2_000_000 });

  await page.getByLabel('Any Hub repo').fill(TINY);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(card(page).getByTestId('hub-meta')).toContainText(/2\.\d+M parameters · download 1\d(\.\d)? MB · stored as BF16/);
  await card(page).getByRole('button', { name: /^Download/ }).click();
  const quota = card(page).getByTestId('hub-download-error');
  await expect(quota).toHaveText(/^Not enough browser storage to save tokenizer\.json \([\d.]+ MB\).*Nothing was saved\. Free disk space or allow this site more storage, then try again\.$/);
  await expect(page.getByTestId('cached-models')).toContainText('No Hub models saved in this browser yet.');

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await card(page).getByRole('button', { name: /^Download/ }).click();
  await expect(card(page).getByTestId('hub-downloaded')).toBeVisible({ timeout: 60_000 });

  // Poison the cached weights (same length and headers, different bytes): the load must notice and refetch.
  const poisoned = await page.evaluate(async () => {
    const cache = await caches.open('grpo-hub-v1');
    const key = (await cache.keys()).find((k) => k.url.endsWith('/model.safetensors'))!;
    const old = (await cache.match(key))!;
    const bytes = new Uint8Array(await old.arrayBuffer());
    bytes[bytes.length - 1] ^= 0xff;
    await cache.put(key, new Response(bytes, { headers: old.headers }));
    return key.url;
  });
  expect(poisoned).toContain(TINY);
  const fetched = hub.downloads('model.safetensors');
  await stepOnce(page);
  expect(hub.downloads('model.safetensors'), 'the poisoned entry was dropped and fetched again').toBe(fetched + 1);
  await expect(page.getByTestId('model-panel')).toHaveAttribute('data-committed', `hf:${TINY}`);

  // The Hub goes away: a fresh page still inspects the cached copy and trains from it.
  await hub.close();
  // A real page load (going to the same URL with only its hash would not reload it and keep the paused run).
  await page.goto('about:blank');
  await page.goto(pageUrl(hub.endpoint, hash));
  await page.getByLabel('Compute').selectOption('cpu');
  await expect(card(page)).toContainText('The Hub cannot be reached: showing the cached copy.');
  await stepOnce(page);
  hub = await startHubServer([{ repo: TINY, files: tinyQwen3Folder({ seed: 11 }) }]); // for afterAll
  expect(realErrors(errors), errors.join('\n')).toEqual([]);
});
