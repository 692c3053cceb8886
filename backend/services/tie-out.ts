// PAY-4: the day's float, tied out line by line against the central system's journal. When the
// central balance and the station's closing float differ, the operator needs to know which
// transactions the two sides disagree on before writing the remark: a deposit the branch
// credited that the station has not confirmed yet, a payment the centre reversed on its own, a
// posting the centre never saw. Both sides are netted per key — the payment's idempotency key
// (the central journal's ref for a debit, its decline and its reversal) or the voucher / bank
// reference in canonical form — and every key whose nets differ is listed.
import { canonicalRef } from '../../shared/platform-protocol';
import type { TieOutDto, TieOutLineDto } from '../../shared/contract';
import { formatFen } from '../../shared/money';
import { YizhanError } from '../../shared/errors';
import { floatMovementsOfDay, type FloatMovementRow } from '../../db/tie-out';
import type { CentralEntry } from '../gateway/types';
import type { Ctx } from '../context';
import { callGateway } from './gateway-call';

/** How far back a deposit made at the branch may have been credited before the station
 *  confirmed it. */
export const TIE_OUT_LOOKBACK_DAYS = 14;

const PAYMENT_KINDS = new Set(['bill_payment', 'decline', 'reversal']);

export interface StationMove {
  key: string;
  ref: string;
  what: TieOutLineDto['what'];
  fen: number;
  txnId: number;
}

export interface CentralMove {
  key: string;
  ref: string;
  what: TieOutLineDto['what'];
  fen: number;
  entryNo: number;
  at: string;
}

/** What the central journal knows a movement by. */
function keyOf(what: 'payment' | 'topup', ref: string): Pick<StationMove, 'key' | 'ref' | 'what'> {
  const r = what === 'topup' ? canonicalRef(ref) : ref;
  return { key: `${what === 'payment' ? 'pay' : 'ref'}:${r}`, ref: r, what };
}

export function stationMove(r: FloatMovementRow): StationMove {
  const own = { fen: r.float_fen, txnId: r.id };
  if (r.kind === 'bill_payment') return { ...keyOf('payment', r.idempotency_key), ...own };
  if (r.kind === 'reversal' && r.orig_kind === 'bill_payment')
    return { ...keyOf('payment', r.orig_idempotency_key ?? ''), ...own };
  const typed = r.kind === 'reversal' ? r.orig_typed_ref : r.typed_ref;
  if (typed) return { ...keyOf('topup', typed), ...own };
  // Nothing the central system could know it by: it can only stand alone.
  return { key: `txn:${r.id}`, ref: String(r.id), what: 'other', ...own };
}

export function centralMove(e: CentralEntry): CentralMove {
  const own = { fen: e.amountFen, entryNo: e.entryNo, at: e.at };
  if (PAYMENT_KINDS.has(e.kind)) return { ...keyOf('payment', e.ref), ...own };
  if (e.kind === 'deposit' || e.kind === 'green_card') return { ...keyOf('topup', e.ref), ...own };
  return { key: `entry:${e.entryNo}`, ref: e.ref, what: 'other', ...own };
}

/**
 * Nets both sides per key and lists the keys that disagree. `central` holds the entries of the
 * day's window and, outside it, candidates: an outside entry counts only as the counterpart of
 * a station movement of the same key and direction that the window does not already hold (a
 * deposit credited at the branch days before the station confirmed it; a debit stamped just
 * after midnight).
 */
export function matchByKey(
  station: StationMove[],
  central: CentralMove[],
  window: { fromAt: string; toAt: string },
): { matchedCount: number; lines: TieOutLineDto[]; explainedFen: number } {
  const inWindow = (m: CentralMove) => m.at >= window.fromAt && m.at < window.toAt;
  const sides = new Map<string, { s: StationMove[]; c: CentralMove[] }>();
  const side = (key: string) => {
    let v = sides.get(key);
    if (!v) sides.set(key, (v = { s: [], c: [] }));
    return v;
  };
  for (const m of station) side(m.key).s.push(m);
  for (const m of central.filter(inWindow)) side(m.key).c.push(m);
  for (const m of central.filter((x) => !inWindow(x))) {
    const v = sides.get(m.key);
    if (!v) continue;
    const sign = Math.sign(m.fen);
    const stationHas = v.s.some((x) => Math.sign(x.fen) === sign);
    const windowHas = v.c.some((x) => Math.sign(x.fen) === sign);
    if (stationHas && !windowHas) v.c.push(m);
  }
  let matchedCount = 0;
  let explainedFen = 0;
  const lines: TieOutLineDto[] = [];
  for (const [key, v] of sides) {
    const stationFen = v.s.reduce((a, m) => a + m.fen, 0);
    const centralFen = v.c.reduce((a, m) => a + m.fen, 0);
    if (stationFen === centralFen) {
      if (v.s.length > 0) matchedCount += 1;
      continue;
    }
    const first = v.s[0] ?? v.c[0]!;
    explainedFen += centralFen - stationFen;
    lines.push({
      key,
      ref: first.ref,
      what: first.what,
      side: v.s.length === 0 ? 'centralOnly' : v.c.length === 0 ? 'stationOnly' : 'amount',
      station: formatFen(stationFen),
      central: formatFen(centralFen),
      difference: formatFen(centralFen - stationFen),
      txnIds: v.s.map((m) => m.txnId),
      entryNos: v.c.map((m) => m.entryNo),
    });
  }
  lines.sort((a, b) => (a.txnIds[0] ?? Infinity) - (b.txnIds[0] ?? Infinity) || a.key.localeCompare(b.key));
  return { matchedCount, lines, explainedFen };
}

/** The business day's bounds as instants (Asia/Shanghai, UTC+8 all year). */
export function dayWindow(day: string): { fromAt: string; toAt: string } {
  const from = new Date(`${day}T00:00:00+08:00`);
  return { fromAt: from.toISOString(), toAt: new Date(from.getTime() + 86_400_000).toISOString() };
}

export interface TieOut extends Omit<TieOutDto, 'explained' | 'unexplained'> {
  explainedFen: number;
}

/** The day's tie-out, or null when the gateway keeps no statement (a gateway without centralStatement). A
 *  central system that cannot be reached gives null too: the balance comparison still stands. */
export async function tieOutDay(ctx: Ctx, day: string): Promise<TieOut | null> {
  const gw = ctx.gateway;
  if (!gw.centralStatement) return null;
  const window = dayWindow(day);
  const since = new Date(Date.parse(window.fromAt) - TIE_OUT_LOOKBACK_DAYS * 86_400_000).toISOString();
  let statement: { entries: CentralEntry[]; complete: boolean };
  try {
    statement = await callGateway(ctx, 'centralStatement', () => gw.centralStatement!(since));
  } catch (e) {
    if (e instanceof YizhanError && (e.code === 'GATEWAY_UNAVAILABLE' || e.code === 'CERTIFICATE_REFUSED'))
      return null;
    throw e;
  }
  const station = floatMovementsOfDay(ctx.db, day).map(stationMove);
  const m = matchByKey(station, statement.entries.map(centralMove), window);
  return {
    ...window,
    complete: statement.complete,
    matchedCount: m.matchedCount,
    lines: m.lines,
    explainedFen: m.explainedFen,
  };
}
