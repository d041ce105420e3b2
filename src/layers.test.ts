// The layer boundaries of DESIGN.md (engine <- rl <- worker <- app, rl <- cli) are enforced by eslint's
// no-restricted-imports; this checks the rule itself still fires, so a config edit cannot silently drop it.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return result.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layer boundaries', () => {
  it.each([
    ['src/engine/x.ts', "import { Trainer } from '../rl/trainer.ts';"],
    ['src/engine/cpu/x.ts', "import { App } from '../../app/App.tsx';"],
    ['src/rl/x.ts', "import type { UiToWorker } from '../worker/protocol.ts';"],
    ['src/rl/x.ts', "import { trainCommand } from '../cli/train.ts';"],
    ['src/worker/x.ts', "import { useStore } from '../app/store.ts';"],
    ['src/app/x.ts', "import { CpuBackend } from '../engine/cpu/backend.ts';"],
    ['src/cli/x.ts', "import type { UiToWorker } from '../worker/protocol.ts';"],
  ])('%s may not: %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).toBe(true);
  });

  it.each([
    ['src/rl/x.ts', "import { Model } from '../engine/model.ts';"],
    ['src/worker/x.ts', "import { Trainer } from '../rl/trainer.ts';"],
    ['src/app/x.ts', "import type { RunConfig } from '../rl/config/schema.ts';"],
    ['src/cli/x.ts', "import { Trainer } from '../rl/trainer.ts';"],
  ])('%s may: %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).toBe(false);
  });
});
