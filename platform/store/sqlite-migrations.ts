// The platform's SQLite schema: named steps, run once each in list order and recorded in
// platform_migrations (platform/store/migrate.ts). An area appends its own steps; a step is never
// edited once released. The first step is the monitor's schema (a monitor database from before
// named steps has user_version 1 and is taken as having run it).
import { PROVISIONING_SQLITE_MIGRATIONS } from '../provisioning/sqlite-schema';
import { OFFICE_SQLITE_MIGRATIONS } from '../office/sqlite-schema';
import { SQLITE_ACCOUNTS_001 } from './sqlite-accounts-schema';
import { SQLITE_ANCHORS_001 } from './chain-anchors';
import { SQLITE } from '../../shared/ddl';
import { BY_STATION_ID, dayCountsTable, monthCountsTable } from './count-tables';

export interface NamedMigration {
  id: string;
  sql: string;
}

export const MONITOR_MIGRATION_ID = 'monitor-001';

export const SQLITE_MIGRATIONS: NamedMigration[] = [
  {
    id: MONITOR_MIGRATION_ID,
    sql: /* sql */ `
CREATE TABLE stations (
  id INTEGER PRIMARY KEY,
  institution_no TEXT NOT NULL UNIQUE,          -- 机构号
  name TEXT NOT NULL,
  opening_date TEXT NOT NULL,                   -- MON-2 judges from here
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),  -- raw Ed25519
  registered_at TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  last_body_sha256 TEXT,                        -- replay (same bytes) vs conflict (other bytes)
  last_sent_at TEXT,
  last_upload_at TEXT
) STRICT;

-- One row per station and day: the latest upload's count (a re-upload replaces it).
${dayCountsTable(SQLITE, BY_STATION_ID)}

-- Monthly totals kept in step with day_counts in the same transaction: the fleet-wide rule
-- reads 36 rows a station instead of ~1,100.
${monthCountsTable(SQLITE, 'month_counts', BY_STATION_ID)}

-- MON-3: faults reported with a day; replaced with the day when it is re-uploaded.
CREATE TABLE faults (
  id INTEGER PRIMARY KEY,
  station_id INTEGER NOT NULL REFERENCES stations(id),
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL,
  seq INTEGER NOT NULL
) STRICT;
CREATE INDEX faults_station_day ON faults (station_id, day);
CREATE INDEX faults_at ON faults (at);

-- Every refused request, for whoever runs the monitor.
CREATE TABLE refusals (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  institution_no TEXT,
  code TEXT NOT NULL,
  status INTEGER NOT NULL,
  remote TEXT,
  details TEXT NOT NULL CHECK (json_valid(details))
) STRICT;
`,
  },
  { id: 'accounts-001', sql: SQLITE_ACCOUNTS_001 },
  ...OFFICE_SQLITE_MIGRATIONS,
  // 经营者, shown to the branch clerk with the station's name before a deposit.
  {
    id: 'stations-002-holder',
    sql: `ALTER TABLE stations ADD COLUMN holder TEXT CHECK (holder IS NULL OR length(holder) BETWEEN 1 AND 32);`,
  },
  // Each closed day's chain head as first uploaded; later different ones (chain-anchors.ts).
  { id: 'anchors-001', sql: SQLITE_ANCHORS_001 },
  // Stations, people, training, fees, certificates, fault handling (issue 11).
  ...PROVISIONING_SQLITE_MIGRATIONS,
  // MON-2's month count (provisioning-002) without searching the station's journal by ref on
  // every payment (a cost that grew with the journal): a bill payment counts in its own month;
  // a decline or reversal finds its payment's debit through the payment (its key is the ref),
  // and only a row without a payment searches the journal as before. As on PostgreSQL.
  {
    id: 'payments-004-month-count',
    sql: /* sql */ `
DROP TRIGGER journal_month_count;
CREATE TRIGGER journal_month_count AFTER INSERT ON journal
WHEN NEW.kind IN ('bill_payment', 'decline', 'reversal')
BEGIN
  INSERT INTO central_month_counts (institution_no, month, count)
  VALUES (NEW.institution_no,
          strftime('%Y-%m', CASE WHEN NEW.kind = 'bill_payment' THEN NEW.at ELSE COALESCE(
            (SELECT j.at FROM payments p
               JOIN journal j ON j.institution_no = p.institution_no AND j.entry_no = p.debit_entry_no
              WHERE p.institution_no = NEW.institution_no AND p.payment_key = NEW.ref),
            (SELECT j.at FROM journal j WHERE j.institution_no = NEW.institution_no
                AND j.ref = NEW.ref AND j.kind = 'bill_payment' LIMIT 1),
            NEW.at) END, '+8 hours'),
          CASE NEW.kind WHEN 'bill_payment' THEN 1 ELSE 0 END)
  ON CONFLICT (institution_no, month) DO UPDATE
    SET count = max(0, count + CASE NEW.kind WHEN 'bill_payment' THEN 1 ELSE -1 END);
END;
`,
  },
];
