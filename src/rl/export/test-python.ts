// Test helpers for the export: run Debian's /usr/bin/python3 (a failure, not a skip, under CI when it is
// missing) and write an export's files to a fresh folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const HAVE_PYTHON = existsSync(PYTHON);
if (!HAVE_PYTHON) {
  if (process.env.CI) throw new Error(`${PYTHON} is missing: the export tests need it (apt-get install -y python3)`);
  console.warn(`SKIPPING the Python export tests: ${PYTHON} not found`);
}

export function runPython(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(PYTHON, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (e, stdout, stderr) =>
      e ? reject(new Error(`${PYTHON} ${args.join(' ')}: ${stderr || e.message}`)) : resolve(stdout),
    ),
  );
}

/** Write the export's files under a fresh folder; returns its path. */
export async function writeExport(files: { path: string; text: string }[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'export-'));
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.text);
  }
  return dir;
}
