// Rebuilding print_jobs with a wider kind CHECK (migrations 011 and 017): SQLite cannot change a
// CHECK in place, so the table is rebuilt with its rows, and its indexes and triggers are put back
// exactly as the database holds them, read from sqlite_master. Not a migration itself (index.ts
// lists those); what it executes is frozen with the migrations that call it.
import type Database from 'better-sqlite3';

export interface KindsChange {
  /** The migration doing it, and the one that made the CHECK it expects. */
  version: number;
  madeBy: string;
  /** The CHECK as it stands, and as it becomes. */
  from: string;
  to: string;
}

export function rebuildPrintJobsKinds(db: Database.Database, change: KindsChange): void {
  const { from, to } = change;
  const self = String(change.version).padStart(3, '0');
  const table = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'print_jobs'`)
    .pluck()
    .get() as string | undefined;
  if (!table?.includes(from))
    throw new Error(`migration ${self}: print_jobs is not as migration ${change.madeBy} made it`);
  const dependents = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE tbl_name = 'print_jobs' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`,
    )
    .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
  const columns = (
    db.prepare(`SELECT name FROM pragma_table_info('print_jobs')`).pluck().all() as string[]
  ).join(', ');
  const before = db.prepare(`SELECT count(*) FROM print_jobs`).pluck().get() as number;
  const old = `print_jobs_v${change.version - 1}`;
  for (const d of dependents) if (d.type === 'trigger') db.exec(`DROP TRIGGER ${d.name}`);
  db.exec(`ALTER TABLE print_jobs RENAME TO ${old}`);
  db.exec(table.replace(from, to));
  db.exec(`INSERT INTO print_jobs (${columns}) SELECT ${columns} FROM ${old} ORDER BY id`);
  db.exec(`DROP TABLE ${old}`);
  for (const d of dependents) db.exec(d.sql);
  const after = db.prepare(`SELECT count(*) FROM print_jobs`).pluck().get() as number;
  if (after !== before) throw new Error(`migration ${self}: ${before} print jobs before, ${after} after`);
}
