// The durable print queue's rows (table print_jobs, migrations 002 and 005). The rules — one job
// per slip, claimed before a byte is sent, never resent by itself when uncertain — live in
// backend/printing/print-queue.ts and in the table's triggers; this file only reads and writes.
import type { ReceiptKind } from '../shared/receipt';
import { stmt, type Db } from './open';

export type PrintJobStatus = 'queued' | 'printing' | 'printed' | 'failed' | 'uncertain';
export const PRINT_JOB_STATUSES: readonly PrintJobStatus[] = [
  'queued',
  'printing',
  'printed',
  'failed',
  'uncertain',
];

export interface PrintJobRow {
  id: number;
  kind: ReceiptKind;
  ref: string;
  txn_id: number | null;
  serial: string;
  document: string;
  status: PrintJobStatus;
  attempts: number;
  last_error: string | null;
  created_at: string;
  claimed_at: string | null;
  printed_at: string | null;
  reprint_no: number;
  reprint_of: number | null;
}

export interface NewPrintJob {
  kind: ReceiptKind;
  ref: string;
  txnId: number | null;
  serial: string;
  /** The document as JSON, stored as given (never rewritten). */
  document: string;
  createdAt: string;
  reprintNo: number;
  reprintOf: number | null;
}

export function insertPrintJob(db: Db, j: NewPrintJob): number {
  const info = stmt(
    db,
    `INSERT INTO print_jobs (kind, ref, txn_id, serial, document, status, created_at, reprint_no, reprint_of)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
  ).run(j.kind, j.ref, j.txnId, j.serial, j.document, j.createdAt, j.reprintNo, j.reprintOf);
  return Number(info.lastInsertRowid);
}

export function printJobById(db: Db, id: number): PrintJobRow | undefined {
  return stmt(db, `SELECT * FROM print_jobs WHERE id = ?`).get(id) as PrintJobRow | undefined;
}

/** The original (not a reprint) job of a slip. */
export function originalPrintJob(db: Db, ref: string): PrintJobRow | undefined {
  return stmt(db, `SELECT * FROM print_jobs WHERE ref = ? AND reprint_no = 0`).get(ref) as
    PrintJobRow | undefined;
}

/** The newest copy of a slip still waiting to print. */
export function waitingPrintJob(db: Db, ref: string): PrintJobRow | undefined {
  return stmt(
    db,
    `SELECT * FROM print_jobs WHERE ref = ? AND status = 'queued' ORDER BY id DESC LIMIT 1`,
  ).get(ref) as PrintJobRow | undefined;
}

/** The highest reprint number of a slip (0: only the original, or nothing). */
export function lastReprintNo(db: Db, ref: string): number {
  return (
    (stmt(db, `SELECT max(reprint_no) FROM print_jobs WHERE ref = ?`).pluck().get(ref) as number | null) ?? 0
  );
}

/** Every job of a slip (original and reprints), oldest first. */
export function printJobsOfRef(db: Db, ref: string): PrintJobRow[] {
  return stmt(db, `SELECT * FROM print_jobs WHERE ref = ? ORDER BY id`).all(ref) as PrintJobRow[];
}

/** Newest first: jobs in the given states, or (null) everything not yet printed, then the rest. */
export function listPrintJobs(
  db: Db,
  statuses: readonly PrintJobStatus[] | null,
  limit: number,
): PrintJobRow[] {
  if (statuses)
    return stmt(
      db,
      `SELECT * FROM print_jobs WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY id DESC LIMIT ?`,
    ).all(...statuses, limit) as PrintJobRow[];
  return stmt(db, `SELECT * FROM print_jobs ORDER BY (status = 'printed'), id DESC LIMIT ?`).all(
    limit,
  ) as PrintJobRow[];
}

export function printJobCounts(db: Db): { status: PrintJobStatus; n: number }[] {
  return stmt(db, `SELECT status, count(*) AS n FROM print_jobs GROUP BY status`).all() as {
    status: PrintJobStatus;
    n: number;
  }[];
}

/** Ids of the jobs waiting to print, oldest first. */
export function queuedPrintJobIds(db: Db): number[] {
  return stmt(db, `SELECT id FROM print_jobs WHERE status = 'queued' ORDER BY id`).pluck().all() as number[];
}

export function countQueuedPrintJobs(db: Db): number {
  return stmt(db, `SELECT count(*) FROM print_jobs WHERE status = 'queued'`).pluck().get() as number;
}

/** Claims a waiting job before its bytes are sent; false when it was not waiting any more. */
export function claimPrintJob(db: Db, id: number, at: string): boolean {
  return (
    stmt(
      db,
      `UPDATE print_jobs SET status = 'printing', attempts = attempts + 1, claimed_at = ?, last_error = NULL
       WHERE id = ? AND status = 'queued'`,
    ).run(at, id).changes === 1
  );
}

export function setPrintJobStatus(
  db: Db,
  id: number,
  status: PrintJobStatus,
  lastError: string | null,
): void {
  stmt(db, `UPDATE print_jobs SET status = ?, last_error = ? WHERE id = ?`).run(status, lastError, id);
}

export function markPrintJobPrinted(db: Db, id: number, at: string): void {
  stmt(db, `UPDATE print_jobs SET status = 'printed', printed_at = ?, last_error = NULL WHERE id = ?`).run(
    at,
    id,
  );
}

/** Every waiting job shows why it waits (without counting an attempt it did not have). */
export function noteWhyQueued(db: Db, lastError: string): void {
  stmt(db, `UPDATE print_jobs SET last_error = ? WHERE status = 'queued'`).run(lastError);
}

/** Jobs left 'printing' by a process that is gone become 'uncertain'; returns how many. */
export function markInterruptedUncertain(db: Db, lastError: string): number {
  return stmt(db, `UPDATE print_jobs SET status = 'uncertain', last_error = ? WHERE status = 'printing'`).run(
    lastError,
  ).changes;
}

/** How many copies of a slip reached the printer. */
export function printedCount(db: Db, ref: string): number {
  return stmt(db, `SELECT count(*) FROM print_jobs WHERE ref = ? AND status = 'printed'`)
    .pluck()
    .get(ref) as number;
}
