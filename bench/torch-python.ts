// PyTorch for the bench: find Debian's python3-torch (with libopenblas0-pthread, without which torch falls back to
// the reference BLAS and runs ~10x slower), install both with apt-get when missing and running as root, and drive
// bench/torch-step.py as a child process: one process per thread count, one command per timed call.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3';
const PACKAGES = ['python3-torch', 'python3-numpy', 'libopenblas0-pthread'];
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-step.py');

export type TorchStatus = { ok: true; version: string; note: string } | { ok: false; reason: string };

function probe(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** PyTorch ready to run, installing it first where this process may (root with apt-get). */
export function ensureTorch(): TorchStatus {
  let version = existsSync(PYTHON) ? probe() : null;
  if (version && existsSync(OPENBLAS)) return { ok: true, version, note: 'OpenBLAS (pthread)' };
  const missing = version ? 'libopenblas0-pthread' : 'python3-torch';
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    const how = `apt-get install -y ${PACKAGES.join(' ')}`;
    if (version) return { ok: true, version, note: `WITHOUT OpenBLAS (reference BLAS, ~10x slower): run '${how}' as root` };
    return { ok: false, reason: `${missing} is missing and this is not root with apt-get; run '${how}' as root` };
  }
  console.log(`\n!!! installing ${PACKAGES.join(' ')} with apt-get for the PyTorch section (benchmark only) ...`);
  const r = spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${PACKAGES.join(' ')}`], { stdio: 'inherit' });
  version = probe();
  if (r.status !== 0 || !version) return { ok: false, reason: `apt-get install ${PACKAGES.join(' ')} failed (exit ${r.status})` };
  return existsSync(OPENBLAS) ? { ok: true, version, note: 'OpenBLAS (pthread), installed just now' } : { ok: true, version, note: 'WITHOUT OpenBLAS (install failed)' };
}

export interface TorchReady {
  torch: string;
  threads: number;
  blas: string;
}

/** One torch-step.py process on `threads` threads (OpenMP and OpenBLAS alike), over the inputs in `dir`. */
export class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';
  private exited: string | null = null;

  private constructor(dir: string, threads: number) {
    const n = String(threads);
    const env = { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n };
    this.child = spawn(PYTHON, [SCRIPT, dir, n], { env });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.stderr.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-4000)));
    this.child.on('exit', (code) => {
      this.exited = `torch-step.py exited (${code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      for (const w of this.waiting.splice(0)) w('');
    });
  }

  /** Starts the process and waits until it has written its check file (check-THREADS.bin in dir). */
  static async start(dir: string, threads: number): Promise<{ proc: TorchProcess; ready: TorchReady }> {
    const proc = new TorchProcess(dir, threads);
    const msg = await proc.next();
    return { proc, ready: (msg as { ready: TorchReady }).ready };
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(this.exited));
      this.waiting.push((line) => {
        if (!line) return reject(new Error(this.exited ?? 'torch-step.py closed its output'));
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.error) reject(new Error(`torch-step.py: ${String(msg.error)}`));
        else resolve(msg);
      });
    });
  }

  /** Run one 'train' | 'forward' | 'decode' call; resolves to its wall time in ms as measured in Python. */
  async run(cmd: 'train' | 'forward' | 'decode'): Promise<number> {
    const reply = this.next();
    this.child.stdin.write(cmd + '\n');
    return (await reply).ms as number;
  }

  close(): void {
    if (!this.exited) this.child.stdin.end('quit\n');
  }
}
