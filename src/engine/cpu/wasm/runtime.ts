// The CPU backend's WebAssembly module (kernels-wasm.ts, built from assembly/) as one instance per JavaScript
// thread: the calling thread and every helper thread of pool.ts compile their own, each with its own private
// memory, and the kernels copy their operands in and their results out (the tensors stay ordinary, possibly
// shared, typed arrays, so the threads and every other kernel are unchanged). Copying is O(size) against the
// kernels' O(size x width) arithmetic.
import { KERNELS_WASM_BASE64 } from './kernels-wasm.ts';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemm(M: number, N: number, K: number, a: number, b: number, c: number, ldc: number, bias: number, flags: number, scratch: number): void;
  gemmScratchFloats(N: number, K: number): number;
  attnForwardHead(T: number, D: number, q: number, qs: number, k: number, v: number, ks: number, out: number, lse: number, scale: number, att: number): void;
  attnBackwardHead(
    T: number, D: number, q: number, dout: number, out: number, dq: number, qs: number,
    k: number, v: number, dk: number, dv: number, ks: number, lse: number, scale: number, att: number,
  ): void;
  attnDecodeHead(L: number, D: number, q: number, k: number, v: number, ks: number, out: number, scale: number, att: number): void;
  swigluForwardWasm(out: number, gate: number, up: number, n: number): void;
  swigluBackwardWasm(dgate: number, dup: number, dout: number, gate: number, up: number, n: number): void;
  headStats(z: number, nr: number, nv: number, invT: number, m: number, s: number, u: number, zt: number, tgt: number, v0: number): void;
  headGrad(g: number, R: number, nv: number, invT: number, a: number, l: number, t: number): void;
}

export class WasmRuntime {
  readonly k: KernelExports;
  private view: Float32Array;
  private readonly base: number;

  constructor(module: WebAssembly.Module) {
    this.k = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    this.base = Math.ceil(this.k.heapBase() / 64) * 64;
    this.view = new Float32Array(this.k.memory.buffer);
  }

  /** Room for `floats` floats of scratch (see Scratch). Earlier views are invalid after this. */
  reserve(floats: number): Scratch {
    const need = this.base + 4 * floats;
    const have = this.k.memory.buffer.byteLength;
    if (need > have) this.k.memory.grow(Math.ceil((need - have) / 65536));
    if (this.view.buffer !== this.k.memory.buffer || this.view.length === 0) this.view = new Float32Array(this.k.memory.buffer);
    const at = this.base;
    return { mem: this.view, f: at / 4, addr: (i) => at + 4 * i };
  }
}

/** A kernel's scratch in wasm memory: its float `i` is mem[f + i], at byte address addr(i) (the kernels' pointers). */
export interface Scratch {
  mem: Float32Array;
  /** Index in `mem` of the scratch's float 0. */
  f: number;
  addr(i: number): number;
}

/** Round a float count up to 16 floats (64 bytes), so every scratch region starts on a cache line. */
export const padFloats = (n: number): number => Math.ceil(n / 16) * 16;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let compiled: WebAssembly.Module | null = null;
let runtime: WasmRuntime | null = null;
let failure = '';

/** Why this JavaScript context cannot run the wasm kernels, or '' when it can (compiles them on first call). */
export function wasmUnavailable(): string {
  if (runtime !== null) return '';
  if (failure !== '') return failure;
  if (typeof WebAssembly === 'undefined') return (failure = 'no WebAssembly');
  try {
    compiled ??= new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64) as BufferSource);
    runtime = new WasmRuntime(compiled);
  } catch (e) {
    // an engine without SIMD rejects the module at compile time; a browser's main thread refuses to compile a
    // module this big synchronously (the trainer and the CPU threads run in workers, where it is allowed)
    failure = `WebAssembly SIMD unavailable (${(e as Error).message})`;
  }
  return failure;
}

/** This thread's instance; throws when the kernels cannot run here (callers check wasmUnavailable first). */
export function wasm(): WasmRuntime {
  if (runtime === null && wasmUnavailable() !== '') throw new Error(failure);
  return runtime as WasmRuntime;
}
