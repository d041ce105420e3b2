// CPU kernels accept either precision: the backend runs them on Float32Array, gradient checks run the very
// same code on Float64Array so finite differences are precise.
export type FloatArray = Float32Array | Float64Array;
export type IntArray = Int32Array;
