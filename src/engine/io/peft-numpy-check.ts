// Test support: NumPy (through /usr/bin/python3) as an independent reader of exported PEFT adapters. It parses the
// safetensors files itself (8-byte header length, JSON header, raw data), recomputes W + (alpha/r) B A for every
// adapted projection from the adapter folder and the base folder, and reports the largest difference from the merged
// folder. Used by the PEFT export test and the CLI's --out / --merged-out test.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PY_CHECK = `
import json, struct, sys
import numpy as np
def read(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == '__metadata__':
            continue
        b, e = t['data_offsets']
        assert t['dtype'] == 'F32'
        out[name] = np.frombuffer(raw[8 + n + b:8 + n + e], dtype='<f4').reshape(t['shape']).astype(np.float64)
    return out
adapter_dir, base_dir, merged_dir = sys.argv[1:4]
cfg = json.load(open(adapter_dir + '/adapter_config.json'))
ad = read(adapter_dir + '/adapter_model.safetensors')
base = read(base_dir + '/model.safetensors')
merged = read(merged_dir + '/model.safetensors')
scale = cfg['lora_alpha'] / cfg['r']
worst, pairs, update = 0.0, 0, 0.0
for name, A in ad.items():
    if not name.endswith('.lora_A.weight'):
        continue
    B = ad[name.replace('lora_A', 'lora_B')]
    target = name[len('base_model.model.'):].replace('.lora_A.weight', '.weight')
    want = base[target] + scale * (B @ A)
    worst = max(worst, float(np.abs(merged[target] - want).max()))
    update = max(update, float(np.abs(scale * (B @ A)).max()))
    pairs += 1
print(json.dumps({'pairs': pairs, 'worst': worst, 'update': update, 'r': cfg['r'], 'targets': cfg['target_modules'], 'peft_type': cfg['peft_type']}))
`;

/** Whether /usr/bin/python3 has NumPy (CI installs it: there a missing NumPy must fail, not skip). */
export function hasNumpy(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}


export interface NumpyMergeResult {
  /** Adapted projections found (lora_A / lora_B pairs). */
  pairs: number;
  /** max |merged - (base + scale B A)| over them */
  worst: number;
  /** max |B A| over them: zero means the adapter never trained */
  update: number;
  r: number;
  targets: string[];
  peft_type: string;
}

export function numpyMergeCheck(adapterDir: string, baseDir: string, mergedDir: string): NumpyMergeResult {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_CHECK, adapterDir, baseDir, mergedDir], { encoding: 'utf8' })) as NumpyMergeResult;
}
