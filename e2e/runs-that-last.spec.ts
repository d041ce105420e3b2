// Runs that last, end to end in Chromium on the CPU backend (real IndexedDB, real reloads): a run reloaded
// mid-way and resumed from its checkpoint posts the same metrics, bit for bit, as the same run never interrupted
// (compared through the Metrics JSONL export); runs, names and Compare survive reloads; Delete; the whole-run
// file imports back as a new run; the model zip is a Hugging Face folder whose safetensors parse; a storage
// quota error is one message and the run goes on; a chart saved as SVG and PNG.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { watchErrors } from './page-errors.ts';
import { defaultRunConfig } from '../src/rl/config/schema.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';
import { DB_NAME } from '../src/app/persist/db.ts';

// Steps take ~10 ms with the wasm kernels: enough of them that the run is still going when the page reloads.
const STEPS = 120;
const EVERY = 4;
const TIMING = new Set(['step_time', 'tokens_per_s']);

function tinyConfig() {
  const config = defaultRunConfig();
  config.steps = STEPS;
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 3;
  config.sampling.maxNewTokens = 6;
  config.eval.maxNewTokens = 6;
  config.eval.every = 5;
  config.task.evalSize = 2;
  return config;
}

const button = (page: Page, name: string) => page.getByRole('toolbar', { name: 'Training controls' }).getByRole('button', { name, exact: true });

async function runState(page: Page): Promise<string | null> {
  const status = page.getByRole('status').first();
  const state = await status.getAttribute('data-state');
  if (state === 'error') throw new Error(`the run failed: ${await status.textContent()}`);
  return state;
}

async function currentStep(page: Page): Promise<number> {
  return Number((await page.getByTestId('step-counter').textContent())?.match(/Step (\d+)/)?.[1] ?? NaN);
}

/** Runs with a checkpoint in the page's IndexedDB. */
async function storedCheckpoints(page: Page): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('checkpointInfo').objectStore('checkpointInfo').count();
          count.onsuccess = () => (db.close(), resolve(count.result));
          count.onerror = () => reject(count.error);
        };
      }),
    DB_NAME,
  );
}

async function openPage(page: Page) {
  // Other work edits this tree while the tests run: keep the dev server's hot reload from reloading the page at
  // a moment of its choosing (the socket opens but never hears from the server). The reloads here are the test's own.
  await page.routeWebSocket(/^ws:\/\/localhost:\d+\/(\?token=.*)?$/, () => {});
  await page.goto(`/${encodeShareHash(tinyConfig())}`);
  await page.getByLabel('Compute').selectOption('cpu');
}

async function openCompare(page: Page) {
  await page.getByRole('tab', { name: 'Compare' }).click();
}

/** Downloads one export of the run in row `index` of the run list; returns the saved file's path. */
async function exportRun(page: Page, index: number, item: string): Promise<string> {
  const r = page.getByTestId('run-row').nth(index);
  await r.locator('summary', { hasText: 'Export' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), r.getByRole('button', { name: item }).click()]);
  await r.locator('summary', { hasText: 'Export' }).click(); // close the menu
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

type Line = { type: string; step: number; [k: string]: number | string };
async function metricLines(page: Page, index: number): Promise<Map<string, Line>> {
  const text = await readFile(await exportRun(page, index, 'Metrics (JSONL)'), 'utf8');
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
  return new Map(lines.map((l) => [`${l.type}:${l.step}`, Object.fromEntries(Object.entries(l).filter(([k]) => !TIMING.has(k))) as Line]));
}

