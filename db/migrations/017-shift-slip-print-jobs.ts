// Migration 017: the shift X report prints at the handover (issue 12 item 4) through the durable
// print queue like every other slip, so print_jobs.kind gains 'shift_slip'. As in migration 011:
// SQLite cannot change a CHECK in place, so the table is rebuilt with its rows, and its indexes and
// triggers are put back exactly as the database holds them, read from sqlite_master.
import type Database from 'better-sqlite3';
import { rebuildPrintJobsKinds } from './print-jobs-rebuild';

export const version = 17;

const KINDS_011 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip', 'x_slip')";
const KINDS_017 =
  "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip', 'x_slip', 'shift_slip')";

export const sql = '';

export function up(db: Database.Database): void {
  rebuildPrintJobsKinds(db, { version: 17, madeBy: '011', from: KINDS_011, to: KINDS_017 });
}
