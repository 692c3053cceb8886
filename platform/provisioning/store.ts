// ProvisioningStore over the platform's SqlRunner: one implementation for both engines (the SQL
// is their common subset); the schemas differ per engine and the database enforces the rules.
// Every change that reaches a station's profile bumps its profile version in the same
// transaction (a fee change bumps every station's).
// Long on purpose (about 575 lines): one class implements the ProvisioningStore interface for
// both engines; each method is one transaction, and splitting the class would part the profile
// version bump from the changes that need it.
import type { ServiceId } from '../../shared/catalogue';
import type { Permission, StationType, TrainingSubject } from '../../shared/station-profile';
import { dbRefusalOf, triggerMessageOf, type SqlRunner, type Tx } from '../store/sql';
import {
  ProvisioningRefusal,
  type ActivationCodeRecord,
  type Agreement,
  type Authorisation,
  type Certificate,
  type FaultEvent,
  type FeeEntry,
  type NewProvisionedStation,
  type Person,
  type ProvisionedStation,
  type ProvisioningStore,
  type StationFile,
  type Training,
} from './types';

type Row = Record<string, unknown>;
/** How one field is read from its column. */
type Read<V> = (v: unknown) => V;
const s = (v: unknown): string => String(v);
const n = (v: unknown): number => Number(v);
const sn = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** A text column holding one of a closed set of values (the schema's CHECK keeps it so). */
const oneOf = <V extends string>(): Read<V> => s as Read<V>;

/** A record read from a row: each field from the column of the same name in snake_case (or the
 *  column given with it), through its reader. */
const reader =
  <T>(fields: { [K in keyof T]-?: Read<T[K]> | readonly [column: string, read: Read<T[K]>] }) =>
  (r: Row): T => {
    const out: Partial<T> = {};
    for (const key of Object.keys(fields) as Array<keyof T & string>) {
      const f = fields[key];
      const [column, read] =
        typeof f === 'function' ? [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f] : f;
      out[key] = read(r[column]);
    }
    return out as T;
  };

const STATION_SQL = `SELECT p.institution_no, st.name, p.station_type, p.address, p.branch_code, st.opening_date,
  p.created_at, p.created_by, p.profile_version
  FROM prov_stations p JOIN stations st ON st.institution_no = p.institution_no`;

const recorded = { recordedAt: s, recordedBy: s };
const created = { createdAt: s, createdBy: s };
const revoked = { revokedAt: sn, revokedBy: sn };

const toStation = reader<ProvisionedStation>({
  institutionNo: s,
  name: s,
  type: ['station_type', oneOf<StationType>()],
  address: s,
  branchCode: s,
  openingDate: s,
  ...created,
  profileVersion: n,
});
const toAgreement = reader<Agreement>({
  id: n,
  institutionNo: s,
  startDay: s,
  endDay: s,
  depositFen: n,
  depositReceiptNo: s,
  ...recorded,
});
const toPerson = reader<Person>({
  id: n,
  institutionNo: s,
  role: oneOf<Person['role']>(),
  name: s,
  idMasked: s,
  ...created,
});
const toAuthorisation = reader<Authorisation>({
  id: n,
  personId: n,
  documentNo: s,
  scope: (v) => JSON.parse(s(v)) as Permission[],
  validFrom: s,
  validTo: s,
  ...recorded,
  ...revoked,
});
const toTraining = reader<Training>({
  id: n,
  personId: n,
  subject: oneOf<TrainingSubject>(),
  trainedOn: s,
  trainer: s,
  ...recorded,
});
const toFee = reader<FeeEntry>({
  id: n,
  service: oneOf<ServiceId>(),
  feeFen: n,
  effectiveFrom: s,
  setAt: s,
  setBy: s,
});
const toCertificate = reader<Certificate>({
  serial: s,
  institutionNo: s,
  publicKey: (v) => new Uint8Array(v as Buffer),
  issuedAt: s,
  expiresAt: s,
  ...revoked,
  revokeReason: sn,
});
const toCode = reader<ActivationCodeRecord>({
  codeHash: s,
  institutionNo: s,
  issuedAt: s,
  expiresAt: s,
  issuedBy: s,
  usedAt: sn,
});
const toFaultEvent = reader<FaultEvent>({
  id: n,
  institutionNo: s,
  faultRef: s,
  status: oneOf<FaultEvent['status']>(),
  note: s,
  at: s,
  by: ['by_user', s],
});

const CERT_COLS = `serial, institution_no, public_key, issued_at, expires_at, revoked_at, revoked_by, revoke_reason`;

export class SqlProvisioningStore implements ProvisioningStore {
  constructor(private readonly db: SqlRunner) {}

  private async bump(tx: Tx, institutionNo: string | null): Promise<void> {
    if (institutionNo === null) {
      await tx.run(`UPDATE prov_stations SET profile_version = profile_version + 1`);
      return;
    }
    const changed = await tx.run(
      `UPDATE prov_stations SET profile_version = profile_version + 1 WHERE institution_no = $1`,
      [institutionNo],
    );
    if (changed === 0) throw new ProvisioningRefusal('UNKNOWN_STATION', { institutionNo });
  }

  async createStation(p: NewProvisionedStation): Promise<ProvisionedStation> {
    try {
      await this.db.write(async (tx) => {
        const taken = await tx.one(`SELECT 1 AS x FROM stations WHERE institution_no = $1`, [
          p.institutionNo,
        ]);
        if (taken && !p.adopt)
          throw new ProvisioningRefusal('STATION_EXISTS', { institutionNo: p.institutionNo });
        if (!taken)
          await tx.run(
            `INSERT INTO stations (institution_no, name, holder, opening_date, public_key, registered_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
            [p.institutionNo, p.name, p.holderName, p.openingDate, Buffer.from(p.sealedPublicKey), p.at],
          );
        await tx.run(
          `INSERT INTO prov_stations (institution_no, station_type, address, branch_code, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [p.institutionNo, p.type, p.address, p.branchCode, p.at, p.by],
        );
        await tx.run(
          `INSERT INTO prov_people (institution_no, role, name, id_masked, created_at, created_by)
           VALUES ($1, 'holder', $2, $3, $4, $5)`,
          [p.institutionNo, p.holderName, p.holderIdMasked, p.at, p.by],
        );
        await this.insertAgreement(tx, p.institutionNo, p.agreement, p.at, p.by);
        for (const service of p.services)
          await tx.run(
            `INSERT INTO prov_services (institution_no, service, opened, at, by_user) VALUES ($1, $2, 1, $3, $4)`,
            [p.institutionNo, service, p.at, p.by],
          );
      });
    } catch (e) {
      if (dbRefusalOf(e) === 'unique' || dbRefusalOf(e) === 'trigger')
        throw new ProvisioningRefusal('STATION_EXISTS', { institutionNo: p.institutionNo });
      throw e;
    }
    return (await this.station(p.institutionNo))!;
  }

  private insertAgreement(
    tx: Tx,
    institutionNo: string,
    a: { startDay: string; endDay: string; depositFen: number; depositReceiptNo: string },
    at: string,
    by: string,
  ): Promise<number> {
    return tx.run(
      `INSERT INTO prov_agreements (institution_no, start_day, end_day, deposit_fen, deposit_receipt_no, recorded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [institutionNo, a.startDay, a.endDay, a.depositFen, a.depositReceiptNo, at, by],
    );
  }

  station(institutionNo: string): Promise<ProvisionedStation | undefined> {
    return this.db.read(async (tx) => {
      const r = await tx.one<Row>(`${STATION_SQL} WHERE p.institution_no = $1`, [institutionNo]);
      return r ? toStation(r) : undefined;
    });
  }

  listStations(): Promise<ProvisionedStation[]> {
    return this.db.read(async (tx) =>
      (await tx.all<Row>(`${STATION_SQL} ORDER BY p.institution_no`)).map(toStation),
    );
  }

  stationFile(institutionNo: string): Promise<StationFile | undefined> {
    return this.db.read(async (tx) => {
      const r = await tx.one<Row>(`${STATION_SQL} WHERE p.institution_no = $1`, [institutionNo]);
      if (!r) return undefined;
      const agreement = await tx.one<Row>(
        `SELECT * FROM prov_agreements WHERE institution_no = $1 ORDER BY id DESC LIMIT 1`,
        [institutionNo],
      );
      const services = await tx.all<Row>(
        `SELECT service, opened FROM prov_services WHERE institution_no = $1 ORDER BY id`,
        [institutionNo],
      );
      const open = new Map<ServiceId, boolean>();
      for (const x of services) open.set(s(x['service']) as ServiceId, n(x['opened']) === 1);
      const people = (
        await tx.all<Row>(`SELECT * FROM prov_people WHERE institution_no = $1 ORDER BY id`, [institutionNo])
      ).map(toPerson);
      /** The rows of a per-person table (authorisations, trainings) for this station's people. */
      const ofPeople = (table: 'prov_authorisations' | 'prov_trainings') =>
        tx.all<Row>(
          `SELECT x.* FROM ${table} x JOIN prov_people p ON p.id = x.person_id
           WHERE p.institution_no = $1 ORDER BY x.id`,
          [institutionNo],
        );
      const auths = (await ofPeople('prov_authorisations')).map(toAuthorisation);
      const trainings = (await ofPeople('prov_trainings')).map(toTraining);
      const cert = await tx.one<Row>(
        `SELECT ${CERT_COLS} FROM prov_certificates WHERE institution_no = $1 ORDER BY seq DESC LIMIT 1`,
        [institutionNo],
      );
      const codes = (
        await tx.all<Row>(
          `SELECT * FROM prov_activation_codes WHERE institution_no = $1 ORDER BY issued_at DESC`,
          [institutionNo],
        )
      ).map(toCode);
      return {
        station: toStation(r),
        agreement: agreement ? toAgreement(agreement) : null,
        services: [...open].filter(([, o]) => o).map(([id]) => id),
        people: people.map((p) => ({
          ...p,
          authorisations: auths.filter((a) => a.personId === p.id),
          trainings: trainings.filter((t) => t.personId === p.id),
        })),
        certificate: cert ? toCertificate(cert) : null,
        codes,
      };
    });
  }

  // Typed from the interface rather than restating its long signatures.
  recordAgreement: ProvisioningStore['recordAgreement'] = (institutionNo, a, at, by) =>
    this.db.write(async (tx) => {
      await this.bump(tx, institutionNo);
      await this.insertAgreement(tx, institutionNo, a, at, by);
    });

  setService: ProvisioningStore['setService'] = (institutionNo, service, opened, at, by) =>
    this.db.write(async (tx) => {
      await this.bump(tx, institutionNo);
      await tx.run(
        `INSERT INTO prov_services (institution_no, service, opened, at, by_user) VALUES ($1, $2, $3, $4, $5)`,
        [institutionNo, service, opened ? 1 : 0, at, by],
      );
    });

  addDelegate: ProvisioningStore['addDelegate'] = (institutionNo, p, a, at, by) =>
    this.db.write(async (tx) => {
      await this.bump(tx, institutionNo);
      const person = await tx.one<Row>(
        `INSERT INTO prov_people (institution_no, role, name, id_masked, created_at, created_by)
         VALUES ($1, 'delegate', $2, $3, $4, $5) RETURNING *`,
        [institutionNo, p.name, p.idMasked, at, by],
      );
      const out = toPerson(person!);
      await tx.run(
        `INSERT INTO prov_authorisations (person_id, document_no, scope, valid_from, valid_to, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [out.id, a.documentNo, JSON.stringify(a.scope), a.validFrom, a.validTo, at, by],
      );
      return out;
    });

  revokeAuthorisation(authorisationId: number, at: string, by: string): Promise<void> {
    return this.db.write(async (tx) => {
      const r = await tx.one<Row>(
        `SELECT p.institution_no FROM prov_authorisations a JOIN prov_people p ON p.id = a.person_id
         WHERE a.id = $1 AND a.revoked_at IS NULL`,
        [authorisationId],
      );
      if (!r) throw new ProvisioningRefusal('UNKNOWN_PERSON', { authorisationId });
      await this.bump(tx, s(r['institution_no']));
      await tx.run(`UPDATE prov_authorisations SET revoked_at = $2, revoked_by = $3 WHERE id = $1`, [
        authorisationId,
        at,
        by,
      ]);
    });
  }

  recordTraining: ProvisioningStore['recordTraining'] = (personId, t, at, by) =>
    this.db.write(async (tx) => {
      const r = await tx.one<Row>(`SELECT institution_no FROM prov_people WHERE id = $1`, [personId]);
      if (!r) throw new ProvisioningRefusal('UNKNOWN_PERSON', { personId });
      await this.bump(tx, s(r['institution_no']));
      await tx.run(
        `INSERT INTO prov_trainings (person_id, subject, trained_on, trainer, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [personId, t.subject, t.trainedOn, t.trainer, at, by],
      );
    });

  setFee(service: ServiceId, feeFen: number, effectiveFrom: string, at: string, by: string): Promise<void> {
    return this.db.write(async (tx) => {
      await this.bump(tx, null);
      await tx.run(
        `INSERT INTO prov_fees (service, fee_fen, effective_from, set_at, set_by) VALUES ($1, $2, $3, $4, $5)`,
        [service, feeFen, effectiveFrom, at, by],
      );
    });
  }

  fees(): Promise<FeeEntry[]> {
    return this.db.read(async (tx) =>
      (await tx.all<Row>(`SELECT * FROM prov_fees ORDER BY service, effective_from, id`)).map(toFee),
    );
  }

  issueActivationCode(r: Omit<ActivationCodeRecord, 'usedAt'>): Promise<void> {
    return this.db.write(async (tx) => {
      await this.bump(tx, r.institutionNo);
      await tx.run(
        `INSERT INTO prov_activation_codes (code_hash, institution_no, issued_at, expires_at, issued_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [r.codeHash, r.institutionNo, r.issuedAt, r.expiresAt, r.issuedBy],
      );
    });
  }

  private async insertCertificate(
    tx: Tx,
    c: Omit<Certificate, 'revokedAt' | 'revokedBy' | 'revokeReason'>,
  ): Promise<Certificate> {
    const seq = await tx.one<Row>(`SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM prov_certificates`);
    const row = await tx.one<Row>(
      `INSERT INTO prov_certificates (serial, institution_no, public_key, issued_at, expires_at, seq)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CERT_COLS}`,
      [c.serial, c.institutionNo, Buffer.from(c.publicKey), c.issuedAt, c.expiresAt, n(seq!['next'])],
    );
    await tx.run(`UPDATE stations SET public_key = $2 WHERE institution_no = $1`, [
      c.institutionNo,
      Buffer.from(c.publicKey),
    ]);
    await tx.run(`UPDATE prov_stations SET profile_version = profile_version + 1 WHERE institution_no = $1`, [
      c.institutionNo,
    ]);
    return toCertificate(row!);
  }

  async activate(
    codeHash: string,
    institutionNo: string,
    cert: Omit<Certificate, 'revokedAt' | 'revokedBy' | 'revokeReason' | 'institutionNo'>,
    at: string,
  ): Promise<Certificate> {
    try {
      return await this.db.write(async (tx) => {
        const used = await tx.run(
          `UPDATE prov_activation_codes SET used_at = $3
           WHERE code_hash = $1 AND institution_no = $2 AND used_at IS NULL AND expires_at > $3`,
          [codeHash, institutionNo, at],
        );
        if (used !== 1) {
          // A retry after a lost reply: the same code, still valid, that already bound this very
          // key, whose certificate from that binding stands — the same answer again, nothing written.
          const bound = await tx.one<Row>(
            `SELECT c.serial FROM prov_activation_codes a
               JOIN prov_certificates c ON c.institution_no = a.institution_no AND c.issued_at = a.used_at
              WHERE a.code_hash = $1 AND a.institution_no = $2 AND a.used_at IS NOT NULL AND a.expires_at > $3
                AND c.revoked_at IS NULL`,
            [codeHash, institutionNo, at],
          );
          const current = bound
            ? await tx.one<Row>(
                `SELECT ${CERT_COLS} FROM prov_certificates WHERE institution_no = $1 ORDER BY seq DESC LIMIT 1`,
                [institutionNo],
              )
            : undefined;
          const same = current && toCertificate(current);
          if (
            same &&
            same.serial === bound!['serial'] &&
            Buffer.from(same.publicKey).equals(Buffer.from(cert.publicKey))
          )
            return same;
          throw new ProvisioningRefusal('ACTIVATION_CODE_INVALID', { institutionNo });
        }
        return this.insertCertificate(tx, { ...cert, institutionNo });
      });
    } catch (e) {
      if (triggerMessageOf(e)?.includes('ACTIVATION_CODE_INVALID'))
        throw new ProvisioningRefusal('ACTIVATION_CODE_INVALID', { institutionNo });
      throw e;
    }
  }

  bindCertificate(cert: Omit<Certificate, 'revokedAt' | 'revokedBy' | 'revokeReason'>): Promise<Certificate> {
    return this.db.write((tx) => this.insertCertificate(tx, cert));
  }

  revokeCertificate(serial: string, reason: string, at: string, by: string): Promise<Certificate> {
    return this.db.write(async (tx) => {
      const row = await tx.one<Row>(
        `UPDATE prov_certificates SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
         WHERE serial = $1 AND revoked_at IS NULL RETURNING ${CERT_COLS}`,
        [serial, at, by, reason],
      );
      if (!row) throw new ProvisioningRefusal('CERTIFICATE_NOT_FOUND', { serial });
      const c = toCertificate(row);
      await tx.run(
        `UPDATE prov_stations SET profile_version = profile_version + 1 WHERE institution_no = $1`,
        [c.institutionNo],
      );
      return c;
    });
  }

  currentCertificate(institutionNo: string): Promise<Certificate | undefined> {
    return this.db.read(async (tx) => {
      const r = await tx.one<Row>(
        `SELECT ${CERT_COLS} FROM prov_certificates WHERE institution_no = $1 ORDER BY seq DESC LIMIT 1`,
        [institutionNo],
      );
      return r ? toCertificate(r) : undefined;
    });
  }

  latestCertificates(): Promise<Certificate[]> {
    return this.db.read(async (tx) =>
      (
        await tx.all<Row>(
          `SELECT ${CERT_COLS} FROM prov_certificates c
           WHERE seq = (SELECT MAX(seq) FROM prov_certificates d WHERE d.institution_no = c.institution_no)
           ORDER BY expires_at`,
        )
      ).map(toCertificate),
    );
  }

  latestAgreements(): Promise<Agreement[]> {
    return this.db.read(async (tx) =>
      (
        await tx.all<Row>(
          `SELECT * FROM prov_agreements a
           WHERE id = (SELECT MAX(id) FROM prov_agreements b WHERE b.institution_no = a.institution_no)
           ORDER BY end_day`,
        )
      ).map(toAgreement),
    );
  }

  recordTakings: ProvisioningStore['recordTakings'] = (institutionNo, day, takingsDueFen, seq, at) =>
    this.db.write(async (tx) => {
      await tx.run(
        `INSERT INTO station_takings (institution_no, day, takings_due_fen, seq, received_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (institution_no) DO UPDATE SET day = excluded.day, takings_due_fen = excluded.takings_due_fen,
           seq = excluded.seq, received_at = excluded.received_at
         WHERE excluded.day >= station_takings.day`,
        [institutionNo, day, takingsDueFen, seq, at],
      );
    });

  takingsDue(): Promise<Array<{ institutionNo: string; day: string; takingsDueFen: number }>> {
    return this.db.read(async (tx) =>
      (
        await tx.all<Row>(
          `SELECT institution_no, day, takings_due_fen FROM station_takings WHERE takings_due_fen > 0
           ORDER BY takings_due_fen DESC`,
        )
      ).map((r) => ({
        institutionNo: s(r['institution_no']),
        day: s(r['day']),
        takingsDueFen: n(r['takings_due_fen']),
      })),
    );
  }

  faultEvents(institutionNo: string | null): Promise<FaultEvent[]> {
    return this.db.read(async (tx) =>
      (institutionNo === null
        ? await tx.all<Row>(`SELECT * FROM prov_fault_events ORDER BY id`)
        : await tx.all<Row>(`SELECT * FROM prov_fault_events WHERE institution_no = $1 ORDER BY id`, [
            institutionNo,
          ])
      ).map(toFaultEvent),
    );
  }

  async moveFault(e: Omit<FaultEvent, 'id'>): Promise<FaultEvent> {
    try {
      return await this.db.write(async (tx) => {
        const r = await tx.one<Row>(
          `INSERT INTO prov_fault_events (institution_no, fault_ref, status, note, at, by_user)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [e.institutionNo, e.faultRef, e.status, e.note, e.at, e.by],
        );
        return toFaultEvent(r!);
      });
    } catch (err) {
      if (triggerMessageOf(err)?.includes('FAULT_TRANSITION'))
        throw new ProvisioningRefusal('FAULT_TRANSITION', { faultRef: e.faultRef, to: e.status });
      throw err;
    }
  }
}
