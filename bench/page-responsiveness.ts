// `npm run bench:page [-- --only dev|preview] [--seconds 30] [--profile]`: how live the page stays while it trains. Opens the
// page in Debian's headless Chromium, presses Train on the default preset (CPU backend), and over `--seconds` of
// training records every main-thread long task (PerformanceObserver 'longtask', installed before the page's own
// scripts) and the latency of tab clicks (Event Timing 'event' entries, split into input delay, handlers and the
// wait for the next frame; the same clicks on the idle page before Train give the floor). Then it clicks Pause and Stop and reports
// how many steps passed between the step shown at the click and the step the run paused or stopped at.
// The run is the default preset with 1,000 steps, so it never ends inside the window.
// Runs against the dev server (`vite`) and the production build (`vite build` + `vite preview`). A benchmark,
// not a test: it prints a table and writes bench/results/page-responsiveness.json; it asserts nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { DEFAULT_PRESET, getPreset } from '../src/rl/presets.ts';
import { encodeShareHash } from '../src/rl/config/share.ts';

type Mode = 'dev' | 'preview';

interface Figures {
  mode: Mode;
  seconds: number;
  stepsTrained: number;
  longTasks: number;
  longestTaskMs: number;
  /** Sum over long tasks of (duration - 50 ms): Lighthouse's total blocking time. */
  totalBlockingMs: number;
  /** Sum of long-task durations: time the main thread could not respond at all. */
  blockedMs: number;
  tabClicks: number;
  /** Event Timing duration of a click (input delay + handlers + next paint), worst and median. */
  worstClickMs: number;
  medianClickMs: number;
  /** The median click split as Event Timing splits it: input delay, handlers, and the wait for the next frame. */
  medianClickDelayMs: number;
  medianClickHandlersMs: number;
  medianClickPresentationMs: number;
  /** The same tab clicks on the idle page before Train (the floor the page itself sets). */
  idleMedianClickMs: number;
  pauseShownStep: number;
  pausedAtStep: number;
  pauseSeconds: number;
  stopShownStep: number;
  stoppedAtStep: number;
  stopSeconds: number;
}

const ARGS = ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Installed before any page script: collects long tasks and input events into window.__perf. */
function observeMainThread(): void {
  const perf = {
    longTasks: [] as { start: number; duration: number }[],
    events: [] as { name: string; start: number; duration: number; delay: number; handlers: number; presentation: number }[],
  };
  (window as unknown as { __perf: typeof perf }).__perf = perf;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) perf.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceEventTiming[]) {
      perf.events.push({
        name: e.name,
        start: e.startTime,
        duration: e.duration,
        delay: e.processingStart - e.startTime,
        handlers: e.processingEnd - e.processingStart,
        presentation: e.startTime + e.duration - e.processingEnd,
      });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
}

interface Options {
  modes: Mode[];
  seconds: number;
  /** Also record a CPU profile of the main thread over the window and print its heaviest functions. */
  profile: boolean;
}

