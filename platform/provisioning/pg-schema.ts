// Provisioning's tables on PostgreSQL: the same rules as sqlite-schema.ts, enforced by CHECKs
// and triggers (UPDATE/DELETE/TRUNCATE of history refused; ON CONFLICT DO UPDATE is an UPDATE).
import type { NamedMigration } from '../store/sqlite-migrations';
import { officeAppendOnly, officeNoDelete, pgUpdateGuard } from '../store/pg-ddl';
import { POSTGRES } from '../../shared/ddl';
import { centralMonthCountsTable, historyTables, provisioningMigrations, provisioningTables } from './tables';

const appendOnly = (table: string): string => `
${officeAppendOnly(table)}`;
const noDelete = (table: string): string => `
${officeNoDelete(table, 'append-only')}`;

const D = POSTGRES;
const T = provisioningTables(D);

export const PROVISIONING_PG_MIGRATIONS: NamedMigration[] = provisioningMigrations(D, {
  tables: /* sql */ `
${T.stations}
${pgUpdateGuard(
  'prov_stations_fixed',
  'prov_stations',
  `NEW.institution_no IS DISTINCT FROM OLD.institution_no OR NEW.station_type IS DISTINCT FROM OLD.station_type
     OR NEW.address IS DISTINCT FROM OLD.address OR NEW.branch_code IS DISTINCT FROM OLD.branch_code
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR NEW.profile_version <= OLD.profile_version`,
  'prov_stations: details are fixed; the profile version only rises',
)}
${noDelete('prov_stations')}

${historyTables(D, appendOnly)}

${T.authorisations}
${pgUpdateGuard(
  'prov_authorisations_revoke_only',
  'prov_authorisations',
  `OLD.revoked_at IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id OR NEW.person_id IS DISTINCT FROM OLD.person_id
     OR NEW.document_no IS DISTINCT FROM OLD.document_no OR NEW.scope IS DISTINCT FROM OLD.scope
     OR NEW.valid_from IS DISTINCT FROM OLD.valid_from OR NEW.valid_to IS DISTINCT FROM OLD.valid_to
     OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by`,
  'prov_authorisations: only revoked, once',
)}
${noDelete('prov_authorisations')}

${T.trainings}
${appendOnly('prov_trainings')}

${T.fees}
${appendOnly('prov_fees')}

${T.activationCodes}
${pgUpdateGuard(
  'prov_activation_codes_once',
  'prov_activation_codes',
  `OLD.used_at IS NOT NULL OR NEW.used_at IS NULL OR NEW.used_at >= OLD.expires_at
     OR NEW.code_hash IS DISTINCT FROM OLD.code_hash OR NEW.institution_no IS DISTINCT FROM OLD.institution_no
     OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
     OR NEW.issued_by IS DISTINCT FROM OLD.issued_by`,
  'ACTIVATION_CODE_INVALID',
)}
${noDelete('prov_activation_codes')}

${T.certificates}
${pgUpdateGuard(
  'prov_certificates_revoke_only',
  'prov_certificates',
  `OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.serial IS DISTINCT FROM OLD.serial
     OR NEW.institution_no IS DISTINCT FROM OLD.institution_no OR NEW.public_key IS DISTINCT FROM OLD.public_key
     OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
     OR NEW.seq IS DISTINCT FROM OLD.seq`,
  'prov_certificates: only revoked, once',
)}
${noDelete('prov_certificates')}

-- A station's key changes only to the key of its newest certificate.
${pgUpdateGuard(
  'stations_key_from_certificate',
  'stations',
  `NEW.public_key IS DISTINCT FROM OLD.public_key AND NEW.public_key IS DISTINCT FROM
     (SELECT public_key FROM prov_certificates WHERE institution_no = NEW.institution_no ORDER BY seq DESC LIMIT 1)`,
  'stations: a key is replaced only by binding a certificate',
)}

${T.faultEvents}
${appendOnly('prov_fault_events')}
CREATE OR REPLACE FUNCTION prov_fault_events_path() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE prior TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(NEW.institution_no || '|' || NEW.fault_ref));
  SELECT status INTO prior FROM prov_fault_events
   WHERE institution_no = NEW.institution_no AND fault_ref = NEW.fault_ref ORDER BY id DESC LIMIT 1;
  prior := COALESCE(prior, 'received');
  IF NOT ((NEW.status = 'handled' AND prior = 'received')
       OR (NEW.status = 'escalated' AND prior IN ('received', 'handled'))
       OR (NEW.status = 'closed' AND prior IN ('handled', 'escalated'))) THEN
    RAISE EXCEPTION 'FAULT_TRANSITION';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER prov_fault_events_path BEFORE INSERT ON prov_fault_events
FOR EACH ROW EXECUTE FUNCTION prov_fault_events_path();
`,
  centralCounts: /* sql */ `
${centralMonthCountsTable(D)}
CREATE OR REPLACE FUNCTION journal_month_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind IN ('bill_payment', 'decline', 'reversal') THEN
    INSERT INTO central_month_counts (institution_no, month, count)
    -- A decline or reversal cancels its payment in the payment's own month (same ref).
    VALUES (NEW.institution_no,
            to_char((COALESCE((SELECT j.at FROM journal j WHERE j.institution_no = NEW.institution_no
                                 AND j.ref = NEW.ref AND j.kind = 'bill_payment' LIMIT 1), NEW.at)::timestamptz
                     AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM'),
            CASE NEW.kind WHEN 'bill_payment' THEN 1 ELSE 0 END)
    ON CONFLICT (institution_no, month) DO UPDATE
      SET count = greatest(0, central_month_counts.count + CASE NEW.kind WHEN 'bill_payment' THEN 1 ELSE -1 END);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER journal_month_count AFTER INSERT ON journal FOR EACH ROW EXECUTE FUNCTION journal_month_count();
${noDelete('central_month_counts')}
INSERT INTO central_month_counts (institution_no, month, count)
SELECT institution_no, to_char((at::timestamptz AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM'),
       greatest(0, sum(CASE kind WHEN 'bill_payment' THEN 1 ELSE -1 END))
FROM journal WHERE kind IN ('bill_payment', 'decline', 'reversal') GROUP BY 1, 2;

CREATE VIEW mon2_month_counts AS
SELECT c.institution_no, c.month, c.count FROM central_month_counts c
WHERE EXISTS (SELECT 1 FROM prov_stations p WHERE p.institution_no = c.institution_no)
UNION ALL
SELECT m.institution_no, m.month, m.count FROM month_counts m
WHERE NOT EXISTS (SELECT 1 FROM prov_stations p WHERE p.institution_no = m.institution_no);
`,
});
