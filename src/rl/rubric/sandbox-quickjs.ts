// The QuickJS (WebAssembly) engine for untrusted reward code and user regular expressions, run inside a sandbox
// thread (sandbox-serve.ts) or, where no thread can start, in the caller's own thread. quickjs-emscripten's sync
// release build, whose .wasm file Node reads from node_modules and Vite emits as an asset next to the worker chunk.
//
// Contract:
// - Nothing of the host is exposed: QuickJS has no fetch, XMLHttpRequest, require, import loader, DOM,
//   storage or timers, and no host function is ever installed. Arguments go in as strings (messages and state
//   as JSON, parsed inside); only a number comes out.
// - Limits per call: a wall-clock deadline through the interrupt handler (compile + run), a heap limit, a native
//   stack limit. QuickJS polls the handler between bytecodes, not inside built-ins looping in C
//   (`indexOf` on {length: 1e15}); the thread's host kills the thread for those (sandbox-threads.ts).
// - The heap limit is enforced twice. QuickJS's own runtime limit (setMemoryLimit) stops a single oversized
//   allocation, but in this build it counts only 8 bytes per block (no malloc_usable_size under Emscripten,
//   quickjs-emscripten issues #255/#271), so many mid-sized strings or arrays would slip past it and grow the
//   WebAssembly memory without bound. So each limit gets its own module instance whose WebAssembly.Memory has a
//   hard maximum (base + limit + headroom): growing past it makes malloc fail inside QuickJS ("out of memory").
// - Custom code gets a fresh context (a fresh global object and fresh built-ins) for every call, so nothing a
//   call does to globalThis or to prototypes is seen by the next one. One runtime serves a batch and is
//   rebuilt after a call that ran out of time, memory or stack. A syntax error is found once per batch.
//   A failure of the module itself (the host's stack overflowing inside a recursive built-in) fails that one
//   call; the module is replaced and the batch goes on.
// - Math.random is a fixed-seed generator and the clock is frozen (Date.now() and new Date() read FROZEN_NOW)
//   in each context, so a score depends only on its inputs.
// - Every message is one line of at most MAX_MESSAGE characters, never empty.

import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';

