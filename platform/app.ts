// The platform's HTTP server: the monitor (uploads, standing, dashboard), the station API with
// the bill switch, and the office console (platform/office/), over one PlatformStore.
import type { FastifyInstance } from 'fastify';
import crypto from 'node:crypto';
import { BillSwitch } from './bill-switch';
import { simulatedBillers } from './billers/simulated';
import type { Billers } from './billers/types';
import type { Tokens } from './auth';
import { registerOffice } from './office/routes';
import { buildMonitor } from './server';
import { ProvisioningService } from './provisioning/service';
import { registerActivation } from './provisioning/station-routes';
import { registerStationApi } from './station-api';
import type { PlatformStore } from './store/types';

export interface PlatformOptions {
  store: PlatformStore;
  tokens: Tokens;
  /** Default: the simulated billers (演示), their state in the store. */
  billers?: Billers;
  now?: () => Date;
  logger?: boolean | { level: string };
  secureCookies?: boolean;
  /** Simulated biller timeout (ms), when the simulated billers are used. */
  simTimeoutMs?: number;
  /** The Ed25519 key the station profiles are signed with (main.ts keeps it in a file);
   *  default: a new key for this process only (tests). */
  platformKey?: crypto.KeyObject;
}

export interface Platform {
  app: FastifyInstance;
  billSwitch: BillSwitch;
  provisioning: ProvisioningService;
}

export function buildPlatform(opts: PlatformOptions): Platform {
  const now = opts.now ?? (() => new Date());
  const platformKey = opts.platformKey ?? crypto.generateKeyPairSync('ed25519').privateKey;
  const provisioning = new ProvisioningService(opts.store, platformKey, now);
  const app = buildMonitor({
    certificateGate: (no) => provisioning.gate(no),
    store: opts.store.stations,
    anchors: opts.store.anchors,
    takings: opts.store.provisioning,
    tokens: opts.tokens,
    now,
    ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
  });
  const billers =
    opts.billers ??
    simulatedBillers({
      store: opts.store.billers,
      now,
      ...(opts.simTimeoutMs !== undefined ? { timeoutMs: opts.simTimeoutMs } : {}),
    });
  const billSwitch = new BillSwitch(opts.store, billers, now);
  registerStationApi(app, { store: opts.store, billSwitch, now, provisioning });
  registerActivation(app, provisioning);
  registerOffice(app, {
    store: opts.store,
    now,
    provisioning,
    ...(opts.secureCookies ? { secureCookies: true } : {}),
  });
  return { app, billSwitch, provisioning };
}
