// The monitor's rows as both engines read them (sqlite-stations.ts, pg-stations.ts), turned
// into the records of stations.ts: one mapping, so the two stores cannot drift apart.
import type { FaultKind } from '../../shared/monitor-protocol';
import type { FaultRecord, RefusalRecord, StationRecord } from './stations';

/** Refusals kept; older ones are pruned so a flood of bad requests cannot fill the disk. */
const MAX_REFUSALS_KEPT = 100_000;
const PRUNE_EVERY = 1_000;

/** When a store prunes its refusals: once every PRUNE_EVERY logged. */
export class RefusalPruning {
  private sinceLast = 0;

  /** Called after logging one: how many of the newest refusals to keep when it is time to
   *  prune, else undefined. */
  keepAfterLogging(): number | undefined {
    if (++this.sinceLast < PRUNE_EVERY) return undefined;
    this.sinceLast = 0;
    return MAX_REFUSALS_KEPT;
  }
}

export interface StationRow {
  institution_no: string;
  name: string;
  holder: string | null;
  opening_date: string;
  public_key: Buffer;
  registered_at: string;
  last_seq: number;
  last_upload_at: string | null;
}

export const toStation = (r: StationRow): StationRecord => ({
  institutionNo: r.institution_no,
  name: r.name,
  holder: r.holder,
  openingDate: r.opening_date,
  publicKey: new Uint8Array(r.public_key),
  registeredAt: r.registered_at,
  lastSeq: r.last_seq,
  lastUploadAt: r.last_upload_at,
});

export interface FaultRow {
  institution_no: string;
  day: string;
  kind: FaultKind;
  at: string;
  detail: string;
  seq: number;
}

export const toFault = (r: FaultRow): FaultRecord => ({
  institutionNo: r.institution_no,
  day: r.day,
  kind: r.kind,
  at: r.at,
  detail: r.detail,
  seq: r.seq,
});

/** A refusal's row, its details already parsed from their JSON. */
export interface RefusalRow {
  at: string;
  institution_no: string | null;
  code: string;
  status: number;
  remote: string | null;
  details: Record<string, unknown>;
}

export const toRefusal = (r: RefusalRow): RefusalRecord => ({
  at: r.at,
  institutionNo: r.institution_no,
  code: r.code,
  status: r.status,
  remote: r.remote,
  details: r.details,
});
