// The station profile, its operators (PPL-3) and their training (PPL-1, PPL-2), and settings.
import type { StationProfile } from '../shared/station-profile';
import { stmt, type Db } from './open';
import type { ServiceId } from '../shared/catalogue';

export interface StationRow {
  institution_no: string;
  name: string;
  demo: number;
  green_card_masked: string | null;
  created_at: string;
}

export function getStation(db: Db): StationRow | undefined {
  return stmt(
    db,
    `SELECT institution_no, name, demo, green_card_masked, created_at FROM station WHERE id = 1`,
  ).get() as StationRow | undefined;
}

export interface NewStation {
  institutionNo: string;
  name: string;
  demo: boolean;
  greenCardMasked: string | null;
  holder: { id: string; name: string };
  nowIso: string;
}

/** Creates the station and its contract holder. Nobody is trained here: training is the
 *  platform's record, delivered in the signed profile (PPL-1, PPL-2; backend/services/grants.ts). */
export function createStation(db: Db, s: NewStation): void {
  db.transaction(() => {
    stmt(
      db,
      `INSERT INTO station (id, institution_no, name, demo, green_card_masked, created_at) VALUES (1, ?, ?, ?, ?, ?)`,
    ).run(s.institutionNo, s.name, s.demo ? 1 : 0, s.greenCardMasked, s.nowIso);
    stmt(db, `INSERT INTO operators (id, name, role, created_at) VALUES (?, ?, 'holder', ?)`).run(
      s.holder.id,
      s.holder.name,
      s.nowIso,
    );
  }).immediate();
}

export function addDelegate(
  db: Db,
  d: {
    id: string;
    name: string;
    authorisationDoc: string;
    authorisedAt: string;
    services: ServiceId[];
    nowIso: string;
  },
): void {
  db.transaction(() => {
    stmt(
      db,
      `INSERT INTO operators (id, name, role, authorisation_doc, authorised_at, created_at) VALUES (?, ?, 'delegate', ?, ?, ?)`,
    ).run(d.id, d.name, d.authorisationDoc, d.authorisedAt, d.nowIso);
    const train = stmt(
      db,
      `INSERT INTO operator_training (operator_id, service, trained_at) VALUES (?, ?, ?)`,
    );
    for (const svc of d.services) train.run(d.id, svc, d.nowIso);
  }).immediate();
}

/** An operator as it stands, with the services the office trained them on. */
export interface OperatorRow {
  id: string;
  name: string;
  role: 'holder' | 'delegate';
  trainedServices: ServiceId[];
}

export function listOperators(db: Db): OperatorRow[] {
  const ops = stmt(
    db,
    `SELECT id, name, role FROM operators_current WHERE active = 1 ORDER BY role DESC, created_at`,
  ).all() as {
    id: string;
    name: string;
    role: 'holder' | 'delegate';
  }[];
  const trained = stmt(
    db,
    `SELECT service FROM operator_training WHERE operator_id = ? ORDER BY service`,
  ).pluck();
  return ops.map((o) => ({ ...o, trainedServices: trained.all(o.id) as ServiceId[] }));
}

export function getOperator(db: Db, id: string): OperatorRow | undefined {
  return listOperators(db).find((o) => o.id === id);
}

export function isTrained(db: Db, operatorId: string, service: ServiceId): boolean {
  return !!stmt(db, `SELECT 1 FROM operator_training WHERE operator_id = ? AND service = ?`).get(
    operatorId,
    service,
  );
}

// ---- changes: new versions, with their time and reason (issue 9 defect 3) ---------------------

/** Appends the next version of a versioned row (operator_versions, station_versions): reads the
 *  current one, and writes the columns `next` gives with version + 1, its time and its reason, in
 *  one immediate transaction. Returns the new version. Column names come from this module. */
