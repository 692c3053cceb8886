// Provisioning's tables, one description rendered for SQLite (sqlite-schema.ts) and PostgreSQL
// (pg-schema.ts); each schema adds its own triggers in its own dialect.
import type { Dialect } from '../../shared/ddl';
import type { NamedMigration } from '../store/sqlite-migrations';
import { BY_INSTITUTION_NO, monthCountsTable } from '../store/count-tables';

const SUBJECTS = `'operation', 'water', 'electricity', 'gas', 'telephone'`;
const SERVICES = `'water', 'electricity', 'gas', 'telephone'`;

/** provisioning-001's tables, each with its indexes. */
export const provisioningTables = (d: Dialect) => ({
  stations: `CREATE TABLE prov_stations (
  institution_no TEXT PRIMARY KEY REFERENCES stations(institution_no),
  station_type TEXT NOT NULL CHECK (station_type IN ('newsstand', 'village', 'agency', 'other')),
  address TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 120),
  branch_code TEXT NOT NULL CHECK (length(branch_code) BETWEEN 1 AND 20),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  profile_version ${d.int64} NOT NULL DEFAULT 1 CHECK (profile_version >= 1)
${d.end};`,

  agreements: `CREATE TABLE prov_agreements (
  id ${d.id},
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  start_day TEXT NOT NULL,
  end_day TEXT NOT NULL,
  deposit_fen ${d.int64} NOT NULL CHECK (deposit_fen >= 0),
  deposit_receipt_no TEXT NOT NULL CHECK (length(deposit_receipt_no) BETWEEN 1 AND 40),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  CHECK (end_day > start_day)
${d.end};
CREATE INDEX prov_agreements_station ON prov_agreements (institution_no, id);`,

  services: `CREATE TABLE prov_services (
  id ${d.id},
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  service TEXT NOT NULL CHECK (service IN (${SERVICES})),
  opened ${d.int16} NOT NULL CHECK (opened IN (0, 1)),
  at TEXT NOT NULL,
  by_user TEXT NOT NULL
${d.end};
CREATE INDEX prov_services_station ON prov_services (institution_no, service, id);`,

  people: `CREATE TABLE prov_people (
  id ${d.id},
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  role TEXT NOT NULL CHECK (role IN ('holder', 'delegate')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
  id_masked TEXT NOT NULL CHECK (length(id_masked) BETWEEN 4 AND 24 AND id_masked LIKE '%*%'),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
${d.end};
CREATE UNIQUE INDEX prov_people_one_holder ON prov_people (institution_no) WHERE role = 'holder';
CREATE INDEX prov_people_station ON prov_people (institution_no, id);`,

  authorisations: `CREATE TABLE prov_authorisations (
  id ${d.id},
  person_id ${d.int64} NOT NULL REFERENCES prov_people(id),
  document_no TEXT NOT NULL CHECK (length(document_no) BETWEEN 1 AND 40),
  scope TEXT NOT NULL CHECK (${d.jsonArray('scope')}),
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  CHECK (valid_to >= valid_from),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
${d.end};
CREATE INDEX prov_authorisations_person ON prov_authorisations (person_id);`,

  trainings: `CREATE TABLE prov_trainings (
  id ${d.id},
  person_id ${d.int64} NOT NULL REFERENCES prov_people(id),
  subject TEXT NOT NULL CHECK (subject IN (${SUBJECTS})),
  trained_on TEXT NOT NULL,
  trainer TEXT NOT NULL CHECK (length(trainer) BETWEEN 1 AND 32),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
${d.end};
CREATE INDEX prov_trainings_person ON prov_trainings (person_id);`,

  fees: `CREATE TABLE prov_fees (
  id ${d.id},
  service TEXT NOT NULL CHECK (service IN (${SERVICES})),
  fee_fen ${d.int64} NOT NULL CHECK (fee_fen BETWEEN 0 AND 10000),
  effective_from TEXT NOT NULL,
  set_at TEXT NOT NULL,
  set_by TEXT NOT NULL
${d.end};`,

  activationCodes: `CREATE TABLE prov_activation_codes (
  code_hash TEXT PRIMARY KEY CHECK (length(code_hash) = 64),
  institution_no TEXT NOT NULL REFERENCES prov_stations(institution_no),
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  used_at TEXT,
  CHECK (expires_at > issued_at)
${d.endKeyed};`,

  certificates: `CREATE TABLE prov_certificates (
  serial TEXT PRIMARY KEY CHECK (length(serial) BETWEEN 8 AND 64),
  institution_no TEXT NOT NULL REFERENCES stations(institution_no),
  public_key ${d.bytes} NOT NULL CHECK (length(public_key) = 32),
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  revoke_reason TEXT,
  seq ${d.int64} NOT NULL UNIQUE,
  CHECK (expires_at > issued_at),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
${d.end};
CREATE INDEX prov_certificates_station ON prov_certificates (institution_no, seq);`,

  faultEvents: `CREATE TABLE prov_fault_events (
  id ${d.id},
  institution_no TEXT NOT NULL REFERENCES stations(institution_no),
  fault_ref TEXT NOT NULL CHECK (length(fault_ref) BETWEEN 3 AND 100),
  status TEXT NOT NULL CHECK (status IN ('handled', 'escalated', 'closed')),
  note TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  at TEXT NOT NULL,
  by_user TEXT NOT NULL
${d.end};
CREATE INDEX prov_fault_events_ref ON prov_fault_events (institution_no, fault_ref, id);`,
});

/** provisioning-002: MON-2's monthly count per station from the central journal. */
export const centralMonthCountsTable = (d: Dialect): string =>
  monthCountsTable(d, 'central_month_counts', BY_INSTITUTION_NO);

/** provisioning-003: takings due at each station's latest uploaded close (PAY-5). */
export const provisioning003Takings = (d: Dialect): string => /* sql */ `
CREATE TABLE station_takings (
  institution_no TEXT PRIMARY KEY REFERENCES stations(institution_no),
  day TEXT NOT NULL,
  takings_due_fen ${d.int64} NOT NULL CHECK (takings_due_fen >= 0),
  seq ${d.int64} NOT NULL,
  received_at TEXT NOT NULL
${d.end};
`;

/**
 * provisioning-001's first history tables (agreements, service changes, people), each followed by
 * the schema's append-only guard in its own dialect.
 */
export function historyTables(d: Dialect, appendOnly: (table: string) => string): string {
  const t = provisioningTables(d);
  const history: [string, string][] = [
    ['prov_agreements', t.agreements],
    ['prov_services', t.services],
    ['prov_people', t.people],
  ];
  return history.map(([table, ddl]) => `${ddl}\n${appendOnly(table)}`).join('\n\n');
}

/** Provisioning's migrations in order, under the same ids on both engines: the tables and the
 *  central counts are written per engine (pg-schema.ts, sqlite-schema.ts), the takings here. */
export const provisioningMigrations = (
  d: Dialect,
  sql: { tables: string; centralCounts: string },
): NamedMigration[] => [
  { id: 'provisioning-001', sql: sql.tables },
  // MON-2 from the central journal: see sqlite-schema.ts.
  { id: 'provisioning-002-central-counts', sql: sql.centralCounts },
  // Takings due at each station's latest uploaded close (PAY-5), for the watch list.
  { id: 'provisioning-003-takings', sql: provisioning003Takings(d) },
];
