// A SmolLM2-135M-shaped model end to end through the Hub path on the CPU, as `--model hf:` runs it: serve the
// random-init BF16 folder from the Hub look-alike on 127.0.0.1, download it into a fresh Hugging Face cache
// (verified), load it from the cache, then one GRPO step (4 prompts x G 4 x 32 new tokens) with step_time and
// peak RSS. Run: npx tsx --import ./scripts/register-raw-loader.mjs bench/hub-135m.ts [--steps 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { hfCacheStore } from '../src/engine/io/hf-cache-node.ts';
import { HubClient } from '../src/engine/io/hub-client.ts';
import { downloadHubModel } from '../src/engine/io/hub-model.ts';
import { hubSource } from '../src/engine/io/hub-source.ts';
import { smollm2ShapedFolder } from '../src/engine/io/hub-test-models.ts';
import { startHubServer } from '../src/engine/io/hub-test-server.ts';
import { loadModelFolder } from '../src/engine/io/model-folder.ts';
import { mergeWithDefaults } from '../src/rl/config/schema.ts';
import { Trainer } from '../src/rl/trainer.ts';

const stepsAt = process.argv.indexOf('--steps');
const steps = stepsAt > 0 ? Number(process.argv[stepsAt + 1]) : 1;
const repo = 'HuggingFaceTB/SmolLM2-135M-Instruct';
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;

let t = performance.now();
const files = smollm2ShapedFolder();
console.log(`fixture ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const hub = await startHubServer([{ repo, files }]);
const cache = mkdtempSync(join(tmpdir(), 'hub-bench-'));
const opts = { client: new HubClient({ endpoint: hub.endpoint }), store: hfCacheStore(cache) };
const ref = { repo, revision: 'main' };
t = performance.now();
await downloadHubModel(ref, opts);
const dl = (performance.now() - t) / 1000;
t = performance.now();
const model = await loadModelFolder(hubSource(ref, opts));
const load = (performance.now() - t) / 1000;
console.log(`download + verify (sha256) into the HF cache: ${dl.toFixed(1)} s; load from the cache (verify + BF16 -> F32): ${load.toFixed(1)} s; ${model.layout.count.toLocaleString('en-US')} params`);

const config = mergeWithDefaults({
  model: { id: `hf:${repo}` },
  task: { name: 'arithmetic', params: { maxOperand: 50 }, evalSize: 1 },
  grpo: { promptsPerStep: 4, groupSize: 4, learningRate: 5e-6 },
  sampling: { maxNewTokens: 32 },
  eval: { maxNewTokens: 32 },
  steps,
});
const backend = await CpuBackend.create();
const trainer = await Trainer.create(config, model, backend as never);
for (let s = 1; s <= steps; s++) {
  t = performance.now();
  const r = await trainer.step();
  const m = r.metrics;
  console.log(`step ${s} on ${backend.deviceName}: ${((performance.now() - t) / 1000).toFixed(1)} s wall, step_time ${m.step_time?.toFixed?.(1)} s, ${m.num_tokens} tokens, mean completion ${m['completions/mean_length']?.toFixed?.(1)} tokens`);
}
clearInterval(sample);
console.log(`peak RSS ${gb(peak)} (Node process: fixture + download buffers + params + plan)`);
await hub.close();
rmSync(cache, { recursive: true, force: true });
process.exit(0);
