// safetensors reading and writing (https://github.com/huggingface/safetensors, "Format" section):
//   [8 bytes: header length N, u64 little-endian][N bytes: JSON header][tensor data]
// The header maps each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the
// start of the data section) plus an optional "__metadata__" object of strings. Reading converts
// F32/F16/BF16/F64 to Float32Array; writing always emits F32. Every malformation throws one SafetensorsError.
// As in the reference implementation, the tensors must tile the data section exactly (no holes, no overlap, no
// trailing bytes), so a wrong header length cannot load shifted bytes; a decoded tensor holding NaN or Infinity
// is refused, naming it.

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** Bytes per element of every dtype the format defines (so offsets can be checked even for dtypes we don't convert). */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/** The dtypes that decode to float32. */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;

export interface SafetensorsTensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  begin: number; // byte offsets into the data section
  end: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, SafetensorsTensorInfo>;
  metadata: Record<string, string>;
  dataStart: number; // absolute byte offset of the data section in the file
}

export interface SafetensorsTensor {
  dtype: string;
  shape: number[];
  data: Float32Array;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const isIndex = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Parse and validate the header; reads no tensor data. */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8) throw new SafetensorsError(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLen > bytes.length - 8) {
    throw new SafetensorsError(`header length ${headerLen} is beyond the end of the file (${bytes.length} bytes)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsError(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsError('header is not a JSON object');

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, SafetensorsTensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new SafetensorsError('__metadata__ is not an object');
      metadata = entry as Record<string, string>;
      continue;
    }
    if (typeof entry !== 'object' || entry === null) throw new SafetensorsError(`tensor ${name}: header entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
      throw new SafetensorsError(`tensor ${name}: unknown dtype ${JSON.stringify(dtype)}`);
    }
    if (!Array.isArray(shape) || !shape.every(isIndex)) {
      throw new SafetensorsError(`tensor ${name}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
      throw new SafetensorsError(`tensor ${name}: data_offsets ${JSON.stringify(offsets)} are not [begin, end] with begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    const expected = numel(shape) * DTYPE_BYTES[dtype];
    if (end - begin !== expected) {
      throw new SafetensorsError(
        `tensor ${name}: data_offsets [${begin}, ${end}] span ${end - begin} bytes, but ${dtype} shape [${shape.join(', ')}] needs ${expected}`,
      );
    }
    tensors.set(name, { name, dtype, shape, begin, end });
  }

  // The tensors must tile the data section: each starts where the one before ends, and the last ends at the
  // file's end. A packed file running past the end was cut short; anything else has bad offsets or a wrong
  // header length (which shifts every tensor by the difference).
  const sorted = [...tensors.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let packedEnd = 0;
  let contiguous = true;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i];
    if (i > 0 && t.begin < sorted[i - 1].end) {
      throw new SafetensorsError(`tensors ${sorted[i - 1].name} and ${t.name} overlap in the data section`);
    }
    if (t.begin !== packedEnd) contiguous = false;
    packedEnd = t.end;
  }
  if (packedEnd > dataLen) {
    if (contiguous) {
      throw new SafetensorsError(`file is truncated: the header describes ${packedEnd} bytes of tensor data but only ${dataLen} follow`);
    }
    const bad = sorted.find((t) => t.end > dataLen) as SafetensorsTensorInfo;
    throw new SafetensorsError(
      `tensor ${bad.name}: data_offsets [${bad.begin}, ${bad.end}] lie outside the data section (${dataLen} bytes)`,
    );
  }
  if (!contiguous) {
    let at = 0;
    const hole = sorted.find((t) => (t.begin !== at ? true : ((at = t.end), false))) as SafetensorsTensorInfo;
    throw new SafetensorsError(`tensor ${hole.name}: data_offsets [${hole.begin}, ${hole.end}] leave a gap at byte ${at} of the data section`);
  }
  if (packedEnd !== dataLen) {
    throw new SafetensorsError(
      `data section is ${dataLen} bytes but its tensors cover ${packedEnd}: the header length (${headerLen}) is wrong or bytes were appended`,
    );
  }
  return { tensors, metadata, dataStart };
}

let halfTable: Float32Array | null = null;

/** IEEE 754 binary16 bits to a number (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}

function halfLookup(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfToFloat(h);
  }
  return halfTable;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type ElementArray = Float32Array | Float64Array | Uint16Array;
type ElementArrayCtor = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ElementArray; BYTES_PER_ELEMENT: number };

/** A typed view of a byte range: in place when it is aligned for the element type, else over an aligned copy. */
function viewOf<C extends ElementArrayCtor>(Ctor: C, bytes: Uint8Array, start: number, end: number): InstanceType<C> {
  const size = Ctor.BYTES_PER_ELEMENT;
  const at = bytes.byteOffset + start;
  const arr = at % size === 0 ? new Ctor(bytes.buffer, at, (end - start) / size) : new Ctor(bytes.slice(start, end).buffer);
  return arr as InstanceType<C>;
}

