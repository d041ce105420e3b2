// The CLI as a real process, for tests: `node bin/grpo-playground.mjs ARGS` from the package root, with the
// exit code and both streams (a failing command resolves too, with its code).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../models.ts';

export const CLI_BIN = join(PACKAGE_ROOT, 'bin', 'grpo-playground.mjs');

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI_BIN, ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
