// `grpo-playground export --to trl|verifiers --config run.json --out DIR`: write the run as a Python project
// (src/rl/export/project.ts). A bundled model is copied to DIR/model; a Hub model is named by its id. The output
// folder must be new or empty, so nothing of the user's is overwritten.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildExport, EXPORT_TARGETS, exportModel, type ExportTarget } from '../rl/export/project.ts';
import { CliError, loadRunConfig, type ConfigFlags } from './load-config.ts';
import { BUNDLED_MODELS_DIR } from './models.ts';

export interface ExportFlags extends ConfigFlags {
  to: string;
  out: string;
}

export async function exportCommand(flags: ExportFlags): Promise<string[]> {
  if (!(EXPORT_TARGETS as readonly string[]).includes(flags.to)) throw new CliError(`--to must be one of ${EXPORT_TARGETS.join(', ')}, got "${flags.to}"`);
  const config = await loadRunConfig(flags);
  const out = resolve(flags.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new CliError(`--out ${flags.out} is not empty: give a new or empty folder`);
  const model = exportModel(config);
  const files = buildExport(config, flags.to as ExportTarget, model);
  try {
    for (const f of files) {
      const path = join(out, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
    }
    if (model.bundled) {
      const src = join(BUNDLED_MODELS_DIR, config.model.id);
      if (!existsSync(join(src, 'config.json'))) throw new CliError(`bundled model "${config.model.id}" not found in ${BUNDLED_MODELS_DIR}`);
      cpSync(src, join(out, 'model'), { recursive: true });
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot write --out ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  process.stderr.write(`wrote a ${flags.to} project (${files.length} files${model.bundled ? ' and model/' : ''}) to ${flags.out}: see ${join(flags.out, 'README.md')}\n`);
  return files.map((f) => f.path);
}
