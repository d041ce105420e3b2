// Download progress figures: bytes so far, rate over the last few seconds, and time left. One small class
// shared by the page's progress bar and the CLI's.

export interface TransferProgress {
  file: string;
  loaded: number;
  total: number | undefined;
  /** Bytes per second over the last ~3 s; 0 until two samples exist. */
  bytesPerSecond: number;
  /** Seconds left at that rate, or undefined when the total or the rate is unknown. */
  etaSeconds: number | undefined;
}

export class RateMeter {
  private samples: [number, number][] = []; // [ms, bytes]
  constructor(private readonly windowMs = 3000, private readonly now: () => number = () => performance.now()) {}

  progress(file: string, loaded: number, total: number | undefined): TransferProgress {
    const t = this.now();
    this.samples.push([t, loaded]);
    while (this.samples.length > 2 && t - this.samples[0][0] > this.windowMs) this.samples.shift();
    const [t0, b0] = this.samples[0];
    const bytesPerSecond = t > t0 ? ((loaded - b0) * 1000) / (t - t0) : 0;
    const etaSeconds = total !== undefined && bytesPerSecond > 0 ? Math.max(0, total - loaded) / bytesPerSecond : undefined;
    return { file, loaded, total, bytesPerSecond: Math.max(0, bytesPerSecond), etaSeconds };
  }

  /** A resume restarts the window so a jump in `loaded` is not counted as speed. */
  reset(): void {
    this.samples = [];
  }
}