export interface SandboxLimits {
  /** Wall-clock limit of one call (compiling the code and running it), in milliseconds. */
  timeLimitMs: number;
  /** Heap limit of the QuickJS runtime, in bytes. */
  memoryLimitBytes: number;
  /** Native stack limit of the QuickJS runtime, in bytes (deep recursion fails with "stack overflow"). */
  maxStackBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = {
  timeLimitMs: 50,
  memoryLimitBytes: 16 * 1024 * 1024,
  maxStackBytes: 256 * 1024,
};

/** The instant every Date.now() and argument-less new Date() reads inside the sandbox: 2024-01-01T00:00:00Z. */
export const FROZEN_NOW = Date.UTC(2024, 0, 1);

/** Longest error message kept (QuickJS stack traces of deep recursion run to megabytes). */
const MAX_MESSAGE = 300;
const FILE = 'custom.js';

const PAGE = 65536;
/** The build's own initial memory (INITIAL_MEMORY, 16 MiB): static data, the C stack, the allocator's start. */
const BASE_PAGES = 256;
/** Room above a runtime's limit for its context and the argument strings. */
const HEADROOM_BYTES = 8 * 1024 * 1024;

/** Bytes of WebAssembly memory a module for this heap limit may grow to (what a sandbox thread costs at most). */
export function moduleCapBytes(memoryLimitBytes: number): number {
  return capPages(memoryLimitBytes) * PAGE;
}

function capPages(memoryLimitBytes: number): number {
  return BASE_PAGES + Math.ceil((memoryLimitBytes + HEADROOM_BYTES) / PAGE);
}

/** A new module instance with its own memory of at most `pages`; the library loads lazily (the page bundle stays small). */
async function instantiate(pages: number): Promise<QuickJSWASMModule> {
  const [{ newQuickJSWASMModuleFromVariant, newVariant }, { default: releaseSync }] = await Promise.all([
    import('quickjs-emscripten-core'),
    import('@jitl/quickjs-wasmfile-release-sync'),
  ]);
  const wasmMemory = new WebAssembly.Memory({ initial: BASE_PAGES, maximum: pages });
  return newQuickJSWASMModuleFromVariant(newVariant(releaseSync, { wasmMemory }));
}

/**
 * Run representative code once, untimed, so the engine's WebAssembly is compiled before the first timed call
 * (otherwise lazy compilation can eat a first call's 50 ms on a busy machine).
 */
function warmUp(qjs: QuickJSWASMModule): QuickJSWASMModule {
  const rt = qjs.newRuntime();
  const ctx = rt.newContext();
  const r = ctx.evalCode(
    // the prelude too: a fresh thread compiles the engine's functions on first use, which must not eat a first call's limit
    `${PRELUDE}\nvar d = new Date(); var o = JSON.parse('{"a":[1,2,{"b":"c"}]}'); var s = JSON.stringify(o) + String(Math.random()).slice(0, 3);
     (function (p, c) { return /a+b/i.test(c) ? s.length : c.split(' ').map(function (w) { return w.length; }).length; })('p', 'aab x');`,
  );
  (r.error ?? r.value)?.dispose();
  ctx.dispose();
  rt.dispose();
  return qjs;
}

/** One module instance (own WebAssembly.Memory) per hard memory cap. A sandbox thread holds only one. */
const modules = new Map<number, Promise<QuickJSWASMModule>>();

/**
 * Load (once per memory limit) the QuickJS WebAssembly module, its memory capped at 16 MiB + the limit + 8 MiB.
 * Rejects with a clear message when the .wasm cannot load.
 */
export function loadQuickJS(memoryLimitBytes: number = DEFAULT_SANDBOX_LIMITS.memoryLimitBytes): Promise<QuickJSWASMModule> {
  const pages = capPages(memoryLimitBytes);
  let module = modules.get(pages);
  if (!module) {
    module = instantiate(pages).then(warmUp, (e: unknown) => {
      modules.delete(pages);
      throw new Error(`could not load the QuickJS sandbox: ${e instanceof Error ? e.message : String(e)}`);
    });
    modules.set(pages, module);
  }
  return module;
}

/** Forget every loaded module (their memory is freed once nothing holds them). */
export function unloadQuickJS(): void {
  modules.clear();
}

/** A failure inside the sandbox, with the message people see. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** Messages of the three limits, shared by the engine and the thread's host (which enforces time itself too). */
export const limitMessage = {
  time: (l: SandboxLimits) => `exceeded the time limit (${l.timeLimitMs} ms)`,
  memory: (l: SandboxLimits) => `exceeded the memory limit (${Math.round(l.memoryLimitBytes / 1024 / 1024)} MB)`,
  stack: (l: SandboxLimits) => `exceeded the stack limit (${Math.round(l.maxStackBytes / 1024)} KB): too deep a recursion`,
};

/** One line, no control characters, at most MAX_MESSAGE characters. */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/** How a thrown non-Error value reads: "threw an empty string", "threw 42", "threw a non-Error object: {...}". */
function describeThrownValue(value: unknown): string {
  if (value === '') return 'threw an empty string';
  if (typeof value === 'string') {
    const text = oneLine(value);
    return text ? `threw ${text}` : 'threw a blank string';
  }
  if (typeof value !== 'object' || value === null) return `threw ${String(value)}`;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? '';
  } catch {
    shown = '';
  }
  return oneLine(`threw a non-Error object${shown && shown !== '{}' ? `: ${shown.slice(0, MAX_MESSAGE)}` : ''}`);
}

/**
 * What went wrong in the guest, as one short line. `lineOffset` maps line numbers back to the user's code;
 * a line past `lastLine` (the wrapper's closing brace) reads "at the end".
 */
