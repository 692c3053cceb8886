// A real monitor on 127.0.0.1 (random port, temp data dir, movable clock) and stations that
// sign their uploads like the app will.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { jsonOr, movableClock, serveOnLoopback } from './serve';
import { buildMonitor } from '../../platform/server';
import { openSqliteMonitorStore, type SqliteMonitorStore } from '../../platform/store/sqlite-stations';
import {
  buildSignedUpload,
  generateStationKeyPair,
  signUploadBody,
  type StationKeyPair,
} from '../../backend/monitor-signing';
import { SIGNATURE_HEADER, uploadPath, type DayReport } from '../../shared/monitor-protocol';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
export const READ_TOKEN = 'read-token-for-tests-0123456789';

export interface TestMonitor {
  url: string;
  store: SqliteMonitorStore;
  app: FastifyInstance;
  dir: string;
  setNow(iso: string): void;
  close(): Promise<void>;
}

export async function startMonitor(nowIso: string): Promise<TestMonitor> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-monitor-'));
  const store = openSqliteMonitorStore(dir);
  const clock = movableClock(nowIso);
  const app = buildMonitor({ store, tokens: { admin: ADMIN_TOKEN, read: READ_TOKEN }, now: clock.now });
  return serveOnLoopback(app, { store, dir, setNow: clock.setNow }, async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

export interface Reply<T = unknown> {
  status: number;
  json: T;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  init: RequestInit = {},
): Promise<Reply<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  const json = jsonOr(text, text);
  return { status: res.status, json: json as T, headers: res.headers };
}

export function adminPost(m: TestMonitor, p: string, body: unknown, token = ADMIN_TOKEN): Promise<Reply> {
  return call(`${m.url}${p}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function get(m: TestMonitor, p: string, token: string | null = READ_TOKEN): Promise<Reply> {
  return call(`${m.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

export class TestStation {
  readonly keys: StationKeyPair = generateStationKeyPair();
  seq = 0;
  constructor(
    readonly m: TestMonitor,
    readonly institutionNo: string,
    readonly openingDate: string,
    readonly name = `测试便民站${institutionNo}`,
  ) {}

  register(publicKey: string = this.keys.publicKeyPem): Promise<Reply> {
    return adminPost(this.m, '/v1/stations', {
      institutionNo: this.institutionNo,
      name: this.name,
      openingDate: this.openingDate,
      publicKey,
    });
  }

  /** Signs and sends the next seq (or the one given). */
  upload(days: DayReport[], opts: { seq?: number; sentAt?: string } = {}): Promise<Reply> {
    const seq = opts.seq ?? ++this.seq;
    const signed = buildSignedUpload(
      { institutionNo: this.institutionNo, seq, sentAt: opts.sentAt ?? '2025-06-15T20:00:00+08:00', days },
      this.keys.privateKeyPem,
    );
    return this.send(signed.body, signed.headers);
  }

  /** Sends any bytes, signed with this station's key unless a signature is given. */
  sendRaw(
    body: string,
    opts: { signature?: string | null; contentType?: string; path?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
    const sig = opts.signature === undefined ? signUploadBody(body, this.keys.privateKeyPem) : opts.signature;
    if (sig !== null) headers[SIGNATURE_HEADER] = sig;
    return call(`${this.m.url}${opts.path ?? uploadPath(this.institutionNo)}`, {
      method: 'POST',
      headers,
      body,
    });
  }

  private send(body: string, headers: Record<string, string>): Promise<Reply> {
    return call(`${this.m.url}${uploadPath(this.institutionNo)}`, { method: 'POST', headers, body });
  }
}

/** Daily counts spread over a month: `total` transactions on its first days, one row per day. */
export function monthDays(month: string, total: number, days = 5): DayReport[] {
  const out: DayReport[] = [];
  for (let i = 0; i < days; i++) {
    const n = Math.floor(total / days) + (i < total % days ? 1 : 0);
    out.push({ day: `${month}-${String(i + 1).padStart(2, '0')}`, count: n });
  }
  return out;
}
