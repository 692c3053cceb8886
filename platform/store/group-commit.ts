// Group commit for PostgreSQL writes that many requests make at once (pg-payments.ts,
// sim-billers.ts): one round trip and one transaction for all that arrived meanwhile.
/** Group commit: a call that arrives while a batch is in flight waits for it, then goes with
 *  everything else that arrived meanwhile, in one round trip and one transaction. An idle
 *  queue sends a lone call at once (no added wait). Each caller gets its own result. */
export class GroupCommit<Req, Res> {
  private queue: Array<{ req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  constructor(
    /** One result per request, in order: a value or the Error that request gets. */
    private readonly runBatch: (reqs: Req[]) => Promise<Array<Res | Error>>,
    private readonly maxBatch = 200,
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.runBatch(batch.map((b) => b.req));
          batch.forEach((b, k) => {
            const r = results[k];
            if (r instanceof Error) b.reject(r);
            else b.resolve(r as Res);
          });
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