function describeGuestError(ctx: QuickJSContext, handle: QuickJSHandle, limits: SandboxLimits, lineOffset: number, lastLine = Infinity): string {
  let value: unknown;
  try {
    value = ctx.dump(handle);
  } catch {
    return 'failed (the error could not be read)';
  }
  if (typeof value !== 'object' || value === null) return describeThrownValue(value);
  const { name, message, stack } = value as { name?: unknown; message?: unknown; stack?: unknown };
  if (name === undefined && message === undefined) return describeThrownValue(value);
  const msg = typeof message === 'string' ? message : String(message ?? '');
  if (name === 'InternalError' && msg === 'interrupted') return limitMessage.time(limits);
  if (name === 'InternalError' && msg === 'out of memory') return limitMessage.memory(limits);
  if (msg === 'stack overflow') return limitMessage.stack(limits);
  const where = typeof stack === 'string' ? new RegExp(`${FILE}:(\\d+)`).exec(stack.slice(0, 2000)) : null;
  const line = where ? Number(where[1]) - lineOffset : 0;
  const at = line > lastLine ? ' (at the end of the code)' : line > 0 ? ` (line ${line})` : '';
  const label = oneLine(typeof name === 'string' && name !== '' ? name : 'Error');
  const text = oneLine(msg.slice(0, 4 * MAX_MESSAGE));
  return oneLine(`threw ${label}${text ? `: ${text}` : ' (no message)'}${at}`);
}

export function isResourceFailure(message: string): boolean {
  return message.startsWith('exceeded the');
}

/** The host's own stack overflowed inside a built-in that recursed in C (JSON.parse of '['.repeat(16000)). */
function isHostStackOverflow(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && /call stack|stack overflow|too much recursion/i.test(e.message));
}

/** One QuickJS runtime with the limits applied and a per-call deadline; rebuilt on demand. */
class LimitedRuntime {
  private rt: QuickJSRuntime | null = null;
  private deadline = 0;

  private constructor(
    private readonly qjs: QuickJSWASMModule,
    readonly limits: SandboxLimits,
  ) {}

  static async create(limits: SandboxLimits): Promise<LimitedRuntime> {
    return new LimitedRuntime(await loadQuickJS(limits.memoryLimitBytes), limits);
  }

  /**
   * An exception from the wasm module itself (not from guest code): drop the module (the next runtime loads a
   * fresh one) and say what happened to the call.
   */
  hostFailure(e: unknown): SandboxError {
    this.rt = null; // not disposed: the module may be broken
    modules.delete(capPages(this.limits.memoryLimitBytes));
    if (isHostStackOverflow(e)) return new SandboxError(limitMessage.stack(this.limits));
    return new SandboxError(`sandbox failure: ${oneLine(e instanceof Error ? e.message : String(e)) || 'unknown error'}`);
  }

  get runtime(): QuickJSRuntime {
    if (this.rt === null) {
      const rt = this.qjs.newRuntime();
      rt.setMemoryLimit(this.limits.memoryLimitBytes);
      rt.setMaxStackSize(this.limits.maxStackBytes);
      rt.setInterruptHandler(() => performance.now() > this.deadline);
      this.rt = rt;
    }
    return this.rt;
  }

  /** Start the clock of one call (`ms` defaults to the limit). */
  startCall(ms: number = this.limits.timeLimitMs): void {
    this.deadline = performance.now() + ms;
  }

  dispose(): void {
    try {
      this.rt?.dispose();
    } catch {
      // A runtime that failed mid-call may refuse a clean teardown; it is dropped either way.
    }
    this.rt = null;
  }
}

/** The arguments of one custom-code call. */
export interface CodeCall {
  prompt: string;
  completion: string;
  answer: string;
  messages: unknown;
  state: unknown;
}

/** A call as it travels to a sandbox thread: messages and state already JSON (structured clone cannot fail). */
export interface WireCall {
  prompt: string;
  completion: string;
  answer: string;
  messagesJson: string;
  stateJson: string;
}

function jsonArg(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null'; // cycles or BigInt: the code sees null
  }
}

