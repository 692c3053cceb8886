// Migration 005: Z slips (日终轧帐单) go through the durable print queue like every other slip
// (issue 8, one print pipeline): print_jobs.kind gains 'z_slip'. SQLite cannot change a CHECK in
// place, so the table is rebuilt with its rows. Its definition, indexes and triggers are taken
// from the shipped migrations 002 and 004 (which never change), with only the kind list widened.
import { sql as sql002 } from './002-print-queue';
import { sql as sql004 } from './004-monitor-outbox';

export const version = 5;

function between(text: string, from: string, to: string): string {
  const a = text.indexOf(from);
  const b = text.indexOf(to, a);
  if (a < 0 || b < 0) throw new Error(`migration 005: "${from}" not found`);
  return text.slice(a, b + to.length);
}

const KINDS_002 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page')";
const KINDS_005 = "kind IN ('bill_payment', 'reversal', 'top_up', 'test_page', 'z_slip')";
const table = between(sql002, 'CREATE TABLE print_jobs (', ') STRICT;');
if (!table.includes(KINDS_002)) throw new Error('migration 005: the kind list of 002 not found');
/** print_jobs' indexes and its four triggers, as 002 made them. */
const indexesAndTriggers = sql002.slice(sql002.indexOf('CREATE INDEX print_jobs_status')).trim();
if (!indexesAndTriggers.includes('print_jobs_no_delete'))
  throw new Error('migration 005: 002 not as shipped');
/** 004's printer-fault trigger on print_jobs. */
const faultTrigger = between(sql004, 'CREATE TRIGGER monitor_faults_printer', '\nEND;');

export const sql = /* sql */ `
-- 005: a Z slip printed while the printer is off waits in the queue and prints once, like a
-- receipt (ref 'z:<z_no>'; reprints marked 重印 n). z_prints stays the log of print requests.
DROP TRIGGER print_jobs_transition;
DROP TRIGGER print_jobs_fixed;
DROP TRIGGER print_jobs_printed_final;
DROP TRIGGER print_jobs_no_delete;
DROP TRIGGER monitor_faults_printer;
ALTER TABLE print_jobs RENAME TO print_jobs_v4;

${table.replace(KINDS_002, KINDS_005)}

INSERT INTO print_jobs (id, kind, ref, txn_id, serial, document, status, attempts, last_error, created_at,
                        claimed_at, printed_at, reprint_no, reprint_of)
  SELECT id, kind, ref, txn_id, serial, document, status, attempts, last_error, created_at,
         claimed_at, printed_at, reprint_no, reprint_of
  FROM print_jobs_v4 ORDER BY id;
DROP TABLE print_jobs_v4;

${indexesAndTriggers}
${faultTrigger}
`;