export interface DecodeOptions {
  /** Decode NaN and infinities as they are (the format allows them) instead of refusing the tensor. */
  allowNonFinite?: boolean;
}

/**
 * Decode one tensor into `out` (length = number of elements), converting to float32. Unless allowed, throws
 * naming the tensor when a value is NaN or infinite (corrupt weights would otherwise train to NaN without a word).
 */
export function decodeTensorInto(
  bytes: Uint8Array,
  header: SafetensorsHeader,
  info: SafetensorsTensorInfo,
  out: Float32Array,
  opts: DecodeOptions = {},
): void {
  decodeRaw(bytes, header, info, out);
  if (opts.allowNonFinite) return;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (v - v !== 0) {
      if (bad++ === 0) first = i;
    }
  }
  if (bad > 0) {
    throw new SafetensorsError(`tensor ${info.name}: ${bad} of ${out.length} values are NaN or infinite (first at element ${first}, ${out[first]}): the weights are corrupt`);
  }
}

function decodeRaw(bytes: Uint8Array, header: SafetensorsHeader, info: SafetensorsTensorInfo, out: Float32Array): void {
  const n = numel(info.shape);
  if (out.length !== n) throw new SafetensorsError(`tensor ${info.name}: output has ${out.length} elements, expected ${n}`);
  const start = header.dataStart + info.begin;
  const end = header.dataStart + info.end;
  if (n === 0) return;
  if (!littleEndian) {
    decodeWithDataView(new DataView(bytes.buffer, bytes.byteOffset + start, end - start), info, out);
    return;
  }
  switch (info.dtype) {
    case 'F32':
      out.set(viewOf(Float32Array, bytes, start, end));
      return;
    case 'F64':
      out.set(viewOf(Float64Array, bytes, start, end));
      return;
    case 'F16': {
      const src = viewOf(Uint16Array, bytes, start, end);
      const table = halfLookup();
      for (let i = 0; i < n; i++) out[i] = table[src[i]];
      return;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const src = viewOf(Uint16Array, bytes, start, end);
      const dst = new Uint32Array(out.buffer, out.byteOffset, n);
      for (let i = 0; i < n; i++) dst[i] = src[i] << 16;
      return;
    }
    default:
      throw unsupported(info);
  }
}

function decodeWithDataView(view: DataView, info: SafetensorsTensorInfo, out: Float32Array): void {
  const bits = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < out.length; i++) {
    switch (info.dtype) {
      case 'F32':
        out[i] = view.getFloat32(4 * i, true);
        break;
      case 'F64':
        out[i] = view.getFloat64(8 * i, true);
        break;
      case 'F16':
        out[i] = halfToFloat(view.getUint16(2 * i, true));
        break;
      case 'BF16':
        bits.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = bits.getFloat32(0);
        break;
      default:
        throw unsupported(info);
    }
  }
}

const unsupported = (info: SafetensorsTensorInfo) =>
  new SafetensorsError(`tensor ${info.name}: dtype ${info.dtype} cannot be converted to float32 (supported: ${FLOAT_DTYPES.join(', ')})`);

/** Parse a whole file, converting every tensor to float32. */
export function parseSafetensors(bytes: Uint8Array, opts: DecodeOptions = {}): Map<string, SafetensorsTensor> {
  const header = readSafetensorsHeader(bytes);
  const out = new Map<string, SafetensorsTensor>();
  for (const info of header.tensors.values()) {
    const data = new Float32Array(numel(info.shape));
    decodeTensorInto(bytes, header, info, data, opts);
    out.set(info.name, { dtype: info.dtype, shape: info.shape, data });
  }
  return out;
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Write tensors as an F32 safetensors file, in the given order; the header is space-padded to 8-byte alignment. */
export function serializeSafetensors(tensors: TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new SafetensorsError(`duplicate or reserved tensor name ${t.name}`);
    if (t.shape.some((s) => !isIndex(s))) throw new SafetensorsError(`tensor ${t.name}: bad shape [${t.shape.join(', ')}]`);
    const n = numel(t.shape);
    if (t.data.length !== n) {
      throw new SafetensorsError(`tensor ${t.name}: data has ${t.data.length} elements but shape [${t.shape.join(', ')}] needs ${n}`);
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLen % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLen / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let pos = 8 + headerLen; // a multiple of 8, so every F32 tensor below is 4-byte aligned
  for (const t of tensors) {
    if (littleEndian) new Float32Array(out.buffer, pos, t.data.length).set(t.data);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + 4 * i, t.data[i], true);
    pos += 4 * t.data.length;
  }
  return out;
}
