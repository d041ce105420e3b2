// The config panels end to end, without training: pick a preset, change a rubric weight, add a custom-code
// criterion and watch its live score, broken code's error, an invalid hyperparameter refused, own data with a
// line-numbered error. What the store holds is read through the page (the fields' data-committed attributes
// and the committed-config JSON), never through globals. Screenshots go to test-results/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './page-errors.ts';

const SHOTS = 'test-results/screenshots';

interface CommittedConfig {
  task?: { name?: string; params?: Record<string, unknown> };
  rubric?: { criteria: { name: string; kind: string; weight: number; params: Record<string, unknown> }[] };
  grpo?: Record<string, unknown>;
}

/** The committed config as the page shows it (non-default values only). */
async function committedConfig(page: Page): Promise<CommittedConfig> {
  const text = await page.getByTestId('committed-config').textContent();
  return JSON.parse(text ?? '{}') as CommittedConfig;
}

/** The field wrapper of an input, whose data-committed is the store's value. */
const field = (page: Page, id: string) => page.locator(`[data-field="${id}"]`);

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('rubric-preview')).toHaveAttribute('data-state', 'done');
});

test('preset, rubric weight, reorder, custom code with live scores and errors', async ({ page }) => {
  const errors = watchErrors(page);
  await page.screenshot({ path: `${SHOTS}/config-initial.png`, fullPage: true });

  // The model panel lists the bundled model with its size.
  await expect(page.getByTestId('model-panel')).toContainText(/80\.6k parameters · 317 KB/);
  await expect(page.getByRole('radio', { name: /Tiny arithmetic/ })).toBeChecked();

  // A preset loads the whole config.
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('sort');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByRole('combobox', { name: 'Task', exact: true })).toHaveValue('sort');
  await expect(page.getByTestId('task-panel')).toHaveAttribute('data-committed', 'sort');
  expect((await committedConfig(page)).task?.name).toBe('sort');
  expect((await committedConfig(page)).rubric?.criteria.map((c) => c.name)).toEqual(['list_match', 'xml_format']);
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('arithmetic');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect(page.getByTestId('task-panel')).toHaveAttribute('data-committed', 'arithmetic');

  // A rubric weight: committed, and the preview's reward row follows it.
  const weight = page.locator('#criterion-1-weight');
  await weight.fill('0.5');
  await expect(field(page, 'criterion-1-weight')).toHaveAttribute('data-committed', '0.5');
  const formatScores = page.getByTestId('rubric-preview').locator('tr[data-criterion="xml_format"] td');
  const rewardCells = page.getByTestId('rubric-preview').locator('tr[data-criterion="reward"] td');
  const correctCells = page.getByTestId('rubric-preview').locator('tr[data-criterion="correct_answer"] td');
  await expect(page.getByTestId('rubric-preview').locator('th', { hasText: 'xml_format' })).toContainText('×0.5');
  for (let i = 0; i < 3; i++) {
    const expected = Number(await correctCells.nth(i).getAttribute('data-score')) + 0.5 * Number(await formatScores.nth(i).getAttribute('data-score'));
    expect(Number(await rewardCells.nth(i).getAttribute('data-score'))).toBeCloseTo(expected, 9);
  }
  // Weight 0 logs only, and says so.
  await weight.fill('0');
  await expect(page.getByTestId('criterion-xml_format')).toContainText('log only');
  await weight.fill('x');
  await expect(field(page, 'criterion-1-weight')).toContainText("'x' is not a number");
  await expect(field(page, 'criterion-1-weight')).toHaveAttribute('data-committed', '0');
  await weight.fill('0.5');

  // Reorder with the keyboard: focus the move-up button and press Enter; focus follows the criterion.
  await page.getByRole('button', { name: 'Move xml_format up' }).focus();
  await page.keyboard.press('Enter');
  expect((await committedConfig(page)).rubric?.criteria.map((c) => c.name)).toEqual(['xml_format', 'correct_answer']);
  await expect(page.getByRole('button', { name: 'Move xml_format down' })).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/config-rubric-edited.png`, fullPage: true });

  // Add a custom_code criterion and type code: the live score updates.
  await page.getByLabel('New criterion').selectOption('custom_code');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const editor = page.getByRole('textbox', { name: 'Code of criterion custom_code' });
  await expect(editor).toBeVisible();
  const live = page.getByTestId('live-scores-custom_code');
  await expect(live).toHaveAttribute('data-state', 'done');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('return completion.length');
  await expect(live).toHaveAttribute('data-state', 'done');
  const samples = await live.locator('li code').allTextContents();
  expect(samples.length).toBe(3);
  await expect
    .poll(async () => (await live.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-score')))).map(Number))
    .toEqual(samples.map((s) => s.length));
  const saved = (await committedConfig(page)).rubric?.criteria.find((c) => c.kind === 'custom_code');
  expect(saved?.params.code).toBe('return completion.length');
  await page.screenshot({ path: `${SHOTS}/config-custom-code.png`, fullPage: true });

  // Broken code: every sample shows the syntax error, and training would say the same.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('return (');
  await expect(live.locator('[data-error-all]')).toContainText(/Every sample: custom code does not compile: SyntaxError/, { timeout: 15_000 });
  await expect(live.locator('li[data-error]')).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/config-custom-code-error.png`, fullPage: true });

  // An infinite loop is stopped at the time limit and reported, and the page stays responsive.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('while (true) {}');
  await expect(live.locator('[data-error-all]')).toContainText(/exceeded the time limit \(50 ms\)/, { timeout: 15_000 });

  // The page stayed responsive while the worker ran the loop: a field still commits at once.
  await page.locator('#criterion-1-weight').fill('1.5');
  await expect(field(page, 'criterion-1-weight')).toHaveAttribute('data-committed', '1.5');

  // Tab leaves the editor (no focus trap).
  await editor.click();
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();

  expect(errors, errors.join('\n')).toEqual([]);
});