export function toWireCall(call: CodeCall): WireCall {
  return { prompt: call.prompt, completion: call.completion, answer: call.answer, messagesJson: jsonArg(call.messages), stateJson: jsonArg(call.state) };
}

/** `(prompt, completion, answer, messages, state) => number`: the names a function body sees. */
export const CODE_PARAMS = ['prompt', 'completion', 'answer', 'messages', 'state'] as const;

/** How the user's code is wrapped so that evaluating it yields a function. User code starts on line 2. */
type CodeForm = 'expression' | 'body';

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function wrap(code: string, form: CodeForm): string {
  return form === 'expression' ? `(\n${code}\n)` : `(function (${CODE_PARAMS.join(', ')}) {\n${code}\n})`;
}

/**
 * Deadline for finding the code's form (compiling it, once per batch): a syntax check must not fail
 * because a busy machine paused the worker for a moment. Two forms are tried at most.
 */
export const COMPILE_TIME_MS = 1000;

/** Seeded Math.random and a frozen clock, installed in every context before the user's code is compiled. */
const PRELUDE = `Math.random = (function () {
  var s = 0x2545f491;
  return function random() {
    s = (s + 0x6d2b79f5) | 0;
    var t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
(function (RealDate, NOW) {
  function Date() {
    if (new.target === undefined) return new RealDate(NOW).toString();
    return Reflect.construct(RealDate, arguments.length === 0 ? [NOW] : Array.prototype.slice.call(arguments), new.target);
  }
  Date.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: Date, writable: true, configurable: true });
  Date.now = function now() { return NOW; };
  Date.parse = RealDate.parse;
  Date.UTC = RealDate.UTC;
  Object.defineProperty(globalThis, 'Date', { value: Date, writable: true, configurable: true });
})(Date, ${FROZEN_NOW});`;

function evalHandle(ctx: QuickJSContext, source: string): { value?: QuickJSHandle; error?: QuickJSHandle } {
  const r = ctx.evalCode(source, FILE);
  return 'error' in r && r.error ? { error: r.error } : { value: (r as { value: QuickJSHandle }).value };
}

/**
 * Find how the code is written, in a throwaway context: a function expression (`(p, c) => ...`,
 * `function (...) {...}`) or a function body (`return ...`). Returns the form, or the syntax error message.
 */
function detectForm(lr: LimitedRuntime, code: string): { form: CodeForm } | { error: string } {
  for (const form of ['expression', 'body'] as const) {
    lr.startCall(Math.max(lr.limits.timeLimitMs, COMPILE_TIME_MS));
    const ctx = lr.runtime.newContext();
    let outcome: 'function' | 'other' | string;
    try {
      const r = evalHandle(ctx, wrap(code, form));
      if (r.value) {
        outcome = ctx.typeof(r.value) === 'function' ? 'function' : 'other';
        r.value.dispose();
      } else {
        outcome = describeGuestError(ctx, r.error!, lr.limits, 1, lineCount(code));
        r.error!.dispose();
      }
    } finally {
      ctx.dispose();
    }
    if (outcome === 'function') return { form };
    if (isResourceFailure(outcome)) lr.dispose();
    if (form === 'body') {
      if (outcome === 'other') break;
      return { error: outcome.startsWith('threw SyntaxError') ? `does not compile: ${outcome.slice(6)}` : outcome };
    }
  }
  return { error: 'is neither a function nor a function body' };
}

