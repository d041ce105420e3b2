// LoRA in the page: the Model panel's "Training mode and memory" turns LoRA on for the bundled model, edits its rank,
// alpha and projections (bad values refused next to the field, nothing committed), the memory verdict follows each
// edit, and Train runs GRPO steps with the LoRA run config (on whichever backend Compute picks: the CPU here, since
// SwiftShader is only a software adapter). At a laptop's and a phone's viewport, with a screenshot of each.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { watchErrors } from './page-errors.ts';
import { currentStep } from './run-progress.ts';

const field = (page: Page, id: string) => page.locator(`[data-field="${id}"]`);

function committedConfig(page: Page): Promise<Record<string, unknown> & { lora?: { rank: number; alpha: number; targets: string[]; baseDtype: string } }> {
  return page
    .getByTestId('committed-config')
    .textContent()
    .then((t) => JSON.parse(t ?? '{}'));
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport });

    test('LoRA settings are validated, move the memory verdict, and a LoRA run trains', async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto('/');
      const mode = page.getByTestId('training-mode');
      const settings = page.getByTestId('lora-settings');
      await expect(settings).toHaveAttribute('data-lora', 'off');
      // The verdict for the bundled model, before LoRA: full fine-tuning is this run's mode, and it fits.
      const verdicts = mode.getByTestId('fit-verdicts');
      const cpuFull = verdicts.locator('li[data-device="cpu"] [data-mode="full"]');
      const cpuLora = verdicts.locator('li[data-device="cpu"] [data-mode="lora"]');
      await expect(cpuFull).toHaveAttribute('data-current', 'true');
      await expect(cpuFull).toHaveAttribute('data-fits', 'true');
      await expect(cpuLora).toContainText('the defaults');

      await page.getByLabel('Train LoRA adapters (base frozen)').check();
      await expect(settings).toHaveAttribute('data-lora', 'on');
      await expect(cpuLora).toHaveAttribute('data-current', 'true');
      await expect(cpuLora).toContainText('LoRA (rank 16, all projections, f32 base)');
      expect((await committedConfig(page)).lora).toEqual({ rank: 16, alpha: 32, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0, baseDtype: 'bf16' });

      // Bad values: one message next to the field, the committed value unchanged.
      const rank = page.getByRole('textbox', { name: 'Rank r' });
      await rank.fill('0');
      await expect(field(page, 'lora-rank').locator('.field-error')).toContainText(/>= ?1|at least 1|too small/i);
      await rank.fill('2.5');
      await expect(field(page, 'lora-rank').locator('.field-error')).toHaveText('must be a whole number');
      await expect(field(page, 'lora-rank')).toHaveAttribute('data-committed', '16');
      const before = await cpuLora.textContent();
      await rank.fill('4');
      await expect(field(page, 'lora-rank')).toHaveAttribute('data-committed', '4');
      await expect(cpuLora).toContainText('LoRA (rank 4, all projections');
      // a quarter of the adapters: the plan's total changes with the rank
      await expect(cpuLora).not.toHaveText(before ?? '');
      await page.getByRole('textbox', { name: 'Alpha' }).fill('-1');
      await expect(field(page, 'lora-alpha').locator('.field-error')).toBeVisible();
      await page.getByRole('textbox', { name: 'Alpha' }).fill('8');
      await expect(field(page, 'lora-alpha')).toHaveAttribute('data-committed', '8');

      // Projections: down to q and v, and the last one cannot be removed.
      const targets = page.locator('[data-field="lora-targets"]');
      for (const name of ['k_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']) await targets.getByLabel(name).uncheck();
      await expect(targets).toHaveAttribute('data-committed', 'q,v');
      await expect(cpuLora).toContainText('LoRA (rank 4, q, v, f32 base)');
      await targets.getByLabel('q_proj').uncheck();
      await expect(targets).toHaveAttribute('data-committed', 'v');
      await targets.getByLabel('v_proj').click(); // the last one: refused, stays checked
      await expect(targets.locator('.field-error')).toHaveText('choose at least one projection');
      await expect(targets.getByLabel('v_proj')).toBeChecked();
      await expect(targets).toHaveAttribute('data-committed', 'v');
      expect((await committedConfig(page)).lora).toMatchObject({ rank: 4, alpha: 8, targets: ['v'] });

      // A tiny run: one prompt, two completions, four tokens, one eval row.
      await page.locator('details[data-group="grpo"] > summary').click();
      await page.getByRole('textbox', { name: 'Prompts per step' }).fill('1');
      await page.getByRole('textbox', { name: 'Group size G' }).fill('2');
      await page.locator('details[data-group="sampling"] > summary').click();
      await page.getByRole('textbox', { name: 'Max new tokens', exact: true }).fill('4');
      await page.getByRole('textbox', { name: 'Eval size' }).fill('1');
      await expect(field(page, 'hp-grpo-groupSize')).toHaveAttribute('data-committed', '2');

      const status = page.locator('[role="status"][data-state]').first();
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      // While the run holds its config, the LoRA fields are locked with it.
      await expect(page.getByLabel('Train LoRA adapters (base frozen)')).toBeDisabled();
      await expect.poll(currentStep(page), { timeout: 8 * 60_000, intervals: [1000] }).toBeGreaterThanOrEqual(2);
      expect((await committedConfig(page)).lora).toMatchObject({ rank: 4, alpha: 8, targets: ['v'] });
      await page.screenshot({ path: `test-results/lora-controls-${viewport.width}x${viewport.height}.png`, fullPage: true });
      await mode.screenshot({ path: `test-results/lora-controls-mode-${viewport.width}x${viewport.height}.png` });

      const stop = page.getByRole('button', { name: 'Stop', exact: true });
      if (await stop.isEnabled()) await stop.click();
      await expect(status).toHaveAttribute('data-state', 'done', { timeout: 5 * 60_000 });
      await expect(page.getByLabel('Train LoRA adapters (base frozen)')).toBeEnabled();

      // The run's adapter in PEFT's format, from the Export menu, read back with an independent safetensors reader.
      await page.getByRole('tab', { name: 'Compare' }).click();
      const row = page.getByTestId('run-row').first();
      await row.locator('summary', { hasText: 'Export' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'LoRA adapter (PEFT .zip)' }).click()]);
      const path = test.info().outputPath(download.suggestedFilename());
      await download.saveAs(path);
      const zip = unzipSync(new Uint8Array(await readFile(path)));
      const file = (name: string) => Object.entries(zip).find(([n]) => n.endsWith(`/${name}`))?.[1];
      const adapterConfig = JSON.parse(new TextDecoder().decode(file('adapter_config.json')));
      expect(adapterConfig).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, target_modules: ['v_proj'], base_model_name_or_path: 'tiny-arith' });
      const st = file('adapter_model.safetensors')!;
      const headerLength = Number(new DataView(st.buffer, st.byteOffset).getBigUint64(0, true));
      const header = JSON.parse(new TextDecoder().decode(st.subarray(8, 8 + headerLength))) as Record<string, { shape: number[] }>;
      const names = Object.keys(header).filter((n) => n !== '__metadata__');
      expect(names).toContain('base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight');
      expect(names.every((n) => /\.v_proj\.lora_[AB]\.weight$/.test(n))).toBe(true);
      expect(header['base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight'].shape[0]).toBe(4);
      expect(errors, errors.join('\n')).toEqual([]);
    });
  });
}
