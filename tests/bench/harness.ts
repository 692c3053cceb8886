// A tiny benchmark harness: each suite measures in one run and reports ratios and figures
// against their targets. Timing on a 2-core shared machine is noisy, so a suite compares
// things measured side by side rather than trusting absolute numbers.

export interface BenchResult {
  suite: string;
  name: string;
  /** The measured figure, already in `unit`. */
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≤ 1.5×" or "< 5 ms". */
  target?: string;
  /** Whether the figure meets its target (undefined when there is none). */
  pass?: boolean;
  note?: string;
}

export type BenchSuite = () => Promise<BenchResult[]>;

/** Times `fn` `n` times; returns per-call durations in ms (sorted). */
export function timeMany(n: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

export async function timeManyAsync(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

export function median(sorted: number[]): number {
  if (sorted.length === 0) return NaN;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
