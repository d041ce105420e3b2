// The GPU execution context every kernel wrapper uses: one device, a buffer pool, cached pipelines and bind
// groups, a uniform arena with dynamic offsets, and one command encoder that collects a whole phase of work
// (many dispatches in one compute pass) until something must be read back. Nothing here allocates GPU
// objects per dispatch after warm-up.
import { formatBytes } from '../memory.ts';
import { BufferPool } from './pool.ts';
import { GpuTensor } from './tensor.ts';

/** How a kernel binds its storage buffers (binding i+1 for entry i; binding 0 is the uniform block). */
export type Access = 'read' | 'rw';

export interface KernelSpec {
  name: string;
  code: string; // WGSL; must declare `@group(0) @binding(0) var<uniform> p: Params;` and storage bindings 1..n
  bindings: Access[];
}

export type UniformField = ['u32' | 'i32' | 'f32', number];

const UNIFORM_SLOT = 256; // minUniformBufferOffsetAlignment
const UNIFORM_ARENA_SLOTS = 1024;

export class GpuContext {
  readonly pool: BufferPool;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly pipelines = new Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private readonly uniformArena: GPUBuffer;
  private uniformCursor = 0;
  private readonly pendingRelease: GPUBuffer[] = [];
  /** Number of command buffers submitted (a phase should need few). */
  submits = 0;
  pipelinesCreated = 0;
  bindGroupsCreated = 0;
  lostReason: string | null = null;

