// Faults reported by hand, and the platform's handling of every fault (MON-3): an operator reports
// an abnormal situation (kind, one line of text); it is recorded for today like the faults the
// station records by itself (db/monitor-outbox.ts: the day is marked dirty in the same
// transaction) and goes up with the next upload — one is started at once when a monitor address
// is set. The office handles it on the platform (received → handled | escalated → closed, with
// notes); fault.list asks the platform (the signed station-API op `fault_status`) and keeps what
// it said, so that a platform out of reach still leaves the last known status on screen.
import type { FaultHandlingDto, FaultListDto, FaultReportDto, StationFaultDto } from '../../shared/contract';
import { FAULTS_LISTED } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import type { FaultKind } from '../../shared/monitor-protocol';
import { faultRefOf, FAULT_STATUSES, type FaultStatusReply } from '../../shared/platform-protocol';
import {
  faultOn,
  manualFaultsOn,
  manualReporterOf,
  manualSource,
  MAX_MANUAL_FAULTS_PER_DAY,
  recentFaults,
  recordFault,
  type FaultRow,
} from '../../db/monitor-outbox';
import { getSetting, setSetting } from '../../db/settings';
import { getOperator } from '../../db/station';
import { PlatformClient, PlatformGateway, PlatformRefusal } from '../gateway/platform-gateway';
import { today, type Ctx } from '../context';
import { randomUUID } from 'node:crypto';

/** What the platform last said (settings): when, and each fault's handling by its ref. */
export const FAULT_STATUS_SETTING = 'monitor.faultStatus';

interface StatusCache {
  /** The last time the platform answered. */
  lastOkAt: string | null;
  byRef: Record<string, FaultHandlingDto>;
}

function readCache(ctx: Ctx): StatusCache {
  const raw = getSetting(ctx.db, FAULT_STATUS_SETTING);
  if (!raw) return { lastOkAt: null, byRef: {} };
  try {
    const c = JSON.parse(raw) as Partial<StatusCache>;
    const byRef: Record<string, FaultHandlingDto> = {};
    for (const [ref, h] of Object.entries(c.byRef ?? {}))
      if (h && (FAULT_STATUSES as readonly string[]).includes(h.status)) byRef[ref] = h;
    return { lastOkAt: typeof c.lastOkAt === 'string' ? c.lastOkAt : null, byRef };
  } catch {
    return { lastOkAt: null, byRef: {} }; // unreadable: as if never asked
  }
}

function toDto(r: FaultRow, handling: FaultHandlingDto | null): StationFaultDto {
  const by = manualReporterOf(r.source);
  return {
    day: r.day,
    kind: r.kind,
    at: r.at,
    lastAt: r.last_at,
    occurrences: r.occurrences,
    detail: r.detail,
    ref: faultRefOf(r.at, r.kind),
    reportedBy: by === null ? null : { operatorId: by, name: r.reporter_name ?? by },
    handling,
  };
}

/** The station's signed link to the platform, when it has one (as services/profile-sync.ts). */
function platformClient(ctx: Ctx): PlatformClient | undefined {
  const g = ctx.gateway as unknown;
  if (g instanceof PlatformGateway) return g.client;
  const c = (g as { client?: unknown } | null)?.client;
  return c instanceof PlatformClient ? c : undefined;
}

/** fault.report: records the fault for today, reported by the operator at the counter. Refused,
 *  with nothing written, when the same fault is already recorded today (FAULT_ALREADY_REPORTED)
 *  or today's hand reports are at their limit (FAULT_REPORT_LIMIT). */
export function reportFault(ctx: Ctx, a: { kind: FaultKind; detail: string }): FaultReportDto {
  const { nowIso, day } = today(ctx);
  const operator = getOperator(ctx.db, ctx.operatorId);
  if (!operator) throw new YizhanError('NOT_FOUND', { operatorId: ctx.operatorId, variant: 'operator' });
  const row = ctx.db
    .transaction(() => {
      // The table folds the same fault again into one row; by hand, it is a second report.
      if (faultOn(ctx.db, day, a.kind, a.detail))
        throw new YizhanError('FAULT_ALREADY_REPORTED', { day, kind: a.kind });
      if (manualFaultsOn(ctx.db, day) >= MAX_MANUAL_FAULTS_PER_DAY)
        throw new YizhanError('FAULT_REPORT_LIMIT', { day, max: MAX_MANUAL_FAULTS_PER_DAY });
      recordFault(ctx.db, {
        day,
        kind: a.kind,
        at: nowIso,
        detail: a.detail,
        source: manualSource(operator.id),
      });
      const r = faultOn(ctx.db, day, a.kind, a.detail);
      if (!r) throw new Error('the fault just recorded is not there');
      return r;
    })
    .immediate();
  const configured = (ctx.monitor?.url ?? '') !== '';
  // Worth reporting soon: one upload now (in the background; a failure backs off as usual).
  if (configured) ctx.monitor?.kick();
  return { fault: toDto(row, null), upload: configured ? 'queued' : 'waiting' };
}

type Asked =
  | { outcome: 'ok'; reply: FaultStatusReply }
  | { outcome: 'unreachable' | 'refused' | 'not_connected'; problem: string | null };

async function askPlatform(ctx: Ctx, refs: string[]): Promise<Asked> {
  const client = platformClient(ctx);
  if (!client) return { outcome: 'not_connected', problem: null };
  try {
    const r = await client.call(
      'fault_status',
      { requestKey: randomUUID(), refs },
      { timeoutMs: ctx.gatewayTimeoutMs },
    );
    return { outcome: 'ok', reply: r.data };
  } catch (e) {
    if (e instanceof PlatformRefusal) return { outcome: 'refused', problem: e.code };
    // GatewayUnavailable, a timeout, a reply that is not the platform's: out of reach.
    return { outcome: 'unreachable', problem: e instanceof Error ? e.message.slice(0, 200) : String(e) };
  }
}

/** fault.list: the latest faults with the platform's handling — asked now, kept for next time. */
export async function listFaults(ctx: Ctx): Promise<FaultListDto> {
  const rows = recentFaults(ctx.db, FAULTS_LISTED);
  const refs = [...new Set(rows.map((r) => faultRefOf(r.at, r.kind)))];
  const asked: Asked | null = refs.length > 0 ? await askPlatform(ctx, refs) : null;
  const at = ctx.now().toISOString();
  let cache = readCache(ctx);
  if (asked?.outcome === 'ok') {
    // The platform's word on each fault asked about; one it does not list, it has not received.
    const byRef: Record<string, FaultHandlingDto> = {};
    for (const f of asked.reply.faults)
      if (refs.includes(f.ref))
        byRef[f.ref] = { status: f.status, statusAt: f.statusAt, note: f.note, checkedAt: at };
    cache = { lastOkAt: at, byRef };
    setSetting(ctx.db, FAULT_STATUS_SETTING, JSON.stringify(cache));
  }
  return {
    faults: rows.map((r) => toDto(r, cache.byRef[faultRefOf(r.at, r.kind)] ?? null)),
    check: {
      outcome: asked?.outcome ?? 'nothing_to_ask',
      at,
      lastOkAt: cache.lastOkAt,
      problem: asked && asked.outcome !== 'ok' ? asked.problem : null,
    },
    uploadConfigured: (ctx.monitor?.url ?? '') !== '',
  };
}