/** Run one call in a fresh context of `lr`'s runtime; returns the score or an Error. */
function callOnce(lr: LimitedRuntime, source: string, call: WireCall): number | Error {
  lr.startCall();
  const ctx = lr.runtime.newContext();
  const handles: QuickJSHandle[] = [];
  const keep = (h: QuickJSHandle) => (handles.push(h), h);
  let failure: string | null = null;
  try {
    const prelude = evalHandle(ctx, PRELUDE);
    if (prelude.error) return new SandboxError((failure = describeGuestError(ctx, keep(prelude.error), lr.limits, 0)));
    keep(prelude.value!);
    // JSON.parse is taken before any user code runs, so the code cannot replace it for its own arguments.
    const json = keep(ctx.getProp(ctx.global, 'JSON'));
    const parse = keep(ctx.getProp(json, 'parse'));
    const compiled = evalHandle(ctx, source);
    if (compiled.error) {
      failure = describeGuestError(ctx, keep(compiled.error), lr.limits, 1, lineCount(source) - 2);
      return new SandboxError(failure);
    }
    const fn = keep(compiled.value!);
    if (ctx.typeof(fn) !== 'function') return new SandboxError('is not a function');
    const args = [call.prompt, call.completion, call.answer].map((s) => keep(ctx.newString(s)));
    for (const text of [call.messagesJson, call.stateJson]) {
      const parsed = ctx.callFunction(parse, json, keep(ctx.newString(text)));
      if (parsed.error) {
        failure = describeGuestError(ctx, keep(parsed.error), lr.limits, 0);
        return new SandboxError(`could not pass its arguments in: ${failure}`);
      }
      args.push(keep(parsed.value));
    }
    const result = ctx.callFunction(fn, ctx.undefined, ...args);
    if (result.error) {
      failure = describeGuestError(ctx, keep(result.error), lr.limits, 1);
      return new SandboxError(failure);
    }
    const value = keep(result.value);
    const type = ctx.typeof(value);
    if (type !== 'number') {
      // sameValue, not dump: dumping a deeply nested returned object would recurse through the host's stack
      const shown = type === 'object' && ctx.sameValue(value, ctx.null) ? 'null' : type;
      return new SandboxError(`returned ${shown}, not a number${shown === 'undefined' ? ' (missing `return`?)' : ''}`);
    }
    return ctx.getNumber(value);
  } finally {
    for (const h of handles) if (h.alive) h.dispose();
    ctx.dispose();
    if (failure !== null && isResourceFailure(failure)) lr.dispose(); // start the next call on a clean heap
  }
}

/** What a batch tells its caller as it goes (a sandbox thread streams it to its host's watchdog). */
export interface EngineEvents<T = number | boolean> {
  /** The result of item `index`, as soon as it is known. */
  item(index: number, result: T | Error): void;
  /** The code compiled: the calls start now (compiling has its own, longer deadline). */
  compiled?(): void;
  /** Item `index` starts now (its deadline starts). */
  started?(index: number): void;
  /** A fresh module is loading after a module failure (busy), or has loaded (not busy): untimed work. */
  reloading?(busy: boolean): void;
}

const NO_EVENTS: EngineEvents<never> = { item: () => {} };

/** After a module failure: a runtime on a fresh module, the load reported as untimed. */
async function reload(limits: SandboxLimits, events: Pick<EngineEvents, 'reloading'>): Promise<LimitedRuntime> {
  events.reloading?.(true);
  const lr = await LimitedRuntime.create(limits);
  events.reloading?.(false);
  return lr;
}

/**
 * Run user code over a batch in this thread: each call gets a fresh context; each result is a number or an
 * Error whose message says what went wrong ("exceeded the time limit (50 ms)", "threw TypeError: ... (line 3)",
 * "returned string, not a number"). A syntax error fails every call with the same message, found once.
 */
export async function runCustomCodeHere(
  code: string,
  calls: readonly WireCall[],
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
  events: EngineEvents<number> = NO_EVENTS,
): Promise<(number | Error)[]> {
  if (calls.length === 0) return [];
  let lr = await LimitedRuntime.create(limits);
  const out: (number | Error)[] = [];
  try {
    const detected = detectForm(lr, code);
    if ('error' in detected) {
      const error = new SandboxError(detected.error);
      calls.forEach((_, i) => (out.push(error), events.item(i, error)));
      return out;
    }
    const source = wrap(code, detected.form);
    events.compiled?.();
    for (let i = 0; i < calls.length; i++) {
      let r: number | Error;
      let failed = false;
      try {
        events.started?.(i);
        r = callOnce(lr, source, calls[i]);
      } catch (e) {
        r = lr.hostFailure(e); // only this call fails: the next one runs in a fresh module
        failed = true;
      }
      out.push(r);
      events.item(i, r);
      if (failed && i + 1 < calls.length) lr = await reload(limits, events);
    }
    return out;
  } finally {
    lr.dispose();
  }
}

