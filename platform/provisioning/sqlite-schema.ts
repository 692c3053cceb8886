// Provisioning's tables on SQLite (the same rules in pg-schema.ts). What the database refuses
// (tests/integration/provisioning-db.test.ts attacks it directly):
// - history is append-only: agreements, service changes, people, training, fees, fault events
//   (no UPDATE, no DELETE, no INSERT OR REPLACE over an existing row);
// - a station's details are fixed once provisioned; only its profile version moves, upwards;
// - an authorisation changes only to be revoked, once; a certificate likewise;
// - an activation code is used once, before it expires;
// - a fault moves received → handled | escalated → closed, and a closed fault stays closed.
import type { NamedMigration } from '../store/sqlite-migrations';
import { SQLITE, appendOnlyTriggers, noReplaceTrigger, refuseTrigger } from '../../shared/ddl';
import { centralMonthCountsTable, historyTables, provisioningMigrations, provisioningTables } from './tables';

/** Kept rows: never deleted, and no INSERT OR REPLACE over one whose key (`existing`) is taken. */
const kept = (table: string, existing: string): string =>
  `${refuseTrigger(`${table}_no_delete`, 'DELETE', table, `${table}: append-only`)}
${noReplaceTrigger(table, existing, `${table}: append-only`)}`;

/** History: never updated, deleted nor replaced. */
const appendOnly = (table: string): string => `
${appendOnlyTriggers(table, `${table}: append-only`, 'id = NEW.id')}`;

const D = SQLITE;
const T = provisioningTables(D);

export const PROVISIONING_SQLITE_MIGRATIONS: NamedMigration[] = provisioningMigrations(D, {
  tables: /* sql */ `
${T.stations}
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

${historyTables(D, appendOnly)}

${T.authorisations}
CREATE TRIGGER prov_authorisations_revoke_only BEFORE UPDATE ON prov_authorisations
WHEN OLD.revoked_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.person_id IS NOT OLD.person_id
  OR NEW.document_no IS NOT OLD.document_no OR NEW.scope IS NOT OLD.scope
  OR NEW.valid_from IS NOT OLD.valid_from OR NEW.valid_to IS NOT OLD.valid_to
  OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
BEGIN SELECT RAISE(ABORT, 'prov_authorisations: only revoked, once'); END;
${kept('prov_authorisations', 'id = NEW.id')}

${T.trainings}
${appendOnly('prov_trainings')}

${T.fees}
${appendOnly('prov_fees')}

${T.activationCodes}
CREATE TRIGGER prov_activation_codes_once BEFORE UPDATE ON prov_activation_codes
WHEN OLD.used_at IS NOT NULL OR NEW.used_at IS NULL OR NEW.used_at >= OLD.expires_at
  OR NEW.code_hash IS NOT OLD.code_hash OR NEW.institution_no IS NOT OLD.institution_no
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.expires_at IS NOT OLD.expires_at
  OR NEW.issued_by IS NOT OLD.issued_by
BEGIN SELECT RAISE(ABORT, 'ACTIVATION_CODE_INVALID'); END;
${kept('prov_activation_codes', 'code_hash = NEW.code_hash')}

${T.certificates}
CREATE TRIGGER prov_certificates_revoke_only BEFORE UPDATE ON prov_certificates
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.serial IS NOT OLD.serial
  OR NEW.institution_no IS NOT OLD.institution_no OR NEW.public_key IS NOT OLD.public_key
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.expires_at IS NOT OLD.expires_at OR NEW.seq IS NOT OLD.seq
BEGIN SELECT RAISE(ABORT, 'prov_certificates: only revoked, once'); END;
${kept('prov_certificates', 'serial = NEW.serial OR seq = NEW.seq')}

-- A station's key changes only to the key of its newest certificate.
CREATE TRIGGER stations_key_from_certificate BEFORE UPDATE OF public_key ON stations
WHEN NEW.public_key IS NOT OLD.public_key AND NEW.public_key IS NOT
  (SELECT public_key FROM prov_certificates WHERE institution_no = NEW.institution_no ORDER BY seq DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'stations: a key is replaced only by binding a certificate'); END;

${T.faultEvents}
${appendOnly('prov_fault_events')}
CREATE TRIGGER prov_fault_events_path BEFORE INSERT ON prov_fault_events
WHEN COALESCE((SELECT status FROM prov_fault_events WHERE institution_no = NEW.institution_no
                 AND fault_ref = NEW.fault_ref ORDER BY id DESC LIMIT 1), 'received')
     NOT IN (CASE NEW.status WHEN 'closed' THEN 'handled' ELSE 'received' END,
             CASE NEW.status WHEN 'closed' THEN 'escalated' WHEN 'escalated' THEN 'handled' ELSE 'received' END)
BEGIN SELECT RAISE(ABORT, 'FAULT_TRANSITION'); END;
`,
  // MON-2 from the central journal (issue 11 item 5): a provisioned station's monthly count is
  // what the platform itself booked — bill payments, less declines and reversals — kept up to
  // date by the journal's own insert; a station known only from uploads keeps its uploads.
  centralCounts: /* sql */ `
${centralMonthCountsTable(D)}
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
});
