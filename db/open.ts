// Opening the station database: durability settings verified on every open, then migrations.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index';
import { registerChainFunction } from './chain';

export type Db = Database.Database;

export interface OpenOptions {
  /** Migrations to apply (tests pass a prefix to test one migration from the one before). */
  migrations?: readonly Migration[];
  /** Where backups taken before migrating go; defaults to `<dir of file>/backups`. */
  backupDir?: string;
  /** Wait this long for another process's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** How long a writer waits for another writer (another process on the same file) — a posting
 *  takes well under 1 ms, so 5 s means something is badly stuck. */
export const BUSY_TIMEOUT_MS = 5_000;

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  applyPragmas(db, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
  // The ledger's hash chain is computed by the database with this function (migration 007).
  registerChainFunction(db);
  if (!opts.readonly) migrate(db, file, opts.migrations ?? MIGRATIONS, opts.backupDir);
  return db;
}

/** WAL + synchronous=FULL, set and read back on every open: better-sqlite3 reopens an existing
 *  WAL database with synchronous=NORMAL, which can lose the last commits on power loss. */
export function applyPragmas(db: Db, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  if (!db.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const journal = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  const sync = Number(db.pragma('synchronous', { simple: true }));
  const fk = Number(db.pragma('foreign_keys', { simple: true }));
  if ((!db.readonly && journal !== 'wal') || sync !== 2 || fk !== 1) {
    db.close();
    throw new Error(
      `database durability settings not in force (journal=${journal}, synchronous=${sync}, fk=${fk})`,
    );
  }
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, cached per connection: preparing costs more than running a posting's SQL. */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: Db, file: string, migrations: readonly Migration[], backupDir?: string): void {
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return;
  // A backup before touching an existing ledger (nothing to back up in a brand-new file).
  if (current > 0 && file !== ':memory:') backupSync(db, file, backupDir, `before-v${pending[0]!.version}`);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      m.up?.(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

/** A consistent copy of a live database, via VACUUM INTO (works inside a synchronous call path;
 *  better-sqlite3's async backup() is used by the scheduled backups). */
export function backupSync(db: Db, file: string, backupDir: string | undefined, label: string): string {
  const dir = backupDir ?? path.join(path.dirname(file), 'backups');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(dir, `${path.basename(file, path.extname(file))}-${label}-${stamp}.sqlite`);
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}