function appendVersion<R extends { version: number }>(
  db: Db,
  v: {
    current: () => R | undefined;
    missing: string;
    table: 'operator_versions' | 'station_versions';
    next: (cur: R) => Record<string, string | number | null>;
    nowIso: string;
    reason: string;
  },
): number {
  return db
    .transaction(() => {
      const cur = v.current();
      if (!cur) throw new Error(v.missing);
      const row = { ...v.next(cur), version: cur.version + 1, valid_from: v.nowIso, reason: v.reason };
      const cols = Object.keys(row);
      stmt(db, `INSERT INTO ${v.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
        ...Object.values(row),
      );
      return row.version;
    })
    .immediate();
}

/** Changes what may change about an operator (name, authorisation, active): a new version. The
 *  past keeps its version; each transaction keeps the name it was made under. */
export function changeOperator(
  db: Db,
  id: string,
  c: {
    name?: string;
    authorisationDoc?: string;
    authorisedAt?: string;
    active?: boolean;
    reason: string;
    nowIso: string;
  },
): number {
  return appendVersion(db, {
    current: () =>
      stmt(db, `SELECT * FROM operators_current WHERE id = ?`).get(id) as
        | {
            name: string;
            authorisation_doc: string | null;
            authorised_at: string | null;
            active: number;
            version: number;
          }
        | undefined,
    missing: `unknown operator ${id}`,
    table: 'operator_versions',
    next: (cur) => ({
      operator_id: id,
      name: c.name ?? cur.name,
      authorisation_doc: c.authorisationDoc ?? cur.authorisation_doc,
      authorised_at: c.authorisedAt ?? cur.authorised_at,
      active: c.active === undefined ? cur.active : c.active ? 1 : 0,
    }),
    nowIso: c.nowIso,
    reason: c.reason,
  });
}

/** Changes the station's name or bound Green Card: a new version (the identity stays). */
export function changeStation(
  db: Db,
  c: { name?: string; greenCardMasked?: string | null; reason: string; nowIso: string },
): number {
  return appendVersion(db, {
    current: () =>
      stmt(db, `SELECT * FROM station_versions ORDER BY version DESC LIMIT 1`).get() as
        (StationRow & { version: number }) | undefined,
    missing: 'no station',
    table: 'station_versions',
    next: (cur) => ({
      institution_no: cur.institution_no,
      name: c.name ?? cur.name,
      demo: cur.demo,
      green_card_masked: c.greenCardMasked === undefined ? cur.green_card_masked : c.greenCardMasked,
      created_at: cur.created_at,
    }),
    nowIso: c.nowIso,
    reason: c.reason,
  });
}

/** The operators as the platform's signed profile names them (PPL-3): an authorised person it
 *  lists is added (or brought back) under the profile's id; one it no longer lists — the
 *  authorisation over or revoked — is made inactive; the holder takes the profile's name. Each
 *  change is a new version with its reason, so the past keeps the names it was made under. */
export function syncOperatorsFromProfile(
  db: Db,
  p: Pick<StationProfile, 'version' | 'operators'>,
  nowIso: string,
): void {
  db.transaction(() => {
    const reason = `站点档案第 ${p.version} 版`;
    const all = stmt(
      db,
      `SELECT id, name, role, authorisation_doc, active FROM operators_current`,
    ).all() as Array<{
      id: string;
      name: string;
      role: 'holder' | 'delegate';
      authorisation_doc: string | null;
      active: number;
    }>;
    const byId = new Map(all.map((o) => [o.id, o]));
    const listed = new Set<string>();
    for (const op of p.operators) {
      if (op.role === 'holder') {
        const holder = all.find((o) => o.role === 'holder');
        if (holder && holder.name !== op.name)
          changeOperator(db, holder.id, { name: op.name, reason, nowIso });
        continue;
      }
      listed.add(op.id);
      const doc = op.authorisation?.documentNo ?? '';
      const cur = byId.get(op.id);
      if (!cur)
        addDelegate(db, {
          id: op.id,
          name: op.name,
          authorisationDoc: doc,
          authorisedAt: op.authorisation?.validFrom ?? nowIso.slice(0, 10),
          services: [],
          nowIso,
        });
      else if (cur.name !== op.name || cur.authorisation_doc !== doc || cur.active !== 1)
        changeOperator(db, op.id, { name: op.name, authorisationDoc: doc, active: true, reason, nowIso });
    }
    for (const o of all)
      if (o.role === 'delegate' && o.active === 1 && /^P[0-9]+$/.test(o.id) && !listed.has(o.id))
        changeOperator(db, o.id, { active: false, reason: `${reason}：授权已结束`, nowIso });
  }).immediate();
}
