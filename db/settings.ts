// The station's settings (table settings, migration 001): one key, one text value. The only
// place that reads or writes them; callers give meaning to keys and values.
import { stmt, type Db } from './open';

export function getSetting(db: Db, key: string): string | undefined {
  return stmt(db, `SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
}

/** Every setting whose key starts with `prefix` (e.g. 'printer.'). */
export function settingsWithPrefix(db: Db, prefix: string): Map<string, string> {
  const rows = stmt(db, `SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?`).all(
    prefix.length,
    prefix,
  ) as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Sets a key (insert or update); `null` removes it. */
export function setSetting(db: Db, key: string, value: string | null): void {
  if (value === null) stmt(db, `DELETE FROM settings WHERE key = ?`).run(key);
  else
    stmt(
      db,
      `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ).run(key, value);
}

/** Several keys in one transaction. */
export function setSettings(db: Db, values: ReadonlyArray<readonly [string, string]>): void {
  db.transaction(() => {
    for (const [k, v] of values) setSetting(db, k, v);
  })();
}
