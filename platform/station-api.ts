// The station API (shared/platform-protocol.ts): every request signed with the station's
// Ed25519 key over the exact body bytes, carrying its idempotency key. Checked in this order,
// the first failure is the answer and nothing is written:
//   PAYLOAD_TOO_LARGE 413 → UNSUPPORTED_MEDIA_TYPE 415 → UNKNOWN_STATION 404
//   → NOT_ACTIVATED / CERTIFICATE_REVOKED / CERTIFICATE_EXPIRED 403 → BAD_SIGNATURE 401
//   → INVALID_INPUT 400 → INSTITUTION_MISMATCH / OP_MISMATCH 400 → the operation's own refusals.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatFen, toFen, MAX_TRANSACTION_FEN } from '../shared/money';
import {
  SIGNATURE_HEADER,
  STATION_OP_PATHS,
  STATION_OPS,
  type FaultStatusReply,
  type InquireReply,
  type PaymentReply,
  type StationOp,
  type StationReplies,
} from '../shared/platform-protocol';
import { BillSwitch } from './bill-switch';
import { BillerUnavailable } from './billers/types';
import { MonitorError } from './errors';
import type { ProvisioningService } from './provisioning/service';
import { decodeSignature, KEY_CACHE_MAX, keyCache, verifySignature } from './signing';
import {
  AccountRefusal,
  IdempotencyConflictError,
  InsufficientBalanceError,
  type PaymentRecord,
  type PlatformStore,
} from './store/types';

/** A station's faults looked through for a status request: as far back as the office's fault
 *  inbox lets a fault be moved (office-routes.ts). */
const FAULT_STATUS_LOOKBACK = 500;

export interface StationApiOptions {
  store: PlatformStore;
  billSwitch: BillSwitch;
  now: () => Date;
  /** Certificates (a provisioned station signs nothing before activation) and the profile. */
  provisioning: ProvisioningService;
}

