// Proof that src/engine/reference.test.ts catches convention slips: for each sabotage below, a copy of one engine
// module with one convention broken is written to a temp folder, Vite is pointed at the copy (a resolveId plugin),
// the reference test runs (its CPU part, or its WebGPU part for gpu: entries), and the worst errors are printed.
// The working tree is never edited. Run by hand: `node scripts/reference/sabotage.mjs [name]` (about 10 s each).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMP = mkdtempSync(resolve(tmpdir(), 'sabotage-'));
const E = ROOT + '/src/engine/';
const S = [
  ['rope-interleaved', 'cpu/rope.ts', [[`const x1 = x[base + i];
        const x2 = x[base + half + i];
        x[base + i] = x1 * cos[i] - x2 * sin[i];
        x[base + half + i] = x2 * cos[i] + x1 * sin[i];`, `const x1 = x[base + 2 * i];
        const x2 = x[base + 2 * i + 1];
        x[base + 2 * i] = x1 * cos[i] - x2 * sin[i];
        x[base + 2 * i + 1] = x2 * cos[i] + x1 * sin[i];`]]],
  ['rope-inv-freq-i/D', 'cpu/rope.ts', [['Math.pow(theta, (2 * i) / D)', 'Math.pow(theta, i / D)']]],
  ['gqa-h%KVH', 'cpu/attention.ts', [['Math.floor(h / group) * D;', '(h % KVH) * D;']]],
  ['qk-norm-after-rope', 'block.ts', [[`    be.rmsnormForward(a.q, a.qRstd, a.qPre, W(n.qNorm), N * d.NH, d.D, d.eps);
    be.rmsnormForward(a.k, a.kRstd, a.kPre, W(n.kNorm), N * d.KVH, d.D, d.eps);
  }
  be.ropeForward(a.q, pos, N, d.NH, d.D, d.ropeTheta);
  be.ropeForward(a.k, pos, N, d.KVH, d.D, d.ropeTheta);`, `    be.ropeForward(a.qPre, pos, N, d.NH, d.D, d.ropeTheta);
    be.ropeForward(a.kPre, pos, N, d.KVH, d.D, d.ropeTheta);
    be.rmsnormForward(a.q, a.qRstd, a.qPre, W(n.qNorm), N * d.NH, d.D, d.eps);
    be.rmsnormForward(a.k, a.kRstd, a.kPre, W(n.kNorm), N * d.KVH, d.D, d.eps);
  } else {
  be.ropeForward(a.q, pos, N, d.NH, d.D, d.ropeTheta);
  be.ropeForward(a.k, pos, N, d.KVH, d.D, d.ropeTheta);
  }`]]],
  ['tied-head-grad-overwritten', 'cpu/embedding.ts', [['dwte[dst + c] += dout[src + c]', 'dwte[dst + c] = dout[src + c]']]],
  ['tie-ignored', 'params.ts', [["const lmHead = d.tied ? embed : 'lm_head.weight';", "const lmHead = 'lm_head.weight';"], ['if (!d.tied) shapes.push', 'shapes.push']]],
  ['bf16-shift-15', 'io/safetensors.ts', [['dst[i] = src[i] << 16;', 'dst[i] = src[i] << 15;'], ['view.getUint16(2 * i, true) << 16', 'view.getUint16(2 * i, true) << 15']]],
  ['bf16-drop-lsb', 'io/safetensors.ts', [['dst[i] = src[i] << 16;', 'dst[i] = (src[i] & 0xfffe) << 16;'], ['view.getUint16(2 * i, true) << 16', '(view.getUint16(2 * i, true) & 0xfffe) << 16']]],
  ['rmsnorm-(1+w)', 'cpu/rmsnorm.ts', [['out[o + c] = inp[o + c] * r * weight[c];', 'out[o + c] = inp[o + c] * r * (1 + weight[c]);']]],
  ['swiglu-silu(up)*gate', 'cpu/swiglu.ts', [['out[i] = (g / (1 + Math.exp(-g))) * up[i];', 'out[i] = (up[i] / (1 + Math.exp(-up[i]))) * g;']]],
  ['gpu:rope-interleaved', 'webgpu/kernels/rope.wgsl', [[`let base = row * (2u * p.half) + i;
  let x1 = x[base];
  let x2 = x[base + p.half];
  x[base] = x1 * cs - x2 * sn;
  x[base + p.half] = x2 * cs + x1 * sn;`, `let base = row * (2u * p.half) + 2u * i;
  let x1 = x[base];
  let x2 = x[base + 1u];
  x[base] = x1 * cs - x2 * sn;
  x[base + 1u] = x2 * cs + x1 * sn;`]]],
  ['gpu:gqa-h%KVH', 'webgpu/kernels/attention_forward.wgsl', [['let kvh = h / (p.NH / p.KVH);', 'let kvh = h % p.KVH;']]],
  ['qwen2-no-qkv-bias', 'config.ts', [['qkvBias: cfg.qkv_bias ?? (qwen2 || cfg.attention_bias === true),', 'qkvBias: false,']]],
];
const only = process.argv[2];
for (const [name, rel, edits] of S) {
  if (only && name !== only) continue;
  const target = E + rel;
  let src = readFileSync(target, 'utf8');
  for (const [a, b] of edits) {
    const count = src.split(a).length - 1;
    if (count !== 1) {
      // The engine changed under this list: say so rather than report a sabotage that did not happen.
      console.log(`${name}: pattern found ${count} times in ${rel}; skipped (update this list)`);
      src = null;
      break;
    }
    src = src.replace(a, b);
  }
  if (!src) continue;
  const dir = `${TMP}/${name.replace(/[^a-z0-9-]/gi, '_')}`;
  mkdirSync(dir, { recursive: true });
  // Relative imports of the copy must still reach the real modules.
  src = src.replace(/from '(\.\.?\/[^']+)'/g, (_, p) => `from '${resolve(dirname(target), p)}'`);
  const copy = `${dir}/${basename(rel)}`;
  writeFileSync(copy, src);
  writeFileSync(`${dir}/vitest.config.ts`, `
import { mergeConfig } from '${ROOT}/node_modules/vitest/dist/config.js';
import base from '${ROOT}/vite.config.ts';
export default mergeConfig(base, { root: '${ROOT}', server: { fs: { allow: ['/'] } }, plugins: [{ name: 'sabotage', enforce: 'pre',
  async resolveId(source, importer, opts) {
    if (importer === '${copy}') return null;
    const r = await this.resolve(source, importer, { ...opts, skipSelf: true });
    if (!r) return null;
    const [id, query] = r.id.split('?');
    return id === '${target}' ? '${copy}' + (query ? '?' + query : '') : null;
  } }] });
`);
  const res = spawnSync('npx', ['vitest', 'run', '--config', `${dir}/vitest.config.ts`, 'src/engine/reference.test.ts', '-t', name.startsWith('gpu:') ? 'WebGPU backend' : 'CPU backend'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  const out = res.stdout + res.stderr;
  writeFileSync(`${dir}/output.txt`, out);
  const summary = out.split('\n').filter((l) => /Tests\s+\d/.test(l)).join(' ');
  console.log(`\n=== ${name} (${rel}): ${res.status === 0 ? 'NOT CAUGHT, the test passed' : 'caught'}; ${summary.trim()}`);
  // Per failing test: how many quantities failed and the worst one (relative to the tensor's max |ref|).
  let label = null;
  const per = new Map();
  for (const l of out.split('\n')) {
    const m = l.match(/(tiny-\S+ (?:on \w+|decode logits)): (\d+) of (\d+) quantities/);
    if (m && !per.has(m[1])) { label = m[1]; per.set(label, { failed: +m[2], of: +m[3], worst: '', worstRel: -1, logp: '' }); continue; }
    const q = l.match(/^\s+(ok {2}|FAIL) (.*): max \|diff\| (\S+), rel (\S+)/);
    if (m) { label = null; continue; }
    if (q && label) {
      const e = per.get(label);
      if (q[2].startsWith('log p') || q[2].startsWith('logits')) e.logp = `${q[2]} max|diff| ${q[3]}`;
      if (+q[4] > e.worstRel) { e.worstRel = +q[4]; e.worst = `${q[2]} rel ${q[4]}`; }
    }
  }
  for (const [k, e] of per) console.log(`   ${k}: ${e.failed}/${e.of} over bound; ${e.logp}; worst ${e.worst}`);
  const errs = [...new Set(out.split('\n').filter((l) => /ModelFolderError|parameter names/.test(l)).map((l) => l.trim()))];
  for (const l of errs.slice(0, 8)) console.log('   ' + l.slice(0, 260));
}
