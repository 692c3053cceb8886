// Provisioning's tables on SQLite (the same rules in pg-schema.ts). What the database refuses
// (tests/integration/provisioning-db.test.ts attacks it directly):
// - history is append-only: agreements, service changes, people, training, fees, fault events
//   (no UPDATE, no DELETE, no INSERT OR REPLACE over an existing row);
// - a station's details are fixed once provisioned; only its profile version moves, upwards;
// - an authorisation changes only to be revoked, once; a certificate likewise;
// - an activation code is used once, before it expires;
// - a fault moves received → handled | escalated → closed, and a closed fault stays closed.
import type { NamedMigration } from '../store/sqlite-migrations';

const appendOnly = (table: string, key = 'id'): string => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table}: append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table}: append-only'); END;
CREATE TRIGGER ${table}_no_replace BEFORE INSERT ON ${table}
WHEN EXISTS (SELECT 1 FROM ${table} WHERE ${key} = NEW.${key})
BEGIN SELECT RAISE(ABORT, '${table}: append-only'); END;`;

const SUBJECTS = `'operation', 'water', 'electricity', 'gas', 'telephone'`;
const SERVICES = `'water', 'electricity', 'gas', 'telephone'`;

export const PROVISIONING_SQLITE_MIGRATIONS: NamedMigration[] = [
  {
    id: 'provisioning-001',
    sql: /* sql */ `
CREATE TABLE prov_stations (
  institution_no TEXT PRIMARY KEY REFERENCES stations(institution_no),
  station_type TEXT NOT NULL CHECK (station_type IN ('newsstand', 'village', 'agency', 'other')),
  address TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 120),
  branch_code TEXT NOT NULL CHECK (length(branch_code) BETWEEN 1 AND 20),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  profile_version INTEGER NOT NULL DEFAULT 1 CHECK (profile_version >= 1)
) STRICT;
CREATE TRIGGER prov_stations_fixed BEFORE UPDATE ON prov_stations
WHEN NEW.institution_no IS NOT OLD.institution_no OR NEW.station_type IS NOT OLD.station_type
  OR NEW.address IS NOT OLD.address OR NEW.branch_code IS NOT OLD.branch_code
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
  OR NEW.profile_version <= OLD.profile_version
BEGIN SELECT RAISE(ABORT, 'prov_stations: details are fixed; the profile version only rises'); END;
CREATE TRIGGER prov_stations_no_delete BEFORE DELETE ON prov_stations
BEGIN SELECT RAISE(ABORT, 'prov_stations: a station is never deleted'); END;
CREATE TRIGGER prov_stations_no_replace BEFORE INSERT ON prov_stations
WHEN EXISTS (SELECT 1 FROM prov_stations WHERE institution_no = NEW.institution_no)
BEGIN SELECT RAISE(ABORT, 'prov_stations: already provisioned'); END;

CREATE TABLE prov_agreements (
  id INTEGER PRIMARY KEY,
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  start_day TEXT NOT NULL,
  end_day TEXT NOT NULL,
  deposit_fen INTEGER NOT NULL CHECK (deposit_fen >= 0),
  deposit_receipt_no TEXT NOT NULL CHECK (length(deposit_receipt_no) BETWEEN 1 AND 40),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  CHECK (end_day > start_day)
) STRICT;
CREATE INDEX prov_agreements_station ON prov_agreements (institution_no, id);
${appendOnly('prov_agreements')}

CREATE TABLE prov_services (
  id INTEGER PRIMARY KEY,
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  service TEXT NOT NULL CHECK (service IN (${SERVICES})),
  opened INTEGER NOT NULL CHECK (opened IN (0, 1)),
  at TEXT NOT NULL,
  by_user TEXT NOT NULL
) STRICT;
CREATE INDEX prov_services_station ON prov_services (institution_no, service, id);
${appendOnly('prov_services')}

