// A bounded fuzzer of safetensors headers for the tests: mutates a valid file (header length, offsets, dtypes,
// shapes, JSON bytes) and checks that the reader either refuses it with a SafetensorsError or accepts a file whose
// tensors tile the data section exactly. Deterministic for a seed.
import { parseSafetensors, readSafetensorsHeader, SafetensorsError, serializeSafetensors } from './safetensors.ts';

export interface FuzzOutcome {
  files: number;
  /** Mutants the reader accepted, with whether they satisfy the format's invariants. */
  accepted: { ok: boolean; why: string }[];
}

export function safetensorsHeaderFuzz(count: number, seed: number): FuzzOutcome {
  let s = seed >>> 0;
  const rand = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s % n);
  const base = serializeSafetensors([
    { name: 'a', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
    { name: 'b', shape: [4], data: new Float32Array([7, 8, 9, 10]) },
  ]);
  const headerLen = new DataView(base.buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + headerLen))) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
  const accepted: FuzzOutcome['accepted'] = [];
  for (let k = 0; k < count; k++) {
    let bytes: Uint8Array;
    const kind = k % 4;
    if (kind === 0) {
      bytes = base.slice(); // header length off by a little
      new DataView(bytes.buffer).setUint32(0, headerLen + rand(17) - 8, true);
    } else if (kind === 1) {
      bytes = base.slice(); // random bytes flipped in the header
      for (let j = 0; j < 1 + rand(3); j++) bytes[8 + rand(headerLen)] = rand(256);
    } else {
      const h = structuredClone(header); // structured mutations of one field, rewritten with a correct length
      const t = h[rand(2) ? 'a' : 'b'];
      const dtypes = ['F32', 'F16', 'BF16', 'F64', 'I8', 'constructor', 'toString', '', 'f32'];
      if (kind === 2) t.data_offsets = [t.data_offsets[0] + rand(9) - 4, t.data_offsets[1] + rand(9) - 4];
      else if (rand(2)) t.dtype = dtypes[rand(dtypes.length)];
      else t.shape = t.shape.map((d) => d + rand(3) - 1);
      const json = new TextEncoder().encode(JSON.stringify(h));
      const data = base.subarray(8 + headerLen);
      bytes = new Uint8Array(8 + json.length + data.length + (rand(4) === 0 ? rand(5) : 0));
      new DataView(bytes.buffer).setUint32(0, json.length, true);
      bytes.set(json, 8);
      bytes.set(data, 8 + json.length);
    }
    try {
      const tensors = parseSafetensors(bytes);
      const info = readSafetensorsHeader(bytes);
      const covered = [...info.tensors.values()].reduce((n, t) => n + (t.end - t.begin), 0);
      const dataLen = bytes.length - info.dataStart;
      accepted.push({ ok: covered === dataLen && tensors.size === info.tensors.size, why: `covers ${covered} of ${dataLen}` });
    } catch (e) {
      if (!(e instanceof SafetensorsError)) throw new Error(`mutant ${k} threw ${String(e)} instead of a SafetensorsError`, { cause: e });
    }
  }
  return { files: count, accepted };
}