/** The digest idempotency compares: the request's fields, without the time it was sent. */
export function requestDigest(data: Record<string, unknown>): string {
  const { sentAt: _sentAt, ...rest } = data;
  const sorted = Object.keys(rest)
    .sort()
    .map((k) => [k, rest[k]]);
  return crypto.createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

const fen = (amount: string): number => {
  const n = toFen(amount);
  if (n > MAX_TRANSACTION_FEN)
    throw new MonitorError('AMOUNT_OUT_OF_RANGE', { max: formatFen(MAX_TRANSACTION_FEN) });
  return n;
};

export function paymentReply(p: PaymentRecord, replay: boolean): PaymentReply {
  const amount = formatFen(p.amountFen);
  switch (p.state) {
    case 'paid':
      return { paymentKey: p.paymentKey, status: 'paid', billerRef: p.billerRef!, amount, replay };
    case 'declined':
      return { paymentKey: p.paymentKey, status: 'declined', reason: p.reason ?? '', amount, replay };
    case 'reversed':
      return { paymentKey: p.paymentKey, status: 'reversed', billerRef: p.billerRef!, amount, replay };
    default:
      return { paymentKey: p.paymentKey, status: 'pending', amount, replay };
  }
}

/** Store refusals → coded replies. */
function mapped(e: unknown): unknown {
  if (e instanceof IdempotencyConflictError)
    return new MonitorError('IDEMPOTENCY_CONFLICT', { requestKey: e.key });
  if (e instanceof InsufficientBalanceError)
    return new MonitorError('INSUFFICIENT_CENTRAL_BALANCE', {
      balance: formatFen(e.balanceFen),
      amount: formatFen(e.amountFen),
      creditLimit: '0.00',
    });
  if (e instanceof AccountRefusal) return new MonitorError(e.code, e.details);
  if (e instanceof BillerUnavailable) return new MonitorError('BILLER_UNAVAILABLE');
  return e;
}

export function registerStationApi(app: FastifyInstance, opts: StationApiOptions): void {
  const { store, billSwitch, now, provisioning } = opts;
  const keyFor = keyCache();
  /** A money request's idempotency stamp: its key, the digest of its body, and when it was taken. */
  const taken = (requestKey: string, requestSha256: string) => ({
    requestKey,
    requestSha256,
    at: now().toISOString(),
  });

  /** A registered station's key; dropped when a certificate is bound or revoked. */
  const byStation = new Map<string, crypto.KeyObject>();
  provisioning.onKeyChange((no) => byStation.delete(no));
  const stationKey = async (no: string): Promise<crypto.KeyObject | undefined> => {
    const cached = byStation.get(no);
    if (cached) return cached;
    const station = await store.stations.getStation(no);
    if (!station) return undefined;
    const key = keyFor(station.publicKey);
    if (byStation.size >= KEY_CACHE_MAX) byStation.clear();
    byStation.set(no, key);
    return key;
  };

  const route = <O extends StationOp>(
    op: O,
    handle: (
      data: z.output<(typeof STATION_OPS)[O]>,
      digest: string,
    ) => Promise<{ status?: number; data: StationReplies[O] }>,
  ): void => {
    app.post<{ Params: { institutionNo: string } }>(
      `/v1/stations/:institutionNo/${STATION_OP_PATHS[op]}`,
      async (req, reply) => {
        const raw = req.body;
        if (!Buffer.isBuffer(raw)) throw new MonitorError('UNSUPPORTED_MEDIA_TYPE');
        const no = req.params.institutionNo;
        const key = await stationKey(no);
        if (!key) throw new MonitorError('UNKNOWN_STATION', { institutionNo: no.slice(0, 64) });
        const gate = await provisioning.gate(no);
        if (gate) throw new MonitorError(gate, { institutionNo: no });
        const signature = decodeSignature(req.headers[SIGNATURE_HEADER]);
        if (!signature || !(await verifySignature(raw, signature, key)))
          throw new MonitorError('BAD_SIGNATURE', {
            header: SIGNATURE_HEADER,
            present: signature !== undefined,
          });
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new MonitorError('INVALID_INPUT', { reason: 'not_json' });
        }
        if (json && typeof json === 'object' && 'op' in json && (json as { op: unknown }).op !== op)
          throw new MonitorError('OP_MISMATCH', { path: op });
        const parsed = STATION_OPS[op].safeParse(json);
        if (!parsed.success)
          throw new MonitorError('INVALID_INPUT', {
            issues: parsed.error.issues
              .slice(0, 20)
              .map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
        const data = parsed.data as z.output<(typeof STATION_OPS)[O]>;
        if (data.institutionNo !== no)
          throw new MonitorError('INSTITUTION_MISMATCH', { path: no, body: data.institutionNo });
        // Taken in: signed, parsed, about to be handled (debug level: the crash test kills here).
        req.log.debug({ op, institutionNo: no }, 'station request taken in');
        try {
          const out = await handle(data, requestDigest(data as Record<string, unknown>));
          // MON-2 counts a provisioned station's payments from the journal: refresh its standing.
          if (op === 'pay' || op === 'payment_status' || op === 'reverse_payment') app.standing.touch(no);
          return reply.code(out.status ?? 200).send({ ok: true, data: out.data });
        } catch (e) {
          throw mapped(e);
        }
      },
    );
  };

  route('balance', async (d) => {
    const b = await store.accounts.balance(d.institutionNo);
    if (!b) throw new MonitorError('UNKNOWN_STATION', { institutionNo: d.institutionNo });
    const data = {
      institutionNo: b.institutionNo,
      balance: formatFen(b.balanceFen),
      creditLimit: formatFen(b.creditLimitFen),
      lastEntryNo: b.lastEntryNo,
    };
    return { data };
  });

  route('statement', async (d) => {
    const q: { fromAt?: string; toAt?: string } = {};
    if (d.fromAt) q.fromAt = new Date(d.fromAt).toISOString();
    if (d.toAt) q.toAt = new Date(d.toAt).toISOString();
    const entries = await store.accounts.statement(d.institutionNo, q);
    const data = {
      institutionNo: d.institutionNo,
      entries: entries.map((e) => ({
        entryNo: e.entryNo,
        kind: e.kind,
        amount: formatFen(e.amountFen),
        balanceAfter: formatFen(e.balanceAfterFen),
        ref: e.ref,
        at: e.at,
      })),
    };
    return { data };
  });

  route('confirm_voucher', async (d, digest) => {
    const { voucher, replay } = await store.accounts.confirmVoucher({
      institutionNo: d.institutionNo,
      voucherNo: d.voucherNo,
      amountFen: fen(d.amount),
      ...taken(d.requestKey, digest),
    });
    const data = {
      voucherNo: voucher.voucherNo,
      amount: formatFen(voucher.amountFen),
      issuedAt: voucher.issuedAt,
      confirmedAt: voucher.confirmedAt!,
      replay,
    };
    return { data };
  });

  route('green_card_transfer', async (d, digest) => {
    const { transfer, replay } = await store.accounts.greenCardTransfer({
      institutionNo: d.institutionNo,
      amountFen: fen(d.amount),
      bankRef: d.bankRef,
      ...taken(d.requestKey, digest),
    });
    const data = {
      bankRef: transfer.bankRef,
      amount: formatFen(transfer.amountFen),
      cardMasked: transfer.cardMasked,
      at: transfer.at,
      replay,
    };
    return { data };
  });

  route('inquire', async (d) => {
    const bill = await billSwitch.inquire(d.service, d.accountNo).catch((e: unknown) => {
      throw mapped(e);
    });
    const { choose, identity } = billSwitch.billers[d.service];
    const data: InquireReply = bill
      ? {
          kind: 'bill',
          bill: {
            billId: bill.billId,
            service: d.service,
            accountNo: bill.accountNo,
            payeeMasked: bill.payeeMasked,
            amount: bill.amountFen === null ? null : formatFen(bill.amountFen),
            period: bill.period,
            choose: choose && { min: formatFen(choose.minFen), max: formatFen(choose.maxFen) },
            biller: { name: identity.nameZh, hotline: identity.hotline },
          },
        }
      : { kind: 'no_bill' };
    return { data };
  });

  route('pay', async (d, digest) => {
    const amountFen = fen(d.amount);
    // Checked against the biller before anything is debited: a wrong bill writes nothing. A
    // refusal here is only final when the key is new (a replay of a paid bill finds it paid).
    const refusal = async (): Promise<MonitorError | undefined> => {
      const bill = await billSwitch.inquire(d.service, d.accountNo);
      if (!bill) return new MonitorError('BILL_ALREADY_PAID', { accountNo: d.accountNo });
      const choose = billSwitch.billers[d.service].choose;
      if (!billSwitch.amountAllowed(d.service, amountFen, bill)) {
        if (choose && bill.billId === d.billId)
          return new MonitorError('AMOUNT_OUT_OF_RANGE', {
            min: formatFen(choose.minFen),
            max: formatFen(choose.maxFen),
          });
        return new MonitorError('BILL_MISMATCH', { billId: d.billId });
      }
      if (bill.billId !== d.billId) return new MonitorError('BILL_MISMATCH', { billId: d.billId });
      return undefined;
    };
    let refused: unknown;
    try {
      refused = await refusal();
    } catch (e) {
      refused = mapped(e); // the biller cannot be reached: fine for a replay, not for a new payment
    }
    if (refused && !(await store.accounts.payment(d.institutionNo, d.requestKey))) throw refused;
    const { payment, replay } = await billSwitch.pay({
      institutionNo: d.institutionNo,
      paymentKey: d.requestKey,
      requestSha256: digest,
      service: d.service,
      accountNo: d.accountNo,
      billId: d.billId,
      amountFen,
    });
    // 202: debited, the biller's answer not known yet — ask by status.
    return { status: payment.state === 'pending' ? 202 : 200, data: paymentReply(payment, replay) };
  });

  route('payment_status', async (d) => {
    const p = await billSwitch.status(d.institutionNo, d.paymentKey);
    const data = p ? paymentReply(p, true) : { paymentKey: d.paymentKey, status: 'unknown' as const };
    return { data };
  });

  route('profile', async (d) => {
    const signed = await provisioning.signedProfile(d.institutionNo);
    if (!signed) throw new MonitorError('NOT_FOUND', { reason: 'not_provisioned' });
    return { data: signed };
  });

  // MON-3: the office's handling of the station's faults, for the station to show.
  route('fault_status', async (d) => {
    const wanted = new Set(d.refs);
    const data: FaultStatusReply = { faults: [] };
    if (wanted.size === 0) return { data };
    const [faults, events] = await Promise.all([
      store.stations.faults(d.institutionNo, FAULT_STATUS_LOOKBACK),
      store.provisioning.faultEvents(d.institutionNo),
    ]);
    // In id order: the last event of a fault is where it is now.
    const lastEvent = new Map(events.filter((e) => wanted.has(e.faultRef)).map((e) => [e.faultRef, e]));
    for (const f of faults) {
      const ref = `${f.at}|${f.kind}`;
      if (!wanted.delete(ref)) continue; // not asked for, or already answered
      // Every move carries its note (the office's console requires one): the last says it all.
      const last = lastEvent.get(ref);
      data.faults.push({
        ref,
        status: last?.status ?? 'received',
        statusAt: last?.at ?? null,
        note: last?.note ?? null,
      });
    }
    return { data };
  });

  route('reverse_payment', async (d) => {
    const p = await billSwitch.reverse(d.institutionNo, d.paymentKey, d.reason);
    return { data: paymentReply(p, false) };
  });
}