CREATE TABLE prov_people (
  id INTEGER PRIMARY KEY,
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  role TEXT NOT NULL CHECK (role IN ('holder', 'delegate')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
  id_masked TEXT NOT NULL CHECK (length(id_masked) BETWEEN 4 AND 24 AND id_masked LIKE '%*%'),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX prov_people_one_holder ON prov_people (institution_no) WHERE role = 'holder';
CREATE INDEX prov_people_station ON prov_people (institution_no, id);
${appendOnly('prov_people')}

CREATE TABLE prov_authorisations (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES prov_people(id),
  document_no TEXT NOT NULL CHECK (length(document_no) BETWEEN 1 AND 40),
  scope TEXT NOT NULL CHECK (json_valid(scope) AND json_type(scope) = 'array'),
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  CHECK (valid_to >= valid_from),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
) STRICT;
CREATE INDEX prov_authorisations_person ON prov_authorisations (person_id);
CREATE TRIGGER prov_authorisations_revoke_only BEFORE UPDATE ON prov_authorisations
WHEN OLD.revoked_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.person_id IS NOT OLD.person_id
  OR NEW.document_no IS NOT OLD.document_no OR NEW.scope IS NOT OLD.scope
  OR NEW.valid_from IS NOT OLD.valid_from OR NEW.valid_to IS NOT OLD.valid_to
  OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
BEGIN SELECT RAISE(ABORT, 'prov_authorisations: only revoked, once'); END;
CREATE TRIGGER prov_authorisations_no_delete BEFORE DELETE ON prov_authorisations
BEGIN SELECT RAISE(ABORT, 'prov_authorisations: append-only'); END;
CREATE TRIGGER prov_authorisations_no_replace BEFORE INSERT ON prov_authorisations
WHEN EXISTS (SELECT 1 FROM prov_authorisations WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'prov_authorisations: append-only'); END;

CREATE TABLE prov_trainings (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES prov_people(id),
  subject TEXT NOT NULL CHECK (subject IN (${SUBJECTS})),
  trained_on TEXT NOT NULL,
  trainer TEXT NOT NULL CHECK (length(trainer) BETWEEN 1 AND 32),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX prov_trainings_person ON prov_trainings (person_id);
${appendOnly('prov_trainings')}

CREATE TABLE prov_fees (
  id INTEGER PRIMARY KEY,
  service TEXT NOT NULL CHECK (service IN (${SERVICES})),
  fee_fen INTEGER NOT NULL CHECK (fee_fen BETWEEN 0 AND 10000),
  effective_from TEXT NOT NULL,
  set_at TEXT NOT NULL,
  set_by TEXT NOT NULL
) STRICT;
${appendOnly('prov_fees')}

CREATE TABLE prov_activation_codes (
  code_hash TEXT PRIMARY KEY CHECK (length(code_hash) = 64),
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  used_at TEXT,
  CHECK (expires_at > issued_at)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER prov_activation_codes_once BEFORE UPDATE ON prov_activation_codes
WHEN OLD.used_at IS NOT NULL OR NEW.used_at IS NULL OR NEW.used_at >= OLD.expires_at
  OR NEW.code_hash IS NOT OLD.code_hash OR NEW.institution_no IS NOT OLD.institution_no
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.expires_at IS NOT OLD.expires_at
  OR NEW.issued_by IS NOT OLD.issued_by
BEGIN SELECT RAISE(ABORT, 'ACTIVATION_CODE_INVALID'); END;
CREATE TRIGGER prov_activation_codes_no_delete BEFORE DELETE ON prov_activation_codes
BEGIN SELECT RAISE(ABORT, 'prov_activation_codes: append-only'); END;
CREATE TRIGGER prov_activation_codes_no_replace BEFORE INSERT ON prov_activation_codes
WHEN EXISTS (SELECT 1 FROM prov_activation_codes WHERE code_hash = NEW.code_hash)
BEGIN SELECT RAISE(ABORT, 'prov_activation_codes: append-only'); END;

CREATE TABLE prov_certificates (
  serial TEXT PRIMARY KEY CHECK (length(serial) BETWEEN 8 AND 64),
  institution_no TEXT NOT NULL REFERENCES stations(institution_no),
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  revoke_reason TEXT,
  seq INTEGER NOT NULL UNIQUE,
  CHECK (expires_at > issued_at),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
) STRICT;
CREATE INDEX prov_certificates_station ON prov_certificates (institution_no, seq);
CREATE TRIGGER prov_certificates_revoke_only BEFORE UPDATE ON prov_certificates
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.serial IS NOT OLD.serial
  OR NEW.institution_no IS NOT OLD.institution_no OR NEW.public_key IS NOT OLD.public_key
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.expires_at IS NOT OLD.expires_at OR NEW.seq IS NOT OLD.seq
BEGIN SELECT RAISE(ABORT, 'prov_certificates: only revoked, once'); END;
CREATE TRIGGER prov_certificates_no_delete BEFORE DELETE ON prov_certificates
BEGIN SELECT RAISE(ABORT, 'prov_certificates: append-only'); END;
CREATE TRIGGER prov_certificates_no_replace BEFORE INSERT ON prov_certificates
WHEN EXISTS (SELECT 1 FROM prov_certificates WHERE serial = NEW.serial OR seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'prov_certificates: append-only'); END;

-- A station's key changes only to the key of its newest certificate.
CREATE TRIGGER stations_key_from_certificate BEFORE UPDATE OF public_key ON stations
WHEN NEW.public_key IS NOT OLD.public_key AND NEW.public_key IS NOT
  (SELECT public_key FROM prov_certificates WHERE institution_no = NEW.institution_no ORDER BY seq DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'stations: a key is replaced only by binding a certificate'); END;

CREATE TABLE prov_fault_events (
  id INTEGER PRIMARY KEY,
  institution_no TEXT NOT NULL REFERENCES stations(institution_no),
  fault_ref TEXT NOT NULL CHECK (length(fault_ref) BETWEEN 3 AND 100),
  status TEXT NOT NULL CHECK (status IN ('handled', 'escalated', 'closed')),
  note TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  at TEXT NOT NULL,
  by_user TEXT NOT NULL
) STRICT;
CREATE INDEX prov_fault_events_ref ON prov_fault_events (institution_no, fault_ref, id);
${appendOnly('prov_fault_events')}
CREATE TRIGGER prov_fault_events_path BEFORE INSERT ON prov_fault_events
WHEN COALESCE((SELECT status FROM prov_fault_events WHERE institution_no = NEW.institution_no
                 AND fault_ref = NEW.fault_ref ORDER BY id DESC LIMIT 1), 'received')
     NOT IN (CASE NEW.status WHEN 'closed' THEN 'handled' ELSE 'received' END,
             CASE NEW.status WHEN 'closed' THEN 'escalated' WHEN 'escalated' THEN 'handled' ELSE 'received' END)
BEGIN SELECT RAISE(ABORT, 'FAULT_TRANSITION'); END;
`,
  },
  {
    // MON-2 from the central journal (issue 11 item 5): a provisioned station's monthly count is
    // what the platform itself booked — bill payments, less declines and reversals — kept up to
    // date by the journal's own insert; a station known only from uploads keeps its uploads.
    id: 'provisioning-002-central-counts',
    sql: /* sql */ `
CREATE TABLE central_month_counts (
  institution_no TEXT NOT NULL REFERENCES stations(institution_no),
  month TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (institution_no, month)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER journal_month_count AFTER INSERT ON journal
WHEN NEW.kind IN ('bill_payment', 'decline', 'reversal')
BEGIN
  INSERT INTO central_month_counts (institution_no, month, count)
  -- A decline or reversal cancels its payment in the payment's own month (same ref).
  VALUES (NEW.institution_no,
          strftime('%Y-%m', COALESCE((SELECT j.at FROM journal j WHERE j.institution_no = NEW.institution_no
                                        AND j.ref = NEW.ref AND j.kind = 'bill_payment' LIMIT 1), NEW.at), '+8 hours'),
          CASE NEW.kind WHEN 'bill_payment' THEN 1 ELSE 0 END)
  ON CONFLICT (institution_no, month) DO UPDATE
    SET count = max(0, count + CASE NEW.kind WHEN 'bill_payment' THEN 1 ELSE -1 END);
END;
CREATE TRIGGER central_month_counts_no_delete BEFORE DELETE ON central_month_counts
BEGIN SELECT RAISE(ABORT, 'central_month_counts: derived from the journal'); END;
INSERT INTO central_month_counts (institution_no, month, count)
SELECT institution_no, strftime('%Y-%m', at, '+8 hours'),
       max(0, sum(CASE kind WHEN 'bill_payment' THEN 1 ELSE -1 END))
FROM journal WHERE kind IN ('bill_payment', 'decline', 'reversal') GROUP BY 1, 2;

CREATE VIEW mon2_month_counts AS
SELECT s.id AS station_id, c.month, c.count FROM central_month_counts c
JOIN stations s ON s.institution_no = c.institution_no
WHERE EXISTS (SELECT 1 FROM prov_stations p WHERE p.institution_no = c.institution_no)
UNION ALL
SELECT m.station_id, m.month, m.count FROM month_counts m
WHERE NOT EXISTS (SELECT 1 FROM prov_stations p JOIN stations s ON s.institution_no = p.institution_no
                  WHERE s.id = m.station_id);
`,
  },
  {
    // Takings due at each station's latest uploaded close (PAY-5), for the watch list.
    id: 'provisioning-003-takings',
    sql: /* sql */ `
CREATE TABLE station_takings (
  institution_no TEXT PRIMARY KEY REFERENCES stations(institution_no),
  day TEXT NOT NULL,
  takings_due_fen INTEGER NOT NULL CHECK (takings_due_fen >= 0),
  seq INTEGER NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
`,
  },
];
