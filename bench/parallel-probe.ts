// How much parallel headroom the machine has right now: the same pure-JavaScript loop on 1 thread, then on N
// threads at once (N times the work; the helper threads are started beforehand and released together). On idle
// cores the N-thread run takes as long as the single one (ratio N); on a machine saturated by other processes it
// takes N times as long or more (ratio 1 or less). The threads rows of the bench print this beside their own
// speedups, so a shared machine's figures can be read for what they are.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { median } from './stats.ts';

const LOOP = 'let x = 0; for (let i = 0; i < 2e8; i++) x += Math.sqrt(i); return x;';
const HELPER = `
  const { parentPort } = require('node:worker_threads');
  const spin = new Function(${JSON.stringify(LOOP)});
  parentPort.on('message', () => { spin(); parentPort.postMessage('done'); });
  parentPort.postMessage('ready');`;

const spin = new Function(LOOP) as () => number;

/** Median over `rounds` of (N x single-thread time) / (time of N threads running the loop at once). */
export async function parallelHeadroom(threads: number, rounds = 3): Promise<number> {
  const helpers = Array.from({ length: threads - 1 }, () => new Worker(HELPER, { eval: true }));
  const next = (w: Worker) => new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  try {
    await Promise.all(helpers.map(next));
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      spin();
      const one = performance.now() - t0;
      t0 = performance.now();
      const done = helpers.map(next);
      for (const w of helpers) w.postMessage('go');
      spin();
      await Promise.all(done);
      ratios.push((threads * one) / (performance.now() - t0));
    }
    return median(ratios);
  } finally {
    for (const w of helpers) void w.terminate();
  }
}
