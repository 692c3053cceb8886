// The monitor's storage, behind a narrow interface: SQLite here (monitor/sqlite-store.ts),
// PostgreSQL later for a province-sized fleet. Every method is async so either fits.
import type { DayReport, FaultKind } from '../../shared/monitor-protocol';

export interface StationRecord {
  institutionNo: string;
  name: string;
  /** 经营者 (the contract holder), when registered with one. */
  holder: string | null;
  openingDate: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  registeredAt: string;
  /** Highest seq applied; 0 before the first upload. */
  lastSeq: number;
  lastUploadAt: string | null;
}

export interface NewStation {
  institutionNo: string;
  name: string;
  holder?: string | null | undefined;
  openingDate: string;
  publicKey: Uint8Array;
  registeredAt: string;
}

export interface UploadToApply {
  seq: number;
  /** sha256 of the raw body: tells a replay (same bytes) from a conflict (same seq, other bytes). */
  bodySha256: string;
  sentAt: string;
  receivedAt: string;
  days: readonly DayReport[];
}

/** "Latest seq wins": only a seq above the last applied one changes anything. */
export type ApplyOutcome =
  | { applied: true; lastSeq: number; daysApplied: number }
  | { applied: false; reason: 'replay' | 'stale' | 'conflict'; lastSeq: number };

export interface StationMonths {
  institutionNo: string;
  name: string;
  openingDate: string;
  lastSeq: number;
  lastUploadAt: string | null;
  /** ['YYYY-MM', count], ascending. */
  months: Array<[string, number]>;
}

export interface FaultRecord {
  institutionNo: string;
  day: string;
  kind: FaultKind;
  at: string;
  detail: string;
  seq: number;
}

export interface RefusalRecord {
  at: string;
  institutionNo: string | null;
  code: string;
  status: number;
  remote: string | null;
  details: Record<string, unknown>;
}

export class StationExistsError extends Error {
  constructor(readonly institutionNo: string) {
    super(`station ${institutionNo} is already registered`);
    this.name = 'StationExistsError';
  }
}

export interface MonitorStore {
  /** Throws StationExistsError when the 机构号 is taken. */
  registerStation(station: NewStation): Promise<StationRecord>;
  /** Bulk registration (imports, benchmarks): one transaction; throws on any duplicate. */
  registerStations(stations: readonly NewStation[]): Promise<void>;
  getStation(institutionNo: string): Promise<StationRecord | undefined>;
  /** Atomically: compare seq with the last applied, then replace each day's count and faults. */
  applyUpload(institutionNo: string, upload: UploadToApply): Promise<ApplyOutcome>;
  /** ['YYYY-MM-DD', count] ascending, inclusive bounds. */
  dailyCounts(institutionNo: string, fromDay?: string, toDay?: string): Promise<Array<[string, number]>>;
  /** Daily counts of several stations at once (dashboard weekly figures). */
  dailyCountsOf(
    institutionNos: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Map<string, Array<[string, number]>>>;
  /** Every station with its monthly totals: the input of the fleet-wide rule evaluation. */
  listStationsWithMonths(): Promise<StationMonths[]>;
  /** One station's monthly totals (keeps the fleet's standing up to date as uploads arrive). */
  stationMonths(institutionNo: string): Promise<StationMonths | undefined>;
  /** Latest faults first; one station or all. */
  faults(institutionNo: string | null, limit: number): Promise<FaultRecord[]>;
  /** Faults per station with a day on or after `fromDay`. */
  faultCountsSince(fromDay: string): Promise<Map<string, number>>;
  logRefusal(refusal: RefusalRecord): Promise<void>;
  recentRefusals(limit: number): Promise<RefusalRecord[]>;
  close(): Promise<void>;
}
