// Sharing by URL end to end, without training: change a setting (a "Try this" starter), Share, read the link,
// open it in a new page with the same config; the consent flow for code from a link (accept and decline);
// curves that come with a link; malformed, oversized and unknown-version links (a clear message, the page
// still works); a link pasted into an open page; classroom links. Links with hand-made payloads are built
// here with lz-string, so the wire formats are checked independently of the page's own encoder.
import LZString from 'lz-string';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { nonDefaultValues } from '../src/rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../src/rl/presets.ts';

const SHOTS = 'test-results/screenshots';
const MAX_SHARE_PAYLOAD = 64 * 1024;

const pack = (value: unknown) => LZString.compressToEncodedURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
const runLink = (config: unknown, extra = '') => `/#run=${pack(config)}${extra}`;

/** A run payload as the page writes it for the default preset (its non-default values), with `patch` on top. */
function fromPreset(patch: Record<string, number | Record<string, unknown>>): Record<string, unknown> {
  const base = nonDefaultValues(getPreset(DEFAULT_PRESET)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    base[key] = typeof value === 'object' ? { ...((base[key] as object | undefined) ?? {}), ...value } : value;
  }
  return base;
}

/** Opens the Share panel and returns the link it shows. */
async function shareLink(page: Page): Promise<string> {
  const panel = page.getByRole('dialog', { name: 'Share this run' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(panel).toBeVisible();
  return page.getByTestId('share-url').inputValue();
}

/** The Share panel's list of settings that differ from the defaults. */
async function sharedSettings(page: Page): Promise<string[]> {
  await shareLink(page);
  return page.getByTestId('share-settings').locator('li').allTextContents();
}

async function closeShare(page: Page): Promise<void> {
  await page.getByRole('dialog', { name: 'Share this run' }).getByRole('button', { name: 'Close' }).click();
}

const trainButton = (page: Page) => page.getByRole('button', { name: 'Train' });

test('Share copies a link that reopens the same config in a new page', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Learning rate ×10' }).click();
  await expect(page.getByText(/Applied “Learning rate ×10” \(grpo\.learningRate 0\.0005 → 0\.005/)).toBeVisible();

  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page.getByTestId('share-copied')).toHaveText('Link copied');
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/^http:\/\/localhost:\d+\/#run=[A-Za-z0-9+$-]+$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await expect(page.getByTestId('share-length')).toHaveText(`${url.length.toLocaleString('en')} characters`);
  expect(await sharedSettings(page)).toEqual(['grpo.learningRate = 0.005']);
  // No run yet: nothing to include.
  await expect(page.getByRole('checkbox', { name: /Include curves/ })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/share-panel.png` });

  // Classroom options add hide=...
  await page.getByRole('checkbox', { name: 'Rubric panel' }).check();
  await page.getByRole('checkbox', { name: '"Try this" starters' }).check();
  const classroomUrl = await page.getByTestId('share-url').inputValue();
  expect(classroomUrl).toBe(`${url}&hide=rubric,tryThis`);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('share-copied')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(classroomUrl);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Share this run' })).toBeHidden();

  // A new page opens the same config: the panels show it, and its own link is identical.
  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(url);
  await expect(other.getByRole('alert')).toHaveCount(0);
  expect(JSON.parse((await other.getByTestId('committed-config').textContent()) ?? '{}')).toEqual(fromPreset({ grpo: { learningRate: 0.005 } }));
  expect(await shareLink(other)).toBe(url);
  expect(await sharedSettings(other)).toEqual(['grpo.learningRate = 0.005']);

  // The classroom link hides what was ticked.
  await other.goto('about:blank');
  await other.goto(classroomUrl);
  await expect(other.getByRole('button', { name: 'Share', exact: true })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Learning rate ×10' })).toHaveCount(0);
  await other.screenshot({ path: `${SHOTS}/share-classroom.png` });
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('without clipboard permission the link is selected for the user to copy', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
  });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page.getByTestId('share-copied')).toHaveText(/Press Ctrl\+C/);
  const input = page.getByTestId('share-url');
  await expect(input).toBeFocused();
  const selected = await input.evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0));
  expect(selected).toBe(await input.inputValue());
  expect(errors).toEqual([]);
});

const CODE = 'return completion.length < 20 ? 1 : 0';
const codeConfig = {
  version: 1,
  grpo: { groupSize: 4 },
  rubric: {
    criteria: [
      { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'short', kind: 'custom_code', weight: 0.5, params: { code: CODE } },
    ],
  },
};

test('code from a link runs only after the user accepts it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(runLink(codeConfig));
  const consent = page.getByTestId('share-consent');
  await expect(consent.getByRole('heading', { name: /Run this code\?/ })).toBeFocused();
  await expect(consent.locator('pre')).toHaveText(CODE);
  await expect(consent.getByText('short')).toBeVisible();
  // Until the user decides, the run config is the default one: the code is not in it, and nothing that would
  // start or change the run competes with the decision.
  expect(await sharedSettings(page)).toEqual([]);
  await closeShare(page);
  await expect(page.getByRole('button', { name: 'Learning rate ×10' })).toBeDisabled();
  await page.getByRole('tab', { name: 'Learn' }).click();
  await expect(page.getByRole('button', { name: 'Take one step' })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/share-consent.png` });

  await consent.getByRole('button', { name: 'Run this code' }).click();
  await expect(consent).toHaveCount(0);
  await expect(page.getByText('The linked run is loaded with its code.')).toBeVisible();
  const settings = await sharedSettings(page);
  expect(settings).toContain('grpo.groupSize = 4');
  expect(settings.join('\n')).toContain(CODE);
  await expect(trainButton(page)).toBeEnabled();
  expect(errors).toEqual([]);
});

