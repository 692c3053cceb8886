// Migration 017: the shift X report prints at the handover (issue 12 item 4) through the durable
// print queue like every other slip, so print_jobs.kind gains 'shift_slip'. As in migration 011:
// SQLite cannot change a CHECK in place, so the table is rebuilt with its rows, and its indexes and
// triggers are put back exactly as the database holds them, read from sqlite_master.
import type Database from 'better-sqlite3';

export const version = 17;

const KINDS_011 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip', 'x_slip')";
const KINDS_017 =
  "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip', 'x_slip', 'shift_slip')";

export const sql = '';

export function up(db: Database.Database): void {
  const table = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'print_jobs'`)
    .pluck()
    .get() as string | undefined;
  if (!table?.includes(KINDS_011))
    throw new Error('migration 017: print_jobs is not as migration 011 made it');
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
  db.exec(`ALTER TABLE print_jobs RENAME TO print_jobs_v16`);
  db.exec(table.replace(KINDS_011, KINDS_017));
  db.exec(`INSERT INTO print_jobs (${columns}) SELECT ${columns} FROM print_jobs_v16 ORDER BY id`);
  db.exec(`DROP TABLE print_jobs_v16`);
  for (const d of dependents) db.exec(d.sql);
  const after = db.prepare(`SELECT count(*) FROM print_jobs`).pluck().get() as number;
  if (after !== before) throw new Error(`migration 017: ${before} print jobs before, ${after} after`);
}
