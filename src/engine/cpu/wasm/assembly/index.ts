// Entry of the CPU backend's WebAssembly module: every exported kernel (see each file's header).
export { heapBase, gemm, gemmScratchFloats } from './gemm';
export { attnBackwardHead, attnDecodeHead, attnForwardHead } from './attention';
export { swigluBackwardWasm, swigluForwardWasm } from './swiglu';
export { headGrad, headStats } from './logprob';