/**
 * Check in this thread that code compiles to a function; returns the problem or null. Running out of time or
 * memory while checking is left for scoring to report.
 */
export async function checkCustomCodeHere(code: string, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<string | null> {
  const lr = await LimitedRuntime.create(limits);
  try {
    const detected = detectForm(lr, code);
    return 'error' in detected && !isResourceFailure(detected.error) ? detected.error : null;
  } catch (e) {
    return lr.hostFailure(e).message;
  } finally {
    lr.dispose();
  }
}

/** Compile `pattern` in `ctx` into a guest function s => re.test(s), or the Error saying why not. */
function makeRegexTest(ctx: QuickJSContext, pattern: string, flags: string, limits: SandboxLimits): QuickJSHandle | Error {
  const factory = evalHandle(ctx, '(function (p, f) { var re = new RegExp(p, f); return function (s) { return re.test(s); }; })');
  if (factory.error) {
    const message = describeGuestError(ctx, factory.error, limits, 0);
    factory.error.dispose();
    return new SandboxError(message);
  }
  const args = [ctx.newString(pattern), ctx.newString(flags)];
  const made = ctx.callFunction(factory.value!, ctx.undefined, ...args);
  factory.value!.dispose();
  args.forEach((h) => h.dispose());
  if (made.error) {
    const message = describeGuestError(ctx, made.error, limits, 0);
    made.error.dispose();
    return new SandboxError(`has an invalid pattern: ${message.replace(/^threw /, '')}`);
  }
  return made.value;
}

/**
 * Test a user regular expression against many texts in this thread (QuickJS's regex engine checks the
 * interrupt handler, so catastrophic backtracking ends at the time limit instead of freezing the page).
 * Only our own code runs in the context, so one context serves the batch; it is rebuilt after a failure.
 */
export async function runRegexTestsHere(
  pattern: string,
  flags: string,
  texts: readonly string[],
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
  events: EngineEvents<boolean> = NO_EVENTS,
): Promise<(boolean | Error)[]> {
  if (texts.length === 0) return [];
  let lr = await LimitedRuntime.create(limits);
  let ctx: QuickJSContext | null = null;
  let test: QuickJSHandle | null = null;
  const teardown = () => {
    if (test?.alive) test.dispose();
    if (ctx?.alive) ctx.dispose();
    test = ctx = null;
    lr.dispose();
  };
  const testOne = (text: string): boolean | Error => {
    lr.startCall();
    if (ctx === null || test === null) {
      ctx = lr.runtime.newContext();
      const made = makeRegexTest(ctx, pattern, flags, limits);
      if (made instanceof Error) {
        teardown();
        return made;
      }
      test = made;
      lr.startCall(); // building the pattern had its own deadline
    }
    const arg = ctx.newString(text);
    const r = ctx.callFunction(test, ctx.undefined, arg);
    arg.dispose();
    if (r.error) {
      const message = describeGuestError(ctx, r.error, limits, 0);
      r.error.dispose();
      teardown();
      return new SandboxError(message.startsWith('exceeded the time') ? `${message}: the pattern backtracks too much on this text` : message);
    }
    const matched = ctx.dump(r.value) === true;
    r.value.dispose();
    return matched;
  };
  const out: (boolean | Error)[] = [];
  try {
    for (let i = 0; i < texts.length; i++) {
      let r: boolean | Error;
      let failed = false;
      try {
        events.started?.(i);
        r = testOne(texts[i]);
      } catch (e) {
        test = ctx = null;
        r = lr.hostFailure(e);
        failed = true;
      }
      out.push(r);
      events.item(i, r);
      if (failed && i + 1 < texts.length) lr = await reload(limits, events);
    }
    return out;
  } finally {
    teardown();
  }
}
