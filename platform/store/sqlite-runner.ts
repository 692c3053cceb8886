// SqlRunner on better-sqlite3. Writes share transactions (group commit): those that arrive
// within a few ms commit together, each in its own savepoint so one refusal does not sink the
// others, and one fsync serves them all. Reads go to a second, read-only connection (WAL lets
// it read the last commit while a write is under way, and never an uncommitted savepoint).
import Database from 'better-sqlite3';
import type { Param, SqlRunner, Tx } from './sql';

const MAX_GROUP = 256;
/** Under load, at most one commit per this many ms; an idle store commits at once. */
const GROUP_WINDOW_MS = 2;

class SqliteTx implements Tx {
  readonly engine = 'sqlite' as const;
  readonly forUpdate = '';
  /** SQL → statement with `?` placeholders and, per `?`, which $n it stands for. */
  private readonly cache = new Map<string, { s: Database.Statement; order: number[] }>();
  constructor(private readonly db: Database.Database) {}
  private stmt(sql: string, params: readonly Param[]): [Database.Statement, Param[]] {
    let c = this.cache.get(sql);
    if (!c) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      this.cache.set(sql, (c = { s: this.db.prepare(text), order }));
    }
    return [c.s, c.order.map((i) => params[i] ?? null)];
  }
  one<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    const [s, p] = this.stmt(sql, params);
    return Promise.resolve(s.get(...p) as T | undefined);
  }
  all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    const [s, p] = this.stmt(sql, params);
    return Promise.resolve(s.all(...p) as T[]);
  }
  run(sql: string, params: readonly Param[] = []): Promise<number> {
    const [s, p] = this.stmt(sql, params);
    if (!s.reader) return Promise.resolve(s.run(...p).changes);
    s.all(...p); // INSERT … RETURNING with the result unused
    return Promise.resolve(1);
  }
}

interface Pending {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class SqliteRunner implements SqlRunner {
  readonly engine = 'sqlite' as const;
  private readonly wtx: SqliteTx;
  private readonly rtx: SqliteTx;
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private lastFlushAt = 0;
  private idle: Array<() => void> = [];

  /** `windowMs`: the group-commit window. 0 commits each write as soon as it is queued: for a
   *  platform that serves one station (the embedded demo), whose writes come one after another
   *  (a payment's begin, then its settle), so that a window would only be waited out. */
  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    private readonly windowMs = GROUP_WINDOW_MS,
  ) {
    this.wtx = new SqliteTx(writer);
    this.rtx = new SqliteTx(reader);
  }

  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  async read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return fn(this.rtx);
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const wait = this.windowMs - (performance.now() - this.lastFlushAt);
    if (wait <= 0) setImmediate(() => void this.flush());
    else setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    this.lastFlushAt = performance.now();
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_GROUP);
        const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          this.writer.exec('BEGIN IMMEDIATE');
        } catch (error) {
          for (const item of batch) item.reject(error);
          continue;
        }
        for (const item of batch) {
          this.writer.exec('SAVEPOINT item');
          try {
            // The closures only await this connection's synchronous calls: nothing else runs
            // on the writer in between.
            const value = await item.fn(this.wtx);
            this.writer.exec('RELEASE item');
            results.push({ ok: true, value });
          } catch (error) {
            this.writer.exec('ROLLBACK TO item');
            this.writer.exec('RELEASE item');
            results.push({ ok: false, error });
          }
        }
        try {
          this.writer.exec('COMMIT');
        } catch (error) {
          if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
          for (const item of batch) item.reject(error); // nothing of the batch is durable
          continue;
        }
        batch.forEach((item, i) => {
          const r = results[i]!;
          if (r.ok) item.resolve(r.value);
          else item.reject(r.error);
        });
      }
    } finally {
      this.flushing = false;
      for (const done of this.idle.splice(0)) done();
    }
  }

  private drain(): Promise<void> {
    if (!this.scheduled && !this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.drain();
    this.reader.close();
    this.writer.close();
  }
}