test('invalid hyperparameters are refused with a message; reset restores the default', async ({ page }) => {
  const errors = watchErrors(page);
  await page.locator('details[data-group="optimiser"] > summary').click();
  const lr = page.getByRole('textbox', { name: 'Learning rate', exact: true });
  await lr.fill('-1');
  await expect(field(page, 'hp-grpo-learningRate')).toContainText('must be > 0');
  await expect(lr).toHaveAttribute('aria-invalid', 'true');
  await expect(field(page, 'hp-grpo-learningRate')).toHaveAttribute('data-committed', '0.0005');
  await lr.fill('1e-3');
  await expect(field(page, 'hp-grpo-learningRate')).toHaveAttribute('data-committed', '0.001');
  await expect(lr).toHaveValue('1e-3');
  expect((await committedConfig(page)).grpo?.learningRate).toBe(0.001);

  await page.locator('details[data-group="grpo"] > summary').click();
  const g = page.getByRole('textbox', { name: 'Group size G' });
  await g.fill('1');
  await expect(field(page, 'hp-grpo-groupSize')).toContainText('must be >= 2');
  await g.fill('2.5');
  await expect(field(page, 'hp-grpo-groupSize')).toContainText('whole number');
  await expect(field(page, 'hp-grpo-groupSize')).toHaveAttribute('data-committed', '8');
  await expect(page.getByTestId('hyperparameters-panel').getByRole('link', { name: 'GRPO paper' }).first()).toHaveAttribute(
    'href',
    'https://arxiv.org/abs/2402.03300',
  );
  await page.screenshot({ path: `${SHOTS}/config-hyperparameter-invalid.png`, fullPage: true });

  await page.getByRole('button', { name: /Reset Learning rate to default/ }).click();
  await expect(lr).toHaveValue('0.0005');
  expect((await committedConfig(page)).grpo?.learningRate).toBeUndefined();
  expect(errors, errors.join('\n')).toEqual([]);
});

