// Backups of the ledger: consistent online copies, after a close and daily, none half-written.
import { describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  backupDir,
  backupIfStale,
  backupInBackground,
  backupNow,
  BACKUPS_KEPT,
} from '../../backend/services/backup';
import { testBackend, topUp } from '../helpers/backend';

describe('ledger backups', () => {
  it('an online backup is a consistent copy of the ledger, taken while it is in use', async () => {
    const b = await testBackend();
    try {
      await topUp(b, '123.45');
      const file = await backupNow(b.db, 'test');
      const copy = new Database(file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const bal = copy
        .prepare(`SELECT balance_after_fen FROM postings WHERE account = 'float' ORDER BY id DESC LIMIT 1`)
        .pluck()
        .get();
      expect(bal).toBe(12345);
      copy.close();
      expect(fs.readdirSync(backupDir(b.db)).some((f) => f.endsWith('.part'))).toBe(false);
    } finally {
      b.close();
    }
  });

  it('a daily backup is taken at start only when the newest is over a day old; old ones are pruned', async () => {
    const b = await testBackend();
    try {
      const t0 = new Date('2026-11-28T02:00:00Z');
      expect(await backupIfStale(b.db, t0)).not.toBeNull();
      expect(await backupIfStale(b.db, t0)).toBeNull();
      const dir = backupDir(b.db);
      for (let i = 0; i < BACKUPS_KEPT + 3; i++)
        await backupNow(b.db, `n${i}`, new Date(t0.getTime() + (i + 1) * 1000));
      const kept = fs.readdirSync(dir).filter((f) => f.startsWith('station-'));
      expect(kept).toHaveLength(BACKUPS_KEPT);
      expect(kept.some((f) => f.endsWith(`-n${BACKUPS_KEPT + 2}.sqlite`))).toBe(true);
      expect(path.basename(dir)).toBe('backups');
    } finally {
      b.close();
    }
  });

  it('a background backup cut short by closing the ledger is not reported as a failure; one that fails otherwise is', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const b = await testBackend();
      await topUp(b, '10.00');
      backupInBackground(b.db, 'closing');
      b.close(); // the app stops while the copy is being made
      await new Promise((r) => setTimeout(r, 200));
      expect(errors.mock.calls.filter((c) => String(c[0]).includes('backup failed'))).toEqual([]);

      const c = await testBackend();
      try {
        // The backups folder is a file: a real failure, logged.
        fs.writeFileSync(backupDir(c.db), 'not a folder');
        backupInBackground(c.db, 'broken');
        await vi.waitFor(() =>
          expect(errors.mock.calls.some((x) => String(x[0]).includes('backup failed'))).toBe(true),
        );
      } finally {
        c.close();
      }
    } finally {
      errors.mockRestore();
    }
  });
});
