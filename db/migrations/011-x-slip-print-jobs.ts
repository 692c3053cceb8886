// Migration 011: the X report prints (issue 13 problem 10) through the durable print queue like
// every other slip, so print_jobs.kind gains 'x_slip'. SQLite cannot change a CHECK in place: the
// table is rebuilt with its rows, and its indexes and triggers are put back exactly as the
// database holds them (migrations 002, 004, 005 and 006 made them), read from sqlite_master.
import type Database from 'better-sqlite3';

export const version = 11;

const KINDS_005 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip')";
const KINDS_011 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip', 'x_slip')";

export const sql = '';

export function up(db: Database.Database): void {
  const table = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'print_jobs'`)
    .pluck()
    .get() as string | undefined;
  if (!table?.includes(KINDS_005))
    throw new Error('migration 011: print_jobs is not as migration 005 made it');
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
  for (const d of dependents) if (d.type === 'trigger') db.exec(`DROP TRIGGER ${d.name}`);
  db.exec(`ALTER TABLE print_jobs RENAME TO print_jobs_v10`);
  db.exec(table.replace(KINDS_005, KINDS_011));
  db.exec(`INSERT INTO print_jobs (${columns}) SELECT ${columns} FROM print_jobs_v10 ORDER BY id`);
  db.exec(`DROP TABLE print_jobs_v10`);
  for (const d of dependents) db.exec(d.sql);
  const after = db.prepare(`SELECT count(*) FROM print_jobs`).pluck().get() as number;
  if (after !== before) throw new Error(`migration 011: ${before} print jobs before, ${after} after`);
}