function parseArgs(argv: string[]): Options {
  let modes: Mode[] = ['dev', 'preview'];
  let seconds = 30;
  let profile = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') profile = true;
    else if (argv[i] === '--only' && (argv[i + 1] === 'dev' || argv[i + 1] === 'preview')) modes = [argv[++i] as Mode];
    else if (argv[i] === '--seconds' && Number(argv[i + 1]) > 0) seconds = Number(argv[++i]);
    else throw new Error(`unexpected argument '${argv[i]}' (usage: npm run bench:page [-- --only dev|preview] [--seconds N] [--profile])`);
  }
  return { modes, seconds, profile };
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no server at ${url} after 120 s`);
}

function startServer(mode: Mode, port: number): ChildProcess {
  if (mode === 'preview') {
    const built = spawnSync('npx', ['vite', 'build', '--outDir', 'dist', '--emptyOutDir'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('vite build failed');
  }
  const args = mode === 'dev' ? ['vite', '--config', 'bench/vite-steady.config.ts', '--port', String(port), '--strictPort'] : ['vite', 'preview', '--port', String(port), '--strictPort'];
  return spawn('npx', args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
}

/** Ends the server's process group (npx and the vite it started) and waits until it has exited. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || !server.pid) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

/** The default preset with room to train past the measured window (its 60 steps may end within 30 s). */
function defaultLongRun(): string {
  const config = getPreset(DEFAULT_PRESET);
  config.steps = 1000;
  return encodeShareHash(config);
}

const stepOf = async (page: Page) => Number((await page.getByTestId('step-counter').textContent())?.match(/Step (\d+)/)?.[1] ?? NaN);

/** Clicks a run control from inside the page (so the step read and the click are the same moment for the page). */
async function clickControl(page: Page, name: string): Promise<{ shown: number; at: number }> {
  return page.evaluate((label) => {
    const shown = Number(document.querySelector('[data-testid="step-counter"]')?.textContent?.match(/Step (\d+)/)?.[1] ?? NaN);
    const button = [...document.querySelectorAll<HTMLButtonElement>('[aria-label="Training controls"] button')].find((b) => b.textContent?.includes(label));
    if (!button || button.disabled || button.getAttribute('aria-disabled') === 'true') throw new Error(`${label} is not enabled`);
    button.click();
    return { shown, at: performance.now() };
  }, name);
}

async function statusAfter(page: Page, state: string, timeoutMs: number): Promise<{ message: string; at: number }> {
  const handle = await page.waitForFunction(
    (s) => {
      const status = document.querySelector('[role="status"][data-state]');
      return status?.getAttribute('data-state') === s ? { message: status.textContent ?? '', at: performance.now() } : null;
    },
    state,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await handle.jsonValue()) as { message: string; at: number };
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const stepIn = (text: string) => Number(text.match(/step (\d+)/i)?.[1] ?? NaN);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The functions with the most self time in a CDP CPU profile, as 'ms  name  file:line' lines. */
function heaviest(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 25): string[] {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*\/\/[^/]+/, '').replace(/\?.*$/, '')}:${f.lineNumber + 1}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  return [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${k}`);
}

