// The station profile, its operators (PPL-3) and their training (PPL-1, PPL-2), and settings.
import { stmt, type Db } from './open';
import type { ServiceId } from '../shared/catalogue';
import { SERVICE_IDS } from '../shared/catalogue';
import type { OperatorDto } from '../shared/contract';

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

/** Creates the station and its contract holder, trained on every service (the station was set up
 *  by the branch after the holder's training: PPL-1). */
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
    const train = stmt(
      db,
      `INSERT INTO operator_training (operator_id, service, trained_at) VALUES (?, ?, ?)`,
    );
    for (const svc of SERVICE_IDS) train.run(s.holder.id, svc, s.nowIso);
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

export function listOperators(db: Db): OperatorDto[] {
  const ops = stmt(
    db,
    `SELECT id, name, role FROM operators WHERE active = 1 ORDER BY role DESC, created_at`,
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

export function getOperator(db: Db, id: string): OperatorDto | undefined {
  return listOperators(db).find((o) => o.id === id);
}

export function isTrained(db: Db, operatorId: string, service: ServiceId): boolean {
  return !!stmt(db, `SELECT 1 FROM operator_training WHERE operator_id = ? AND service = ?`).get(
    operatorId,
    service,
  );
}