test('declining code from a link opens the run without it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(runLink(codeConfig));
  const consent = page.getByTestId('share-consent');
  await consent.getByRole('button', { name: 'Open without it' }).click();
  await expect(page.getByText("The linked run is loaded without its code: removed 'short'.")).toBeVisible();
  const settings = await sharedSettings(page);
  expect(settings).toContain('grpo.groupSize = 4');
  expect(settings.join('\n')).not.toContain(CODE);
  expect(settings.join('\n')).toContain('rubric.criteria[xml_format] = (removed)');
  await expect(trainButton(page)).toBeEnabled();
  expect(errors).toEqual([]);
});

test('a link with curves shows them as a reference; bad curves are dropped alone', async ({ page }) => {
  const errors = watchErrors(page);
  const steps = Array.from({ length: 50 }, (_, i) => i + 1);
  const curves = {
    v: 1,
    name: 'shared demo',
    train: { step: steps, series: { reward: steps.map((s) => Number((s / 50).toPrecision(3))), 'rewards/correct_answer/mean': steps.map(() => 0.5) } },
    evals: { step: [0, 50], series: { 'eval/accuracy': [0.1, 0.6] } },
  };
  await page.goto(runLink(fromPreset({ grpo: { groupSize: 4 } }), `&curves=${pack(curves)}`));
  await expect(page.getByTestId('share-reference')).toHaveText(/curves of its run 'shared demo' \(50 steps, reward 0\.02 → 1, eval accuracy 0\.1 → 0\.6\)/);
  // Before any run of its own, the reward chart already draws the shared run: dashed, as the reference.
  await expect(page.getByTestId('reward-chart').locator('path.plot-line[stroke-dasharray]').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/share-curves.png`, fullPage: true });

  await page.goto('about:blank');
  await page.goto(runLink(fromPreset({ grpo: { groupSize: 4 } }), '&curves=not-a-summary'));
  await expect(page.getByTestId('share-curves-error')).toContainText('The curves in this link were left out (curve summary is corrupted');
  expect(await sharedSettings(page)).toEqual(['grpo.groupSize = 4']);
  await expect(page.getByTestId('share-error')).toHaveCount(0);
  expect(errors).toEqual([]);
});

const BAD_LINKS: [string, string, RegExp][] = [
  ['malformed', '/#run=this-is-not-a-share-link', /This share link could not be opened: share link is corrupted/],
  ['oversized', `/#run=${'A'.repeat(MAX_SHARE_PAYLOAD + 10)}`, /share link too long/],
  ['newer version', runLink({ version: 2, grpo: { shinyNewField: 1 } }), /made by a newer version of GRPO Playground/],
  ['invalid config', runLink({ version: 1, grpo: { learningRate: -1 } }), /grpo\.learningRate: must be > 0/],
];

for (const [what, link, message] of BAD_LINKS) {
  test(`a ${what} link shows one clear message and the page still works`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(link);
    const alert = page.getByTestId('share-error');
    await expect(alert).toHaveText(message);
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText('The default run is loaded instead.');
    await expect(alert).not.toContainText('shinyNewField');
    await expect(trainButton(page)).toBeEnabled();
    expect(await sharedSettings(page)).toEqual([]);
    await closeShare(page);
    if (what === 'newer version') await page.screenshot({ path: `${SHOTS}/share-bad-link.png` });
    // The bad hash stays until the user dismisses the message, which also cleans the address bar.
    expect(page.url()).toContain('#run=');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
    expect(page.url()).not.toContain('#run=');
    expect(errors).toEqual([]);
  });
}

test('a link pasted into an open page keeps the current work unless the user opens it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'KL penalty on (β 0.04)' }).click();
  expect(await sharedSettings(page)).toEqual(['grpo.beta = 0.04']);
  await closeShare(page);

  // A bad link: message, settings unchanged.
  await page.evaluate(() => (location.hash = 'run=garbage'));
  await expect(page.getByTestId('share-error')).toContainText('Your current settings are unchanged.');
  expect(await sharedSettings(page)).toEqual(['grpo.beta = 0.04']);
  await closeShare(page);

  // A good link: asked first; "keep" keeps, "open" replaces.
  const hash = runLink(fromPreset({ steps: 7 })).slice(2);
  await page.evaluate((h) => (location.hash = h), hash);
  const consent = page.getByTestId('share-consent');
  await expect(consent.getByRole('heading', { name: 'Open the run from this link?' })).toBeVisible();
  await consent.getByRole('button', { name: 'Keep my current settings' }).click();
  expect(await sharedSettings(page)).toEqual(['grpo.beta = 0.04']);
  await closeShare(page);

  await page.evaluate(() => (location.hash = ''));
  await page.evaluate((h) => (location.hash = h), hash);
  await consent.getByRole('button', { name: 'Open the linked run' }).click();
  expect(await sharedSettings(page)).toEqual(['steps = 7']);
  expect(errors).toEqual([]);
});

test('the Share panel says how long the link is and warns when it is too long for some apps', async ({ page }) => {
  const errors = watchErrors(page);
  // Own data makes links long: 600 rows of pseudo-random sums (little for lz-string to squeeze).
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 100000;
  const rows = Array.from({ length: 600 }, () => {
    const a = rand();
    const b = rand();
    return JSON.stringify({ prompt: `What is ${a} + ${b}?`, answer: String(a + b) });
  });
  await page.goto(runLink({ version: 1, task: { name: 'own-data', params: { data: rows.join('\n') } } }));
  await expect(page.getByTestId('share-error')).toHaveCount(0);
  const url = await shareLink(page);
  expect(url.length).toBeGreaterThan(8000);
  await expect(page.getByTestId('share-length')).toHaveText(`${url.length.toLocaleString('en')} characters`);
  await expect(page.getByRole('note')).toContainText('This link is long');
  await page.screenshot({ path: `${SHOTS}/share-long-link.png` });
  expect(errors).toEqual([]);
});