async function measure(mode: Mode, seconds: number, profile: boolean): Promise<Figures> {
  const port = mode === 'dev' ? 5191 : 5192;
  const server = startServer(mode, port);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    await waitForServer(`http://localhost:${port}/`, server);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(observeMainThread);
    await page.goto(`http://localhost:${port}/${defaultLongRun()}`);
    // The same tab clicks on the idle page first: what a click costs with no run going.
    const tabs = ['Rollouts', 'Charts', 'Learn', 'Charts'];
    await page.getByRole('tab', { name: 'Charts', exact: true }).waitFor();
    await page.waitForTimeout(2000);
    const idle0 = await page.evaluate(() => performance.now());
    for (let i = 0; i < 8; i++) {
      await page.getByRole('tab', { name: tabs[i % tabs.length], exact: true }).click();
      await page.waitForTimeout(1500);
    }
    const idle1 = await page.evaluate(() => performance.now());
    // A first dev-server visit may reload the page once (Vite optimising dependencies): retry until it trains.
    for (let attempt = 0; ; attempt++) {
      await page.getByLabel('Compute').selectOption('cpu');
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      // 1,000 steps may be estimated over 10 minutes (the start guard asks first at a slow rate): start anyway.
      const confirm = page.getByRole('dialog', { name: 'Start this run?' });
      if (await confirm.waitFor({ timeout: 3000 }).then(() => true, () => false)) await confirm.getByRole('button', { name: 'Start anyway' }).click();
      const started = await page.waitForFunction(() => document.querySelector('[role="status"]')?.getAttribute('data-state') !== 'idle', null, { timeout: 10_000 }).then(() => true, () => false);
      if (started) break;
      if (attempt === 2) throw new Error('Train did not start a run');
    }
    await page.waitForFunction(() => {
      const status = document.querySelector('[role="status"][data-state]');
      if (status?.getAttribute('data-state') === 'error') throw new Error(`the run failed: ${status.textContent}`);
      return /Step [1-9]/.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? '');
    }, null, { timeout: 300_000, polling: 500 });
    const t0 = await page.evaluate(() => performance.now());
    console.error(`training (step ${await stepOf(page)}); measuring…`);
    const cdp = profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    const firstStep = await stepOf(page);

    // Tab clicks every ~2.5 s while it trains, as a person would look around.
    let clicks = 0;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      await page.waitForTimeout(2500);
      await page.getByRole('tab', { name: tabs[clicks % tabs.length], exact: true }).click({ timeout: 60_000 });
      clicks++;
    }
    const t1 = await page.evaluate(() => performance.now());
    if (cdp) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      writeFileSync(`test-results/page-${mode}.cpuprofile`, JSON.stringify(cpu));
      console.error(`main-thread self time, heaviest first (test-results/page-${mode}.cpuprofile):\n${heaviest(cpu as never).join('\n')}`);
    }
    type Perf = { longTasks: { start: number; duration: number }[]; events: { name: string; start: number; duration: number; delay: number; handlers: number; presentation: number }[] };
    const perf = await page.evaluate(() => (window as unknown as { __perf: Perf }).__perf);
    const stepsTrained = (await stepOf(page)) - firstStep;

    console.error(`measured; pausing at step ${await stepOf(page)}…`);
    const pause = await clickControl(page, 'Pause');
    const paused = await statusAfter(page, 'paused', 600_000);
    await page.getByRole('tab', { name: 'Charts', exact: true }).click();
    console.error(`paused: ${paused.message}; resuming…`);
    await clickControl(page, 'Resume');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step-counter"]')?.textContent?.match(/Step (\d+)/)?.[1]) >= s + 2, stepIn(paused.message), { timeout: 300_000 });
    console.error('stopping…');
    const stop = await clickControl(page, 'Stop');
    const stopped = await statusAfter(page, 'done', 600_000);

    const tasks = perf.longTasks.filter((t) => t.start >= t0 && t.start < t1);
    const clickEvents = perf.events.filter((e) => e.name === 'click' && e.start >= t0 && e.start < t1);
    const clicksMs = clickEvents.map((e) => e.duration);
    const idleClicks = perf.events.filter((e) => e.name === 'click' && e.start >= idle0 && e.start < idle1).map((e) => e.duration);
    const medianOf = (xs: number[]) => Math.round(median(xs.length ? xs : [0]));
    return {
      mode,
      seconds: Math.round((t1 - t0) / 100) / 10,
      stepsTrained,
      longTasks: tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
      totalBlockingMs: Math.round(tasks.reduce((s, t) => s + t.duration - 50, 0)),
      blockedMs: Math.round(tasks.reduce((s, t) => s + t.duration, 0)),
      tabClicks: clicks,
      // Event Timing only reports events over 16 ms: a click not reported was faster than that.
      worstClickMs: Math.round(Math.max(16, ...clicksMs)),
      medianClickMs: Math.round(median([...clicksMs, ...Array(Math.max(0, clicks - clicksMs.length)).fill(16)])),
      medianClickDelayMs: medianOf(clickEvents.map((e) => e.delay)),
      medianClickHandlersMs: medianOf(clickEvents.map((e) => e.handlers)),
      medianClickPresentationMs: medianOf(clickEvents.map((e) => e.presentation)),
      idleMedianClickMs: Math.round(median([...idleClicks, ...Array(Math.max(0, 8 - idleClicks.length)).fill(16)])),
      pauseShownStep: pause.shown,
      pausedAtStep: stepIn(paused.message),
      pauseSeconds: Math.round((paused.at - pause.at) / 100) / 10,
      stopShownStep: stop.shown,
      stoppedAtStep: stepIn(stopped.message),
      stopSeconds: Math.round((stopped.at - stop.at) / 100) / 10,
    };
  } catch (err) {
    const page = browser.contexts()[0]?.pages()[0];
    if (page) await page.screenshot({ path: `test-results/page-responsiveness-${mode}-failure.png` }).catch(() => {});
    throw err;
  } finally {
    await browser.close();
    await stopServer(server);
  }
}

async function main(): Promise<void> {
  const { modes, seconds, profile } = parseArgs(process.argv.slice(2));
  mkdirSync('bench/results', { recursive: true });
  mkdirSync('test-results', { recursive: true });
  const results: Figures[] = [];
  for (const mode of modes) {
    console.error(`measuring ${mode} (${seconds} s of training)…`);
    const figures = await measure(mode, seconds, profile);
    console.error(JSON.stringify(figures));
    results.push(figures);
  }
  console.log('| build | s | steps | long tasks | longest ms | blocked ms | TBT ms | click worst/median ms | median click: delay / handlers / next frame ms | idle-page click median ms | pause shown->at (s) | stop shown->at (s) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.mode} | ${r.seconds} | ${r.stepsTrained} | ${r.longTasks} | ${r.longestTaskMs} | ${r.blockedMs} | ${r.totalBlockingMs} | ${r.worstClickMs} / ${r.medianClickMs} | ${r.medianClickDelayMs} / ${r.medianClickHandlersMs} / ${r.medianClickPresentationMs} | ${r.idleMedianClickMs} | ${r.pauseShownStep} -> ${r.pausedAtStep} (${r.pauseSeconds}) | ${r.stopShownStep} -> ${r.stoppedAtStep} (${r.stopSeconds}) |`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/page-responsiveness.json', JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
