// The refusal log must keep the refusals that matter: an anonymous flood from one source
// (bad signatures, unknown stations, wrong tokens) could otherwise fill it and push real ones
// out (the log keeps the newest 100,000). Per source address, at most PER_WINDOW refusals are
// stored per window; the rest are counted and stored as ONE summary row (REFUSALS_SUPPRESSED,
// with the count and the codes) when that source's next window begins.
export const REFUSAL_WINDOW_MS = 60_000;
export const REFUSALS_PER_WINDOW = 20;
const MAX_SOURCES = 50_000;

interface Window {
  startedAt: number;
  stored: number;
  suppressed: number;
  codes: Record<string, number>;
  firstSuppressedAt: number | null;
}

export type RefusalDecision =
  | { store: true; summary?: { count: number; codes: Record<string, number>; from: number; to: number } }
  | { store: false };

export class RefusalLimiter {
  private readonly sources = new Map<string, Window>();
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Whether to store this refusal, and a summary of what was held back before it. */
  admit(source: string, code: string): RefusalDecision {
    const t = this.now();
    let w = this.sources.get(source);
    let summary: { count: number; codes: Record<string, number>; from: number; to: number } | undefined;
    if (w && t - w.startedAt >= REFUSAL_WINDOW_MS) {
      if (w.suppressed > 0)
        summary = {
          count: w.suppressed,
          codes: w.codes,
          from: w.firstSuppressedAt ?? w.startedAt,
          to: w.startedAt + REFUSAL_WINDOW_MS,
        };
      this.sources.delete(source);
      w = undefined;
    }
    if (!w) {
      if (this.sources.size >= MAX_SOURCES) this.sources.clear();
      w = { startedAt: t, stored: 0, suppressed: 0, codes: {}, firstSuppressedAt: null };
      this.sources.set(source, w);
    }
    if (w.stored < REFUSALS_PER_WINDOW) {
      w.stored++;
      return summary ? { store: true, summary } : { store: true };
    }
    w.suppressed++;
    w.codes[code] = (w.codes[code] ?? 0) + 1;
    w.firstSuppressedAt ??= t;
    return { store: false };
  }
}
