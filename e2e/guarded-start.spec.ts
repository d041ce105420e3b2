// Guarded starts (issue 14), at a laptop's 1280x800 and a phone's 390x844: the estimate under the run controls,
// the confirmation a very long run asks for (Cancel starts nothing), custom code that does not compile blocking
// Train with the line and column and a button that puts the editor's cursor there, and the own-data warnings
// (the bundled model's template drops the system prompt; rows with characters its tokenizer does not know).
import LZString from 'lz-string';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './page-errors.ts';
import { nonDefaultValues } from '../src/rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../src/rl/presets.ts';

const SHOTS = 'test-results/screenshots';
const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

const runLink = (config: unknown) => `/#run=${LZString.compressToEncodedURIComponent(JSON.stringify(config))}`;
/** The default preset as a link carries it (its non-default values). */
const preset = () => nonDefaultValues(getPreset(DEFAULT_PRESET)) as Record<string, unknown> & { grpo?: Record<string, unknown> };
const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });
const status = (page: Page) => page.locator('.status[data-state]');

// Line 3 of the code, "return (x;": QuickJS says "expecting ')'" on line 3; the parser puts it at column 10.
const BAD_CODE = 'const x = completion.length;\n\nreturn (x;';

test('after a run, the estimate is based on the rate that run measured on this device', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const estimate = page.getByTestId('start-estimate');
  await expect(estimate).toHaveAttribute('title', /^Time rough: no run on this device yet/);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-state', 'paused', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(estimate).toHaveAttribute('title', /^Time measured: [\d,]+ tokens\/s over 1 step of an earlier run of this model on CPU/);
  await expect(estimate).toContainText('time measured');
  // kept for the next visit
  await page.reload();
  await expect(estimate).toHaveAttribute('title', /^Time measured:/);
  expect(errors, errors.join('\n')).toEqual([]);
});

for (const vp of VIEWPORTS) {
  test.describe(`guarded start at ${vp.width}x${vp.height}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('the estimate shows before Train; a 100,000-step run asks first and Cancel starts nothing', async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto('/');
      const estimate = page.getByTestId('start-estimate');
      await expect(estimate).toContainText(/Estimate: [\d.]+ s per step, about [\d\w ]+ for 60 steps; memory [\d.]+ MiB \(fits the CPU backend\)/);
      await expect(estimate).toHaveAttribute('title', /^Time (rough|measured|scaled)/);

      const p = preset();
      await page.goto(runLink({ ...p, grpo: { ...p.grpo, promptsPerStep: 200, groupSize: 64 }, steps: 100_000 }));
      await page.reload();
      await expect(estimate).toContainText(/for 100,000 steps/);
      await trainButton(page).click();
      const dialog = page.getByRole('dialog', { name: 'Start this run?' });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText(/This run is estimated to take about [\d.]+ days \([\d\w ]+ per step; (rough|measured|scaled)/);
      await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await page.screenshot({ path: `${SHOTS}/guarded-start-confirm-${vp.name}.png` });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(status(page)).toHaveAttribute('data-state', 'idle');
      expect(errors, errors.join('\n')).toEqual([]);
    });

    test('custom code that does not compile blocks Train, with the line and column, and shows it in the editor', async ({ page }) => {
      const errors = watchErrors(page);
      const p = preset();
      await page.goto(
        runLink({
          ...p,
          rubric: {
            criteria: [
              { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
              { name: 'my_code', kind: 'custom_code', weight: 0.5, params: { code: BAD_CODE } },
            ],
          },
        }),
      );
      await page.getByTestId('share-consent').getByRole('button', { name: 'Run this code' }).click();
      const blocked = page.getByTestId('code-problems');
      await expect(blocked).toContainText(/Train is blocked: the code of criterion “my_code” does not compile: SyntaxError: expecting '\)' at line 3, column 10\./);
      await expect(trainButton(page)).toHaveAttribute('aria-disabled', 'true');
      await trainButton(page).click({ force: true });
      await expect(status(page)).toHaveAttribute('data-state', 'idle');

      await blocked.getByRole('button', { name: 'Show in the editor' }).click();
      const editor = page.getByLabel('Code of criterion my_code');
      await expect(editor).toBeFocused();
      // the cursor sits on line 3, column 10: CodeMirror's active line is the third
      await expect(page.locator('[data-testid="criterion-1-code-editor"] .cm-activeLine')).toHaveText('return (x;');
      // the column: the text from the start of the active line to the cursor, plus one
      const column = await page.locator('[data-testid="criterion-1-code-editor"] .cm-activeLine').evaluate((line) => {
        const sel = window.getSelection();
        if (!sel || !sel.anchorNode) return -1;
        const range = document.createRange();
        range.setStart(line, 0);
        range.setEnd(sel.anchorNode, sel.anchorOffset);
        return range.toString().length + 1;
      });
      expect(column).toBe(10);
      await page.screenshot({ path: `${SHOTS}/guarded-start-code-${vp.name}.png` });

      // fixing the code unblocks Train
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(');');
      await expect(blocked).toHaveCount(0);
      await expect(trainButton(page)).toHaveAttribute('aria-disabled', 'false');
      expect(errors, errors.join('\n')).toEqual([]);
    });

    test("own data says the bundled model's template drops the system prompt and flags rows outside its vocabulary", async ({ page }) => {
      const errors = watchErrors(page);
      // the default preset's model (tiny-arith), with the task switched to own data and a system prompt
      await page.goto('/');
      await page.getByRole('combobox', { name: 'Task', exact: true }).selectOption('own-data');
      await page.getByLabel('systemPrompt', { exact: true }).fill('Answer with the capital, inside <answer></answer> tags.');
      await page.getByLabel('systemPrompt', { exact: true }).blur();
      await expect(page.getByTestId('own-data-system-note')).toContainText("tiny-arith's chat template drops system messages: the model never sees the systemPrompt above");
      await expect(page.getByTestId('own-data-vocabulary')).toHaveCount(0);
      await page.getByLabel('Your data (JSONL or CSV)').fill('prompt,answer\nFrance,Paris\nCôte d’Ivoire,Yamoussoukro\nJapan,東京\nPeru,Lima\n');
      const vocabulary = page.getByTestId('own-data-vocabulary');
      await expect(vocabulary).toContainText("2 rows (lines 3, 4) hold characters tiny-arith's tokenizer does not know: “ô” U+00F4, “’” U+2019, “東” U+6771, “京” U+4EAC.");
      await vocabulary.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/guarded-start-own-data-${vp.name}.png` });
      expect(errors, errors.join('\n')).toEqual([]);
    });
  });
}
