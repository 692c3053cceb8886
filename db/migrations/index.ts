// Migrations by PRAGMA user_version, one file each, applied in order. Never edit a shipped one:
// add the next file.
import * as m001 from './001-ledger';
import * as m002 from './002-print-queue';
import * as m003 from './003-day-close';
import * as m004 from './004-monitor-outbox'; // MON-2/MON-3 upload outbox (issue 5)
import * as m005 from './005-z-slip-print-jobs'; // Z slips through the print queue (issue 8)

export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005];
