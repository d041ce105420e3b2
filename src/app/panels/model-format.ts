// How the model panel writes model sizes: parameter counts (80.6k, 135M, 1.5B) and file sizes (317 KB, 270 MB).

export function formatParamCount(n: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) return `${trimZeros((n / size).toFixed(n / size < 10 ? 2 : n / size < 100 ? 1 : 0))}${suffix}`;
  }
  return String(n);
}

/** Bytes in KB/MB/GB (1024-based, as file browsers show them). */
export function formatBytes(bytes: number): string {
  const units = ['KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 'bytes';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return unit === 'bytes' ? `${bytes} bytes` : `${trimZeros(value.toFixed(value < 10 ? 1 : 0))} ${unit}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** "47%" for an accuracy in [0, 1]. */
export function formatPercent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
