// Migration 002: the durable print queue. See backend/printing/print-queue.ts.
export const version = 2;
export const sql = /* sql */ `
-- 002: receipts waiting for, being sent to, or printed on the printer.
-- A payment is committed whether or not its receipt prints (printer off, unplugged, out of
-- paper): the receipt waits here. Nothing prints twice by accident:
--   once per receipt      UNIQUE (ref, reprint_no): queueing the same receipt again is a no-op
--   claim before send     status 'printing' is set before the bytes go out
--   no silent resend      a job found 'printing' after a crash becomes 'uncertain'; only the
--                         operator decides (it printed / reprint it, marked 重印)
--   allowed moves         trigger print_jobs_transition
-- The document is the receipt as committed (JSON of shared/receipt.ts ReceiptDoc); it is never
-- rewritten. A reprint is a new job with reprint_no >= 1 whose document carries the 重印 mark.
CREATE TABLE print_jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('bill_payment', 'reversal', 'top_up', 'test_page')),
  ref TEXT NOT NULL,                       -- 'txn:<id>' or a free reference (test pages)
  txn_id INTEGER,                          -- the transaction, when there is one
  serial TEXT NOT NULL,
  document TEXT NOT NULL CHECK (json_valid(document)),
  status TEXT NOT NULL CHECK (status IN ('queued', 'printing', 'printed', 'failed', 'uncertain')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error TEXT,
  created_at TEXT NOT NULL,
  claimed_at TEXT,
  printed_at TEXT,
  reprint_no INTEGER NOT NULL DEFAULT 0 CHECK (reprint_no >= 0),
  reprint_of INTEGER REFERENCES print_jobs(id),
  UNIQUE (ref, reprint_no),
  CHECK ((status = 'printed') = (printed_at IS NOT NULL)),
  CHECK ((reprint_no = 0) = (reprint_of IS NULL)),
  CHECK (status = 'queued' OR claimed_at IS NOT NULL OR status = 'failed')
) STRICT;
CREATE INDEX print_jobs_status ON print_jobs(status, id);
CREATE INDEX print_jobs_txn ON print_jobs(txn_id) WHERE txn_id IS NOT NULL;

CREATE TRIGGER print_jobs_transition BEFORE UPDATE OF status ON print_jobs
WHEN NOT (
     OLD.status = NEW.status
  OR (OLD.status = 'queued'    AND NEW.status IN ('printing', 'failed'))
  OR (OLD.status = 'printing'  AND NEW.status IN ('printed', 'queued', 'uncertain', 'failed'))
  OR (OLD.status = 'uncertain' AND NEW.status IN ('printed', 'failed'))
)
BEGIN SELECT RAISE(ABORT, 'PRINT_JOB_TRANSITION'); END;

CREATE TRIGGER print_jobs_fixed BEFORE UPDATE OF kind, ref, txn_id, serial, document, created_at, reprint_no, reprint_of ON print_jobs
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
CREATE TRIGGER print_jobs_printed_final BEFORE UPDATE ON print_jobs
WHEN OLD.status = 'printed'
BEGIN SELECT RAISE(ABORT, 'PRINT_JOB_TRANSITION'); END;
CREATE TRIGGER print_jobs_no_delete BEFORE DELETE ON print_jobs
BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY'); END;
`;
