// The station's link to the postal platform (邮政便民驿站管理系统): the BillGateway over the
// platform's station API (shared/platform-protocol.ts) — every request signed with the
// station's Ed25519 key over the exact body bytes and carrying an idempotency key. The
// station's two-phase payment, recovery by status and outage handling (backend/services/bill.ts)
// are unchanged: a lost or pending answer is GatewayUnavailable, and the payment is settled
// later by its status.
import crypto from 'node:crypto';
import type { ServiceId } from '../../shared/catalogue';
import { formatFen, toFen, type Fen } from '../../shared/money';
import {
  canonicalRef,
  SIGNATURE_HEADER,
  stationOpPath,
  STATEMENT_MAX_ENTRIES,
  type PaymentReply,
  type StatementReply,
  type StationOp,
  type StationReplies,
  type StationRequest,
} from '../../shared/platform-protocol';
import {
  GatewayUnavailable,
  type BillGateway,
  type CentralEntry,
  type InquiryResult,
  type PayRequest,
  type PayResult,
  type PaymentStatus,
  type TopUpConfirmation,
} from './types';

export interface PlatformGatewayOptions {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  institutionNo: string;
  /** The station's Ed25519 private key (PEM) — the one registered with the platform. */
  privateKeyPem: string;
  /** Per-request bound (ms); the station's own call timeout wraps this too. */
  timeoutMs?: number;
  /** Shown as 演示 when the platform runs the simulated billers (the embedded demo). */
  demo?: boolean;
}

/** A refusal the platform answered with (4xx): { code, message }. */
export class PlatformRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PlatformRefusal';
  }
}

type Body<O extends StationOp> = Omit<StationRequest<O>, 'institutionNo' | 'op' | 'sentAt'>;

/** Signed calls to the station API. */
export class PlatformClient {
  private readonly key: crypto.KeyObject;
  private readonly base: string;
  constructor(private readonly opts: PlatformGatewayOptions) {
    this.key = crypto.createPrivateKey(opts.privateKeyPem);
    this.base = opts.url.replace(/\/+$/, '');
  }

  get institutionNo(): string {
    return this.opts.institutionNo;
  }

  /** The signed request (path, body, headers) without sending it. */
  signed<O extends StationOp>(
    op: O,
    fields: Body<O>,
    sentAt = new Date(),
  ): { path: string; body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      institutionNo: this.opts.institutionNo,
      op,
      sentAt: sentAt.toISOString(),
      ...fields,
    });
    const signature = crypto.sign(null, Buffer.from(body, 'utf8'), this.key).toString('base64');
    return {
      path: stationOpPath(this.opts.institutionNo, op),
      body,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
    };
  }

  /** Resolves with { status, data } on 2xx; throws PlatformRefusal on 4xx, GatewayUnavailable otherwise.
   *  `timeoutMs` bounds this call instead of the client's own bound. */
  async call<O extends StationOp>(
    op: O,
    fields: Body<O>,
    opts: { timeoutMs?: number } = {},
  ): Promise<{ status: number; data: StationReplies[O] }> {
    const req = this.signed(op, fields);
    let res: Response;
    try {
      res = await fetch(`${this.base}${req.path}`, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? this.opts.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new GatewayUnavailable(`platform unreachable: ${e instanceof Error ? e.message : String(e)}`);
    }
    let json: {
      ok?: boolean;
      data?: unknown;
      error?: { code: string; message: string; details?: Record<string, unknown> };
    };
    try {
      json = (await res.json()) as typeof json;
    } catch {
      throw new GatewayUnavailable(`platform answered ${res.status} without JSON`);
    }
    if (res.ok && json.ok) return { status: res.status, data: json.data as StationReplies[O] };
    if (res.status >= 400 && res.status < 500 && json.error)
      throw new PlatformRefusal(res.status, json.error.code, json.error.message, json.error.details ?? {});
    throw new GatewayUnavailable(`platform answered ${res.status}${json.error ? ` ${json.error.code}` : ''}`);
  }
}

const randomKey = (): string => crypto.randomUUID();

export class PlatformGateway implements BillGateway {
  readonly demo: boolean;
  readonly client: PlatformClient;

  constructor(opts: PlatformGatewayOptions) {
    this.client = new PlatformClient(opts);
    this.demo = opts.demo ?? false;
  }

