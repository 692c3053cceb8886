// What every handler gets: the database, the gateway, the clock, and who is at the counter.
import type { ProfileSync } from './services/profile-sync';
import type { Db } from '../db/open';
import type { BillGateway } from './gateway/types';
import type { PrintQueue } from './printing/print-queue';
import type { MonitorUploader } from './services/monitor-upload';
import { businessDayOf } from '../shared/business-day';
import { getStation, type StationRow } from '../db/station';

/** A logged-in client (issue 12): who is at it, and when it was last heard from. */
export interface Session {
  operatorId: string;
  lastSeenMs: number;
  /** In training mode (练习模式, PPL-2): the operator's id in the training ledger; every call of
   *  the session but the login's and training's own then runs there (backend/training.ts). */
  training?: { operatorId: string } | undefined;
  /** Set when the operator handed the shift over (shift.end): the session then only reprints
   *  that shift's X report and logs out; everything else is NOT_LOGGED_IN. */
  handedOverShiftId?: number;
}

/** What the login gate needs of the training ledger (backend/training.ts). */
export interface TrainingGate {
  /** The training ledger's context for the session's call, or undefined when it is not open. */
  ctxFor(operatorId: string, sessionKey: string, sessions: Map<string, Session>): Ctx | undefined;
}

export interface Ctx {
  readonly db: Db;
  readonly gateway: BillGateway;
  readonly now: () => Date;
  /** The operator at the counter (PPL-3: every posting records who made it). */
  operatorId: string;
  /** Idempotency keys whose request is being handled in this process right now. */
  readonly inflight: Map<string, { hash: string; promise: Promise<unknown> }>;
  /** Receipts waiting for, or sent to, the printer. */
  readonly print: PrintQueue;
  /** How long to wait for the central system before treating it as unreachable. */
  readonly gatewayTimeoutMs: number;
  /** Take ledger backups (after each close); off in tests that close the database at once. */
  backups?: boolean;
  /** Uploads counts and faults to the exit-threshold monitor (MON-2, MON-3); set by createBackend. */
  monitor?: MonitorUploader;
  /** Logged-in clients (issue 12): sha256 of the session token → who is at that client. */
  readonly sessions: Map<string, Session>;
  /** The session the current call came with (set per call by the transport gate). */
  sessionKey?: string | undefined;
  /** The platform's signed station profile (issue 11); set by createBackend with a platform. */
  profile?: ProfileSync;
  /** The platform address the gateway talks to, and whether --platform chose it for this run. */
  platform?: { inUse: string; overridden: boolean };
  /** This context is the training ledger's (练习模式, PPL-2): its slips say 练习. */
  readonly trainingMode?: boolean;
  /** The real station's door to its training ledger (set by createBackend when it has one). */
  training?: TrainingHostLike;
}

/** The training ledger as the real station's handlers see it (backend/training.ts). */
export interface TrainingHostLike extends TrainingGate {
  /** Opens the training ledger if need be and enrols the real operator there; returns their id
   *  in the training ledger. */
  enter(ctx: Ctx): Promise<string>;
}

export function station(ctx: Ctx): StationRow {
  const s = getStation(ctx.db);
  if (!s) throw new Error('station not set up');
  return s;
}

export function today(ctx: Ctx): { nowIso: string; day: string } {
  const now = ctx.now();
  return { nowIso: now.toISOString(), day: businessDayOf(now) };
}
