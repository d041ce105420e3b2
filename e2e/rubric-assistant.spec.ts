// The rubric assistant and the weight fit in the page, against a scripted OpenAI-compatible server on 127.0.0.1
// (started by this test; it sends CORS headers so the page may call it). The assistant's proposals are shown with
// their reasons and preview scores, bad and hostile ones are listed as rejected and never reach the rubric, a
// reply that is not JSON shows one message and changes nothing, and only "Add accepted criteria" changes the
// rubric. The weight fit takes the person's ratings, shows agreement before and after, and applies on request.
import { expect, test, type Page } from '@playwright/test';
import { startScriptedChatServer, type ScriptedChatServer } from '../src/rl/rubric/testing/chat-server.ts';
import { watchErrors } from './page-errors.ts';

let server: ScriptedChatServer;
test.beforeAll(async () => {
  server = await startScriptedChatServer();
});
test.afterAll(() => server.close());

interface Committed {
  rubric?: { criteria: { name: string; kind: string; weight: number; params: Record<string, unknown> }[] };
}
const committed = async (page: Page): Promise<Committed> => JSON.parse((await page.getByTestId('committed-config').textContent()) ?? '{}') as Committed;

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('rubric-preview')).toHaveAttribute('data-state', 'done');
});

test('weights fitted to the person\'s ratings: agreement before/after, applied only on request', async ({ page }) => {
  const errors = watchErrors(page);
  const fit = page.getByTestId('weight-fit');
  await fit.locator('summary').click();
  await expect(fit.getByRole('button', { name: 'Fit weights' })).toBeDisabled();
  // Samples: "<answer>N</answer>" (right), "N" (right, no tags), "<answer>N-1</answer>" (wrong, tagged). The person
  // prefers the bare right answer to the tagged wrong one, which the reward (1 x correct + 0.2 x format) does not.
  await fit.getByRole('combobox', { name: 'Rating of completion 1' }).selectOption('5');
  await fit.getByRole('combobox', { name: 'Rating of completion 2' }).selectOption('4');
  await fit.getByRole('combobox', { name: 'Rating of completion 3' }).selectOption('1');
  await fit.getByRole('button', { name: 'Fit weights' }).click();
  // Before: of the 3 pairs, (bare right, tagged wrong) is ordered wrong: 2/3. After: format weight 0, that pair
  // ties (half credit): 2.5/3.
  await expect(fit.getByTestId('agreement-before')).toHaveText('67%');
  await expect(fit.getByTestId('agreement-after')).toHaveText('83%');
  expect((await committed(page)).rubric).toBeUndefined(); // nothing applied yet
  await fit.getByRole('button', { name: 'Apply fitted weights' }).click();
  await expect(fit.getByRole('status')).toHaveText('Applied: the rubric now uses the fitted weights.');
  const weights = Object.fromEntries((await committed(page)).rubric!.criteria.map((c) => [c.name, c.weight]));
  expect(weights).toEqual({ correct_answer: 1.2, xml_format: 0 });
  // The ratings survive a reload (kept in this browser).
  await page.reload();
  await page.getByTestId('weight-fit').locator('summary').click();
  await expect(page.getByRole('combobox', { name: 'Rating of completion 3' })).toHaveValue('1');
  expect(errors).toEqual([]);
});

test('rubric assistant: proposals previewed and accepted one by one; bad, hostile and non-JSON replies never applied', async ({ page }) => {
  const errors = watchErrors(page);
  const box = page.getByTestId('rubric-assistant');
  await box.locator('summary').click();
  await box.getByLabel('Endpoint').fill(server.baseUrl);
  await box.getByLabel('Model').fill('designer');
  await box.getByLabel(/^Task/).fill('Add two numbers; answer inside <answer></answer>.');

  server.script(() => 'Sorry, I cannot help with rubrics.');
  await box.getByRole('button', { name: 'Suggest criteria' }).click();
  await expect(box.getByRole('alert')).toHaveText('rubric assistant: the assistant reply is not JSON (expected {"criteria": [...]})');

  server.script(() =>
    JSON.stringify({
      criteria: [
        { name: 'tags', kind: 'contains', weight: 0.1, params: { text: '<answer>' }, reason: 'a small credit for opening the answer tag' },
        { name: 'exfil', kind: 'llm_judge', weight: 1, params: { baseUrl: 'https://attacker.example/v1' }, reason: 'trust me' },
        { name: 'huge', kind: 'xml_format', weight: 1e9 },
        { name: 'short', kind: 'length_target', weight: 0.05, params: { target: 3, unit: 'words' }, reason: 'answers are short' },
      ],
    }),
  );
  await box.getByRole('button', { name: 'Suggest criteria' }).click();
  const proposals = box.getByTestId('assistant-proposals');
  await expect(proposals.locator('[data-proposal="tags"]')).toContainText('a small credit for opening the answer tag');
  await expect(proposals.locator('[data-rejected="exfil"]')).toHaveText(
    "Rejected #2 exfil: proposes a judge at another address (https://attacker.example/v1): only the assistant's own endpoint is accepted",
  );
  await expect(proposals.locator('[data-rejected="huge"]')).toHaveText('Rejected #3 huge: weight must be a number from -10 to 10');
  // The proposals' own preview: "tags" scores 1, 0, 1 on the three samples.
  const preview = proposals.getByTestId('rubric-preview');
  await expect(preview).toHaveAttribute('data-state', 'done');
  await expect(preview.locator('tr[data-criterion="tags"] td')).toHaveText(['1', '0', '1']);
  // The main preview was not cancelled by the proposals' one.
  await expect(page.getByTestId('rubric-panel').getByTestId('rubric-preview').first()).toHaveAttribute('data-state', 'done');

  expect((await committed(page)).rubric).toBeUndefined(); // nothing applied before accepting
  await expect(proposals.getByRole('button', { name: 'Add accepted criteria' })).toBeDisabled();
  await proposals.locator('[data-proposal="tags"]').getByRole('checkbox').check();
  await proposals.getByRole('button', { name: 'Add accepted criteria' }).click();
  await expect(box.getByRole('status')).toHaveText('Added 1 criteria to the rubric.');
  const criteria = (await committed(page)).rubric!.criteria;
  expect(criteria.map((c) => c.name)).toEqual(['correct_answer', 'xml_format', 'tags']);
  expect(criteria[2]).toEqual({ name: 'tags', kind: 'contains', weight: 0.1, params: { text: '<answer>' } });
  expect(server.seen.at(-1)!.body.messages[1].content).toContain('Task: Add two numbers');
  expect(errors).toEqual([]);
});
