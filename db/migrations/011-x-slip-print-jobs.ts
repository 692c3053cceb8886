// Migration 011: the X report prints (issue 13 problem 10) through the durable print queue like
// every other slip, so print_jobs.kind gains 'x_slip'. SQLite cannot change a CHECK in place: the
// table is rebuilt with its rows, and its indexes and triggers are put back exactly as the
// database holds them (migrations 002, 004, 005 and 006 made them), read from sqlite_master.
import type Database from 'better-sqlite3';
import { rebuildPrintJobsKinds } from './print-jobs-rebuild';

export const version = 11;

const KINDS_005 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip')";
const KINDS_011 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip', 'x_slip')";

export const sql = '';

export function up(db: Database.Database): void {
  rebuildPrintJobsKinds(db, { version: 11, madeBy: '005', from: KINDS_005, to: KINDS_011 });
}