test('own data: paste with a line-numbered error, fix it, see the preview table', async ({ page }) => {
  const errors = watchErrors(page);
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('own-data');
  await page.getByRole('button', { name: 'Load' }).click();
  const data = page.getByLabel('Your data (JSONL or CSV)');
  await expect(page.getByTestId('own-data-preview')).toContainText('105 rows (CSV)');
  const committedLength = await page.locator('.own-data').getAttribute('data-committed-length');

  await data.fill('{"prompt": "2+2", "answer": "4"}\n{"prompt": "3+3", "answer": }\n{"prompt": "1+1", "answer": "2"}');
  const problem = page.getByTestId('own-data-error');
  await expect(problem).toContainText(/JSONL: Line 2: not valid JSON/);
  await expect(problem).toHaveAttribute('data-line', '2');
  // Refused: the store keeps the last valid data.
  await expect(page.locator('.own-data')).toHaveAttribute('data-committed-length', committedLength!);
  await page.getByRole('button', { name: 'Select line 2' }).click();
  await expect(data).toBeFocused();
  expect(await data.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('{"prompt": "3+3", "answer": }');
  await page.screenshot({ path: `${SHOTS}/config-own-data-error.png`, fullPage: true });

  const fixed = '{"prompt": "2+2", "answer": "4"}\n{"prompt": "3+3", "answer": "6"}\n{"prompt": "1+1", "answer": "2"}';
  await data.fill(fixed);
  await expect(page.getByTestId('own-data-preview')).toContainText('3 rows (JSONL)');
  await expect(page.getByTestId('own-data-preview').locator('tbody tr')).toHaveCount(3);
  await expect(page.locator('.own-data')).toHaveAttribute('data-committed-length', String(fixed.length));
  expect((await committedConfig(page)).task?.params?.data).toBe(fixed);

  // Upload a CSV file with a bad row.
  await page.getByLabel('Upload a file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('prompt,answer\na,b\nc\n') });
  await expect(page.getByTestId('own-data-error')).toContainText(/CSV: Line 3: 1 field, but the header has 2/);
  expect(errors, errors.join('\n')).toEqual([]);
});

test('editing is locked while a run holds the config, and unlocked after Stop', async ({ page }) => {
  const errors = watchErrors(page);
  // A tiny run: one prompt, two completions, four tokens, one eval row.
  await page.locator('details[data-group="grpo"] > summary').click();
  await page.getByRole('textbox', { name: 'Prompts per step' }).fill('1');
  await page.getByRole('textbox', { name: 'Group size G' }).fill('2');
  await page.locator('details[data-group="sampling"] > summary').click();
  await page.getByRole('textbox', { name: 'Max new tokens', exact: true }).fill('4');
  await page.getByRole('textbox', { name: 'Eval size' }).fill('1');
  await expect(field(page, 'hp-grpo-groupSize')).toHaveAttribute('data-committed', '2');

  // Step starts a run that pauses after one update, so the run stays open (paused) while we look.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.locator('.locked-note')).toContainText('A run is in progress');
  const weight = page.locator('#criterion-0-weight');
  await expect(weight).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add', exact: true })).toBeDisabled();
  const status = page.locator('[role="status"][data-state]').first();
  await expect(status).toHaveAttribute('data-state', 'paused', { timeout: 5 * 60_000 });
  await expect(weight).toBeDisabled();
  // The preview now scores the completions the model just wrote (the samples editor offers them).
  await page.locator('.samples-editor > summary').click();
  await expect(page.getByRole('button', { name: 'Latest run completions' })).toBeVisible();
  // The run's group has G = 2 completions where the task examples have 3.
  await expect(page.locator('#sample-completion-1')).toBeVisible();
  await expect(page.locator('#sample-completion-2')).toHaveCount(0);
  await page.getByRole('button', { name: 'Task examples' }).click();
  await expect(page.locator('#sample-completion-2')).toBeVisible();
  await page.getByRole('button', { name: 'Latest run completions' }).click();
  await expect(page.locator('#sample-completion-2')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/config-locked.png`, fullPage: true });

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 5 * 60_000 });
  await expect(page.locator('.locked-note')).toHaveCount(0);
  await expect(weight).toBeEnabled();
  await weight.fill('2');
  await expect(field(page, 'criterion-0-weight')).toHaveAttribute('data-committed', '2');
  expect(errors, errors.join('\n')).toEqual([]);
});

test('a classroom link hides the panels it names', async ({ page }) => {
  // The hash is read when the page loads: a hash change alone does not reload, so reload.
  await page.goto('/#hide=rubric,hyperparameters');
  await page.reload();
  await expect(page.getByTestId('task-panel')).toBeVisible();
  await expect(page.getByTestId('model-panel')).toBeVisible();
  await expect(page.getByTestId('rubric-panel')).toHaveCount(0);
  await expect(page.getByTestId('hyperparameters-panel')).toHaveCount(0);
  await expect(page.getByTestId('committed-config')).toHaveCount(0);
  // Nothing else may change what is hidden: the starters that edit the rubric or hyperparameters are gone.
  await expect(page.getByRole('button', { name: /Remove the format reward/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Learning rate ×10/ })).toHaveCount(0);

  await page.goto('/#hide=customCode');
  await page.reload();
  await expect(page.getByTestId('rubric-panel')).toBeVisible();
  await expect(page.getByLabel('New criterion').locator('option[value="custom_code"]')).toHaveCount(0);
});

test('judge settings: endpoint params, an API key kept out of the config, no judge calls while typing', async ({ page }) => {
  const errors = watchErrors(page);
  await page.getByLabel('New criterion').selectOption('llm_judge');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const judge = page.getByTestId('criterion-llm_judge');
  await expect(judge.getByRole('textbox', { name: 'baseUrl' })).toHaveValue('https://api.openai.com/v1');
  await judge.getByRole('textbox', { name: 'model' }).fill('judge-mini');
  const key = judge.getByLabel('API key');
  await expect(key).toHaveAttribute('type', 'password');
  await key.fill('sk-secret-123');
  await expect(judge).toContainText('never stored or shared');
  await expect(page.getByTestId('rubric-preview')).toContainText('llm_judge: not called in the preview');
  const config = JSON.stringify(await committedConfig(page));
  expect(config).toContain('judge-mini');
  expect(config).not.toContain('sk-secret-123');
  await judge.getByRole('textbox', { name: 'baseUrl' }).fill('ftp://x');
  await expect(field(page, 'criterion-2-baseUrl')).toContainText(/http/);
  await page.screenshot({ path: `${SHOTS}/config-judge.png`, fullPage: true });
  expect(errors, errors.join('\n')).toEqual([]);
});

test('a model catalogue that cannot be loaded says so and names the model in use', async ({ page }) => {
  await page.route('**/models/index.json', (route) => route.fulfill({ status: 200, body: '{"version": 1, "models": []}' }));
  await page.goto('/');
  await expect(page.getByTestId('model-panel')).toContainText(
    'The list of bundled models could not be loaded: models/index.json: models: Too small',
  );
  await expect(page.getByTestId('model-panel')).toContainText('The run uses model “tiny-arith”.');
});
