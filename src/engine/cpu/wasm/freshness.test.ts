// kernels-wasm.ts (committed, so nothing is built at install or run time) must be what the AssemblyScript source
// builds to now: a kernel edited without `node scripts/build-wasm.mjs` fails here, in CI too.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the committed wasm kernels', () => {
  it('equal a fresh build of src/engine/cpu/wasm/assembly', () => {
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('up to date');
  }, 60_000);
});
