// Named migrations, both engines: each step runs once, in list order, in its own transaction,
// and is recorded in platform_migrations. A step already recorded is skipped; a recorded step
// the code no longer knows stops the start (a newer platform wrote this database).
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { MONITOR_MIGRATION_ID, type NamedMigration } from './sqlite-migrations';

const TABLE = `CREATE TABLE IF NOT EXISTS platform_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`;

function unknownSteps(applied: Set<string>, steps: readonly NamedMigration[]): string[] {
  const known = new Set(steps.map((s) => s.id));
  return [...applied].filter((id) => !known.has(id));
}

export function migrateSqlite(db: Database.Database, steps: readonly NamedMigration[]): void {
  db.exec(TABLE);
  // A monitor database from before named steps: user_version 1 is the monitor's first schema.
  if (Number(db.pragma('user_version', { simple: true })) >= 1)
    db.prepare(`INSERT OR IGNORE INTO platform_migrations VALUES (?, ?)`).run(
      MONITOR_MIGRATION_ID,
      new Date().toISOString(),
    );
  const applied = new Set(db.prepare(`SELECT id FROM platform_migrations`).pluck().all() as string[]);
  const strange = unknownSteps(applied, steps);
  if (strange.length > 0)
    throw new Error(`database has migrations this platform does not know: ${strange.join(', ')}`);
  for (const step of steps) {
    if (applied.has(step.id)) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.prepare(`INSERT INTO platform_migrations VALUES (?, ?)`).run(step.id, new Date().toISOString());
      if (step.id === MONITOR_MIGRATION_ID) db.pragma('user_version = 1');
    }).immediate();
  }
}

export async function migratePg(pool: pg.Pool, steps: readonly NamedMigration[]): Promise<void> {
  const client = await pool.connect();
  try {
    // One migrator at a time (several platform processes may start together).
    await client.query(`SELECT pg_advisory_lock(7355608)`);
    await client.query(TABLE);
    const applied = new Set(
      (await client.query<{ id: string }>(`SELECT id FROM platform_migrations`)).rows.map((r) => r.id),
    );
    const strange = unknownSteps(applied, steps);
    if (strange.length > 0)
      throw new Error(`database has migrations this platform does not know: ${strange.join(', ')}`);
    for (const step of steps) {
      if (applied.has(step.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query(`INSERT INTO platform_migrations VALUES ($1, $2)`, [
          step.id,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${step.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(7355608)`).catch(() => undefined);
    client.release();
  }
}
