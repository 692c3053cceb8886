// Backups of the station's ledger: better-sqlite3's online backup (the database stays in use),
// after every Z close and, at start, when the newest backup is more than a day old. A migration
// takes its own backup before it runs (db/open.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/open';

/** Keep about two months of daily backups; a ledger file is small. */
export const BACKUPS_KEPT = 60;
export const BACKUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function backupDir(db: Db): string {
  return path.join(path.dirname(db.name), 'backups');
}

function scheduled(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('station-') && f.endsWith('.sqlite') && !f.includes('-before-v'))
    .sort();
}

/** Takes a consistent copy now; prunes the oldest beyond BACKUPS_KEPT. Returns its path. */
export async function backupNow(db: Db, label: string, now = new Date()): Promise<string> {
  const dir = backupDir(db);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = path.join(dir, `station-${stamp}-${label}.sqlite`);
  // Written under another name and renamed when complete: a crash mid-copy leaves no half backup
  // that looks like a good one.
  await db.backup(`${target}.part`);
  fs.renameSync(`${target}.part`, target);
  // A copy interrupted earlier (the app closed mid-backup) is not a backup; one still being
  // written by a concurrent call is younger than an hour.
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (f.endsWith('.part') && now.getTime() - fs.statSync(p).mtimeMs > 3_600_000)
      fs.rmSync(p, { force: true });
  }
  const all = scheduled(dir);
  for (const old of all.slice(0, Math.max(0, all.length - BACKUPS_KEPT)))
    fs.rmSync(path.join(dir, old), { force: true });
  return target;
}

/** At start: a backup if none was taken in the last day. */
export async function backupIfStale(db: Db, now = new Date()): Promise<string | null> {
  const dir = backupDir(db);
  const newest = scheduled(dir).at(-1);
  if (newest && now.getTime() - fs.statSync(path.join(dir, newest)).mtimeMs < BACKUP_MAX_AGE_MS) return null;
  return backupNow(db, 'daily', now);
}

/** A background backup's failure is logged — unless the ledger was closed under it (the app is
 *  stopping): that copy is simply not taken, its `.part` file is removed by a later backup, and
 *  the next start takes a daily one if it is due. */
export function reportBackupFailure(db: Db, e: unknown): void {
  if (!db.open) return;
  console.error('[yizhan] backup failed:', e);
}

/** Fire-and-forget for hot paths: a failed backup is logged, never a failed close. */
export function backupInBackground(db: Db, label: string): void {
  void backupNow(db, label).catch((e) => reportBackupFailure(db, e));
}
