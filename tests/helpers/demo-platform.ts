// The central system for a station test: the real platform (in-process Fastify, SQLite in
// <dataDir>/platform, simulated billers), started beside the test station exactly as `npm start`
// runs it (scripts/embedded-platform.ts): the demo station registered with its own key, its Green
// Card bound. The station reaches it through the platform gateway a real station uses (signed
// requests over HTTP), behind a thin wrapper that lets a test take the link down or lose a reply.
import { DEMO_STATION } from '../../backend/backend';
import { PlatformGateway, type PlatformClient } from '../../backend/gateway/platform-gateway';
import {
  GatewayUnavailable,
  type BillGateway,
  type CentralEntry,
  type PayRequest,
  type TopUpConfirmation,
} from '../../backend/gateway/types';
import { loadOrCreateStationKey } from '../../backend/services/station-key';
import type { ServiceId } from '../../shared/catalogue';
import { parseMoney, type Fen } from '../../shared/money';
import { SIM_ACCOUNTS } from '../../shared/sim-billers';
import {
  demoBranchDeposit,
  provisionDemoStation,
  startEmbeddedPlatform,
  type EmbeddedPlatform,
} from '../../scripts/embedded-platform';

/** The simulated billers' special account numbers (README 'What is simulated'). */
export const DEMO_ACCOUNTS = SIM_ACCOUNTS;

/** How long the simulated billers' timeout accounts hang: the platform answers "pending" or
 *  "unavailable" after it, well inside the station's own call bound. */
export const SIM_TIMEOUT_MS = 100;

/**
 * The platform gateway as the station holds it, with the faults a test injects between the two:
 * `offline` takes the link down (every call fails before it leaves the station, as when the
 * network is out). A test loses a reply by replacing a method on this object (the request
 * reaches the platform, the answer does not come back), as it would on any gateway.
 */
export class FaultyGateway implements BillGateway {
  /** The wrapped adapter's signed client (the station fetches its profile with it). */
  get client(): PlatformClient {
    return this.inner.client;
  }
  /** The link to the platform is down: nothing reaches it. */
  offline = false;
  readonly demo: boolean;

  constructor(readonly inner: PlatformGateway) {
    this.demo = inner.demo;
  }

  private async reach(): Promise<void> {
    // Never a synchronous answer, even when the link is down.
    await new Promise<void>((r) => setImmediate(r));
    if (this.offline) throw new GatewayUnavailable('test: link to the platform down');
  }

  async inquire(service: ServiceId, accountNo: string) {
    await this.reach();
    return this.inner.inquire(service, accountNo);
  }
  async pay(req: PayRequest) {
    await this.reach();
    return this.inner.pay(req);
  }
  async paymentStatus(paymentRef: string) {
    await this.reach();
    return this.inner.paymentStatus(paymentRef);
  }
  async reversePayment(paymentRef: string, reason: string) {
    await this.reach();
    return this.inner.reversePayment(paymentRef, reason);
  }
  async centralBalance(institutionNo: string): Promise<Fen> {
    await this.reach();
    return this.inner.centralBalance(institutionNo);
  }
  async centralStatement(fromAt: string): Promise<{ entries: CentralEntry[]; complete: boolean }> {
    await this.reach();
    return this.inner.centralStatement(fromAt);
  }
  async confirmTopUp(c: TopUpConfirmation) {
    await this.reach();
    return this.inner.confirmTopUp(c);
  }
  async reverseTopUp(_ref: string, _amountFen: Fen, _institutionNo: string) {
    await this.reach();
    return this.inner.reverseTopUp();
  }
  close(): void {
    this.inner.close();
  }
}

export interface DemoPlatform {
  platform: EmbeddedPlatform;
  url: string;
  institutionNo: string;
  gateway: FaultyGateway;
  /** The opening float's voucher, issued on the station's first registration when asked for
   *  (a test station starts with nothing, central or local, unless it wants the demo's float). */
  openingVoucher: { voucherNo: string; branchCode: string; clerk: string; amount: Fen } | undefined;
  /** A branch deposit for the station (the customer of the branch is the station holder);
   *  returns the voucher number the branch hands over, for the station to confirm (PAY-2). */
  deposit(amount: string | number): Promise<string>;
  /** The station's central balance as the platform holds it. */
  balanceFen(): Promise<number>;
  stop(): Promise<void>;
}

let deposits = 0;

/** Starts the platform for the station in `dataDir` (the demo station), registers it on its first
 *  start; on the same data directory again, the same platform store (what it recorded stays). */
export async function startDemoPlatform(
  dataDir: string,
  opts: { now?: () => Date; gatewayTimeoutMs?: number; openingFloat?: boolean } = {},
): Promise<DemoPlatform> {
  const platform = await startEmbeddedPlatform(dataDir, {
    simTimeoutMs: SIM_TIMEOUT_MS,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const key = loadOrCreateStationKey(dataDir);
  const institutionNo = DEMO_STATION.institutionNo;
  const openingVoucher = await provisionDemoStation(
    platform,
    {
      institutionNo,
      name: DEMO_STATION.name,
      holder: DEMO_STATION.holder.name,
      dataDir,
      privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      greenCardMasked: DEMO_STATION.greenCardMasked,
    },
    { openingFloat: opts.openingFloat ?? false },
  );
  const gateway = new FaultyGateway(
    new PlatformGateway({
      url: platform.url,
      institutionNo,
      privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      timeoutMs: opts.gatewayTimeoutMs ?? 30_000,
      demo: true,
    }),
  );
  return {
    platform,
    url: platform.url,
    institutionNo,
    gateway,
    openingVoucher,
    async deposit(amount) {
      const amountFen = typeof amount === 'number' ? amount : parseMoney(amount);
      deposits += 1;
      const v = await demoBranchDeposit(
        platform,
        institutionNo,
        amountFen,
        `test-deposit-${process.pid}-${Date.now()}-${deposits}`,
      );
      return v.voucherNo;
    },
    async balanceFen() {
      return (await platform.store.accounts.balance(institutionNo))?.balanceFen ?? 0;
    },
    stop: () => platform.close(),
  };
}