  constructor(
    readonly device: GPUDevice,
    readonly adapterName: string,
  ) {
    this.pool = new BufferPool(device, device.limits.maxStorageBufferBindingSize);
    this.uniformArena = device.createBuffer({
      size: UNIFORM_SLOT * UNIFORM_ARENA_SLOTS,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      label: 'uniform arena',
    });
    void device.lost.then((info) => {
      this.lostReason = info.message || info.reason || 'unknown reason';
    });
    // Out-of-memory and validation errors arrive asynchronously; remember the first and fail the next call
    // with it, so a run stops with a clear message instead of computing garbage.
    device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
      const kind = event.error.constructor?.name === 'GPUOutOfMemoryError' ? 'out of GPU memory' : 'GPU error';
      this.gpuError ??= `${kind}: ${event.error.message}`;
    };
  }

  /** The first asynchronous GPU error (out of memory, validation), if any. */
  gpuError: string | null = null;

  get offsetAlignElements(): number {
    return this.device.limits.minStorageBufferOffsetAlignment / 4;
  }

  checkAlive(): void {
    if (this.lostReason !== null) throw new Error(`the GPU device was lost (${this.lostReason})`);
    if (this.gpuError !== null) throw new Error(this.gpuError);
  }

  // ---- allocation ----

  alloc(length: number, dtype: 'f32' | 'i32'): GpuTensor {
    this.checkAlive();
    const bytes = Math.max(length * 4, 16);
    const max = this.device.limits.maxStorageBufferBindingSize;
    if (bytes > max) {
      throw new Error(`a tensor of ${formatBytes(bytes)} does not fit: this GPU binds at most ${formatBytes(max)} per buffer`);
    }
    const buf = this.pool.acquire(bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, dtype);
    const t = new GpuTensor(buf, 0, length, dtype, true);
    this.clear(t); // pooled buffers come back dirty; the contract is zero-filled
    return t;
  }

  free(t: GpuTensor): void {
    if (t.owner) this.pool.release(t.buffer);
  }

  view(t: GpuTensor, offset: number, length: number): GpuTensor {
    if (!(offset >= 0 && length >= 0 && offset + length <= t.length)) {
      throw new RangeError(`view [${offset}, ${offset + length}) is outside a tensor of length ${t.length}`);
    }
    const abs = t.offset + offset;
    if (abs % this.offsetAlignElements !== 0) {
      throw new RangeError(`GPU views must start at a multiple of ${this.offsetAlignElements} elements (got ${abs})`);
    }
    return new GpuTensor(t.buffer, abs, length, t.dtype, false);
  }

  // ---- encoding ----

  private getEncoder(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    return this.encoder;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private getPass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.getEncoder().beginComputePass();
    return this.pass;
  }

  /** Submit everything recorded so far. */
  flush(): void {
    this.checkAlive();
    this.endPass();
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.submits += 1;
    }
    this.uniformCursor = 0;
    for (const b of this.pendingRelease.splice(0)) this.pool.release(b);
  }

  clear(t: GpuTensor): void {
    if (t.length === 0) return;
    this.endPass();
    this.getEncoder().clearBuffer(t.buffer, t.byteOffset, t.byteLength);
  }

  copy(dst: GpuTensor, src: GpuTensor): void {
    if (dst.length !== src.length) throw new RangeError(`copy: lengths differ (${dst.length} vs ${src.length})`);
    if (src.length === 0) return;
    this.endPass();
    this.getEncoder().copyBufferToBuffer(src.buffer, src.byteOffset, dst.buffer, dst.byteOffset, src.byteLength);
  }

  /** Upload host data into a tensor, ordered with the recorded commands (staged through a pooled buffer). */
  upload(dst: GpuTensor, data: Float32Array | Int32Array): void {
    if (data.length > dst.length) throw new RangeError(`upload: ${data.length} elements into a tensor of ${dst.length}`);
    if (data.length === 0) return;
    this.checkAlive();
    const staging = this.pool.acquire(data.byteLength, GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, 'upload');
    // writeBuffer takes no SharedArrayBuffer (the CPU backend's tensors live in one when it runs threads).
    const source = typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer ? data.slice() : data;
    this.device.queue.writeBuffer(staging, 0, source.buffer, source.byteOffset, source.byteLength);
    this.endPass();
    this.getEncoder().copyBufferToBuffer(staging, 0, dst.buffer, dst.byteOffset, data.byteLength);
    this.pendingRelease.push(staging);
  }

  /** Read a tensor back (submits pending work). */
  async read(src: GpuTensor): Promise<ArrayBuffer> {
    const bytes = src.byteLength;
    const staging = this.pool.acquire(Math.max(bytes, 4), GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'readback');
    if (bytes > 0) {
      this.endPass();
      this.getEncoder().copyBufferToBuffer(src.buffer, src.byteOffset, staging, 0, bytes);
    }
    this.flush();
    await staging.mapAsync(GPUMapMode.READ, 0, bytes > 0 ? bytes : undefined);
    this.checkAlive();
    const out = staging.getMappedRange(0, bytes > 0 ? bytes : undefined).slice(0);
    staging.unmap();
    this.pool.release(staging);
    return bytes > 0 ? out : new ArrayBuffer(0);
  }

  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.checkAlive();
  }

  // ---- kernels ----

  private pipelineFor(spec: KernelSpec, constants: Record<string, number>) {
    const key = `${spec.name}|${JSON.stringify(constants)}`;
    let p = this.pipelines.get(key);
    if (!p) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
        ...spec.bindings.map((a, i) => ({
          binding: i + 1,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: a === 'read' ? ('read-only-storage' as const) : ('storage' as const) },
        })),
      ];
      const layout = this.device.createBindGroupLayout({ entries, label: spec.name });
      const module = this.device.createShaderModule({ code: spec.code, label: spec.name });
      const pipeline = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main', constants },
        label: spec.name,
      });
      p = { pipeline, layout };
      this.pipelines.set(key, p);
      this.pipelinesCreated += 1;
    }
    return p;
  }

  private bufferId(b: GPUBuffer): number {
    let id = this.bufferIds.get(b);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(b, id);
    }
    return id;
  }

  /**
   * Record one dispatch. `uniforms` fill the kernel's Params struct in declaration order (each field 4 bytes;
   * lay out the WGSL struct with only scalar u32/i32/f32 fields). `groups` is the workgroup count [x, y, z].
   */
  dispatch(
    spec: KernelSpec,
    tensors: GpuTensor[],
    uniforms: UniformField[],
    groups: [number, number?, number?],
    constants: Record<string, number> = {},
  ): void {
    this.checkAlive();
    if (tensors.length !== spec.bindings.length) {
      throw new Error(`${spec.name}: expected ${spec.bindings.length} tensors, got ${tensors.length}`);
    }
    const [gx, gy = 1, gz = 1] = groups;
    if (gx === 0 || gy === 0 || gz === 0) return;
    const maxGroups = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (gx > maxGroups || gy > maxGroups || gz > maxGroups) {
      throw new Error(`${spec.name}: ${gx}x${gy}x${gz} workgroups exceed the device limit of ${maxGroups} per dimension`);
    }
    if (this.uniformCursor >= UNIFORM_SLOT * UNIFORM_ARENA_SLOTS) this.flush();
    const slot = this.uniformCursor;
    this.uniformCursor += UNIFORM_SLOT;
    const data = new ArrayBuffer(Math.max(16, Math.ceil((uniforms.length * 4) / 16) * 16));
    const view = new DataView(data);
    uniforms.forEach(([type, value], i) => {
      if (type === 'f32') view.setFloat32(i * 4, value, true);
      else if (type === 'i32') view.setInt32(i * 4, value, true);
      else view.setUint32(i * 4, value, true);
    });
    this.device.queue.writeBuffer(this.uniformArena, slot, data);

    const { pipeline, layout } = this.pipelineFor(spec, constants);
    const key = `${spec.name}|${JSON.stringify(constants)}|${tensors.map((t) => `${this.bufferId(t.buffer)}:${t.byteOffset}:${t.byteLength}`).join(',')}`;
    let bg = this.bindGroups.get(key);
    if (!bg) {
      if (this.bindGroups.size > 8192) this.bindGroups.clear();
      bg = this.device.createBindGroup({
        layout,
        entries: [
          { binding: 0, resource: { buffer: this.uniformArena, offset: 0, size: UNIFORM_SLOT } },
          ...tensors.map((t, i) => ({ binding: i + 1, resource: t.binding() })),
        ],
        label: spec.name,
      });
      this.bindGroups.set(key, bg);
      this.bindGroupsCreated += 1;
    }
    const pass = this.getPass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bg, [slot]);
    pass.dispatchWorkgroups(gx, gy, gz);
  }

  destroy(): void {
    this.encoder = null;
    this.pass = null;
    this.pool.destroy();
    this.uniformArena.destroy();
    this.device.destroy();
  }
}