test('reload mid-run, resume from the checkpoint: the same metrics as the uninterrupted run; runs survive reloads', async ({ page }) => {
  const errors = watchErrors(page);
  await openPage(page);
  await openCompare(page);
  await page.getByLabel(/Checkpoint every N steps/).fill(String(EVERY));

  // Run 1: never interrupted.
  await button(page, 'Train').click();
  await expect.poll(() => runState(page), { timeout: 240_000, intervals: [250] }).toBe('done');

  // Run 2: the same config, reloaded in the middle.
  const checkpointsBefore = await storedCheckpoints(page);
  await button(page, 'Train').click();
  await expect.poll(() => currentStep(page), { timeout: 120_000, intervals: [50] }).toBeGreaterThanOrEqual(EVERY + 2);
  // A checkpoint reaches IndexedDB a moment after its step (saved-runs.ts): at these ~10 ms steps a reload right
  // after step EVERY + 2 can land before the first one is stored, so wait for it (the run trains on meanwhile).
  await expect.poll(() => storedCheckpoints(page), { timeout: 30_000, intervals: [50] }).toBeGreaterThan(checkpointsBefore);
  const reloadedAt = await currentStep(page);
  expect(reloadedAt).toBeLessThan(STEPS);
  await page.reload();

  const notice = page.getByTestId('resume-notice');
  const resume = notice.getByRole('button', { name: /Resume from step \d+/ });
  await expect(resume).toBeVisible();
  const k = Number((await resume.textContent())?.match(/step (\d+)/)?.[1]);
  expect(k % EVERY).toBe(0);
  expect(k).toBeGreaterThanOrEqual(EVERY);
  expect(k).toBeLessThanOrEqual(reloadedAt + 1);
  await page.screenshot({ path: 'test-results/screenshots/resume-notice.png', fullPage: true });

  await page.getByLabel('Compute').selectOption('cpu');
  await resume.click();
  await expect.poll(() => runState(page), { timeout: 240_000, intervals: [250] }).toBe('done');
  await expect(page.getByTestId('step-counter')).toHaveText(`Step ${STEPS} / ${STEPS}`);
  await expect(notice).toHaveCount(0);

  await openCompare(page);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  const straight = await metricLines(page, 0);
  const resumed = await metricLines(page, 1);
  // Every step the page saw of the resumed part is compared (the worker may skip sending steps of a fast run).
  const after = [...resumed.keys()].filter((key) => resumed.get(key)!.step > k);
  expect(after.length).toBeGreaterThanOrEqual(4);
  expect(after).toContain(`train:${STEPS}`);
  expect(after).toContain(`eval:${STEPS}`);
  let compared = 0;
  for (const key of after) {
    if (!straight.has(key)) continue;
    expect(resumed.get(key), key).toEqual(straight.get(key));
    compared++;
  }
  expect(compared).toBeGreaterThanOrEqual(4);
  // No duplicate steps: the part after the checkpoint was cut before resuming.
  expect(new Set(after).size).toBe(after.length);

  // A name survives a reload; so does the Compare list.
  await page.getByRole('textbox', { name: 'Name of run 1' }).fill('straight through');
  await page.waitForTimeout(500);
  await page.reload();
  await openCompare(page);
  await expect(page.getByRole('textbox', { name: 'Name of run 1' })).toHaveValue('straight through');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('storage-used')).toContainText(/used of/);
  await page.screenshot({ path: 'test-results/screenshots/saved-runs.png', fullPage: true });

  // Whole run out and back in: a third row with the same metrics.
  const runFile = await exportRun(page, 1, 'Whole run (.zip)');
  await page.getByTestId('import-run').setInputFiles(runFile);
  await expect(page.getByTestId('import-result')).toContainText('Imported');
  await expect(page.getByTestId('run-row')).toHaveCount(3);
  const imported = await metricLines(page, 2);
  expect([...imported.entries()]).toEqual([...resumed.entries()]);

  // The model as a zipped Hugging Face folder.
  const zip = unzipSync(new Uint8Array(await readFile(await exportRun(page, 1, 'Model (Hugging Face .zip)'))));
  const names = Object.keys(zip).map((n) => n.split('/').slice(1).join('/'));
  expect(names).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']));
  const st = Object.entries(zip).find(([n]) => n.endsWith('model.safetensors'))![1];
  // An independent reader: 8-byte little-endian header length, JSON header, then the data.
  const headerLength = Number(new DataView(st.buffer, st.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(st.subarray(8, 8 + headerLength)));
  const tensors = Object.entries(header).filter(([n]) => n !== '__metadata__') as [string, { dtype: string; shape: number[]; data_offsets: [number, number] }][];
  expect(tensors.length).toBeGreaterThan(3);
  for (const [, t] of tensors) expect(t.data_offsets[1] - t.data_offsets[0]).toBe(t.shape.reduce((a, b) => a * b, 1) * 4);
  expect(8 + headerLength + Math.max(...tensors.map(([, t]) => t.data_offsets[1]))).toBe(st.byteLength);

  // Delete leaves the list and the database.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete Run 2' }).first().click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await page.reload();
  await openCompare(page);
  await expect(page.getByTestId('run-row')).toHaveCount(2);

  expect(errors, errors.join('\n')).toEqual([]);
});

test('a storage quota error is one message; the run trains on in memory to the end', async ({ page, context }) => {
  const errors = watchErrors(page);
  await openPage(page);
  // Shrink this origin's quota (DevTools protocol) so the run's writes overflow it while it trains.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 40_000 });
  await button(page, 'Train').click();
  const alert = page.getByTestId('storage-error');
  await expect(alert).toBeVisible({ timeout: 120_000 });
  await expect(alert).toContainText('quota exceeded');
  await expect(alert).toContainText('Training goes on');
  await expect.poll(() => runState(page), { timeout: 240_000, intervals: [250] }).toBe('done');
  // Every step is still in the page: the counter, the run list and the chart.
  await expect(page.getByTestId('step-counter')).toHaveText(`Step ${STEPS} / ${STEPS}`);
  await expect(page.getByTestId('storage-error')).toHaveCount(1);
  await openCompare(page);
  await expect(page.getByTestId('run-row').first()).toContainText(`${STEPS} / ${STEPS}`);
  await page.screenshot({ path: 'test-results/screenshots/quota-error.png', fullPage: true });

  // A chart as SVG and PNG (the in-memory run is drawn whatever the storage did).
  await page.getByRole('tab', { name: 'Charts' }).click();
  const chartSelect = page.getByLabel('Chart to save');
  await chartSelect.focus();
  await chartSelect.selectOption({ label: 'Reward' });
  const save = async (format: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: format, exact: true }).click()]);
    const path = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(path);
    return readFile(path);
  };
  const svg = (await save('SVG')).toString('utf8');
  expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('>Reward</text>');
  // The run's line, with its colour written on the element (no stylesheet travels with the file).
  const stroke = await page.getByTestId('reward-chart').locator('path.plot-line').last().evaluate((p) => getComputedStyle(p).stroke);
  expect(stroke).toMatch(/^rgb/);
  expect(svg).toContain(`stroke: ${stroke};`);
  const png = await save('PNG');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.byteLength).toBeGreaterThan(2000);
  expect(errors, errors.join('\n')).toEqual([]);
});