  async inquire(service: ServiceId, accountNo: string): Promise<InquiryResult> {
    let r;
    try {
      r = await this.client.call('inquire', { requestKey: randomKey(), service, accountNo });
    } catch (e) {
      if (e instanceof PlatformRefusal && e.code === 'BILLER_UNAVAILABLE')
        throw new GatewayUnavailable(e.message);
      throw e;
    }
    const d = r.data;
    // Nothing due and no amount of the customer's choice either: nothing to pay.
    if (d.kind === 'no_bill' || (d.bill.amount === null && !d.bill.choose)) return { kind: 'no_bill' };
    return {
      kind: 'bill',
      bill: {
        billId: d.bill.billId,
        service: d.bill.service,
        accountNo: d.bill.accountNo,
        payeeMasked: d.bill.payeeMasked,
        amountFen: d.bill.amount === null ? null : toFen(d.bill.amount),
        period: d.bill.period,
        // A customer-chosen amount (prepaid meter, phone top-up) within the biller's limits.
        choose: d.bill.choose ? { minFen: toFen(d.bill.choose.min), maxFen: toFen(d.bill.choose.max) } : null,
        biller: d.bill.biller ? { nameZh: d.bill.biller.name, hotline: d.bill.biller.hotline } : null,
      },
    };
  }

  async pay(req: PayRequest): Promise<PayResult> {
    if (!req.service || !req.accountNo)
      throw new Error('the platform needs the service and account of a payment');
    let r;
    try {
      r = await this.client.call('pay', {
        requestKey: req.paymentRef,
        service: req.service,
        accountNo: req.accountNo,
        billId: req.billId,
        amount: formatFen(req.amountFen),
      });
    } catch (e) {
      // Refused before anything was debited (zero credit, a bill that no longer matches…).
      if (e instanceof PlatformRefusal && e.code !== 'BILLER_UNAVAILABLE')
        return { status: 'declined', reason: e.message };
      if (e instanceof PlatformRefusal) throw new GatewayUnavailable(e.message);
      throw e;
    }
    return this.outcome(r.data);
  }

  private outcome(d: PaymentReply): PayResult {
    if (d.status === 'paid') return { status: 'paid', gatewayRef: d.billerRef };
    if (d.status === 'declined') return { status: 'declined', reason: d.reason };
    if (d.status === 'reversed') return { status: 'declined', reason: 'reversed' };
    // Debited at the platform, the biller's answer not in yet: settle later by status.
    throw new GatewayUnavailable('payment pending at the platform');
  }

  async paymentStatus(paymentRef: string): Promise<PaymentStatus> {
    const r = await this.client.call('payment_status', { requestKey: randomKey(), paymentKey: paymentRef });
    if (r.data.status === 'unknown') return { status: 'unknown' };
    return this.outcome(r.data);
  }

  async reversePayment(
    paymentRef: string,
    reason: string,
  ): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.client.call('reverse_payment', {
        requestKey: `rev-${paymentRef}`.slice(0, 64),
        paymentKey: paymentRef,
        reason: reason.slice(0, 200) || '冲正',
      });
      return { ok: true };
    } catch (e) {
      if (e instanceof PlatformRefusal) return { ok: false, reason: e.message };
      throw e;
    }
  }

  async centralBalance(_institutionNo: string): Promise<Fen> {
    const r = await this.client.call('balance', { requestKey: randomKey() });
    return toFen(r.data.balance);
  }

  async statement(fromAt?: string, toAt?: string): Promise<StatementReply> {
    return (
      await this.client.call('statement', {
        requestKey: randomKey(),
        ...(fromAt ? { fromAt } : {}),
        ...(toAt ? { toAt } : {}),
      })
    ).data;
  }

  async centralStatement(fromAt: string): Promise<{ entries: CentralEntry[]; complete: boolean }> {
    const r = await this.statement(fromAt);
    return {
      entries: r.entries.map((e) => ({
        entryNo: e.entryNo,
        kind: e.kind,
        amountFen: toFen(e.amount),
        ref: e.ref,
        at: e.at,
      })),
      complete: r.entries.length < STATEMENT_MAX_ENTRIES,
    };
  }

  async confirmTopUp(
    c: TopUpConfirmation,
  ): Promise<{ confirmed: true } | { confirmed: false; reason: string }> {
    const ref = canonicalRef(c.ref);
    // The key follows the number AS TYPED: a retry of the same entry after a lost answer replays
    // the first confirmation, while the same voucher typed another way (case, separators) is a
    // new request and is refused as already confirmed — the station cannot credit it twice.
    const typed = crypto.createHash('sha256').update(c.ref.trim()).digest('hex').slice(0, 40);
    const requestKey = `${c.kind === 'voucher' ? 'cv' : 'gc'}-${typed}`;
    try {
      if (c.kind === 'voucher')
        await this.client.call('confirm_voucher', {
          requestKey,
          voucherNo: ref,
          amount: formatFen(c.amountFen),
        });
      else
        await this.client.call('green_card_transfer', {
          requestKey,
          bankRef: ref,
          amount: formatFen(c.amountFen),
        });
      return { confirmed: true };
    } catch (e) {
      if (e instanceof PlatformRefusal) return { confirmed: false, reason: e.message };
      throw e;
    }
  }

  async reverseTopUp(): Promise<{ ok: true } | { ok: false; reason: string }> {
    // The branch took the cash and credited the central account; the station cannot undo that.
    return { ok: false, reason: '存款已在网点记入中心账户，站点不能撤销；如有差错请联系网点' };
  }

  close(): void {}
}
