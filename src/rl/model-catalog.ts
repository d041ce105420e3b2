// The bundled-model catalogue, public/models/index.json: what the page's model picker lists and what the
// README's table is built from. Written by `grpo-playground pretrain --catalog` runs and checked by tests
// against the folders themselves (parameter count, bytes).
import { z } from 'zod';

const Baseline = z
  .object({
    /** Held-out eval accuracy of the preset at step 0 (its eval settings, its seed). */
    evalAccuracy: z.number().min(0).max(1),
    /** Mean training reward of the preset at step 0 (sampled), when measured. */
    reward: z.number().optional(),
  })
  .strict();

export const CatalogEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    name: z.string(),
    description: z.string(),
    params: z.int().positive(),
    bytes: z.int().positive(),
    /** Task names this model was trained for. */
    tasks: z.array(z.string()).min(1),
    /** Presets that suit it, best first. */
    presets: z.array(z.string()).min(1),
    /** Measured step-0 scores per preset. */
    baselines: z.record(z.string(), Baseline),
    /** The command that rebuilds it, bit for bit. */
    recipe: z.string(),
  })
  .strict();
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const ModelCatalog = z.object({ version: z.literal(1), models: z.array(CatalogEntry).min(1) }).strict();
export type ModelCatalog = z.infer<typeof ModelCatalog>;

/** Parse index.json text; throws one clear message. */
export function parseModelCatalog(text: string): ModelCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('models/index.json is not valid JSON');
  }
  const result = ModelCatalog.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`models/index.json: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
