// A platform with its branch console on 127.0.0.1 (random port, temp data dir or a fresh
// PostgreSQL database, movable clock), and a console client that keeps its cookies and CSRF
// token like a browser does.
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFirstAdmin } from '../../platform/office/routes';
import { buildPlatform } from '../../platform/app';
import { openSqlitePlatformStore } from '../../platform/store/sqlite';
import type { PlatformStore } from '../../platform/store/types';
import { jsonOr, movableClock, serveOnLoopback } from './serve';

export type Engine = 'sqlite' | 'pg';

/** The platform's admin token in these tests (station registration through the API). */
export const OFFICE_TEST_ADMIN_TOKEN = 'office-test-admin-token-0123456789';

export interface TestOffice {
  url: string;
  app: FastifyInstance;
  store: PlatformStore;
  admin: { username: string; password: string };
  now(): Date;
  setNow(iso: string): void;
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Opens a fresh store of the engine: a temp SQLite directory, or a new PostgreSQL database. */
export type StoreOpener = () => Promise<{ store: PlatformStore; cleanup: () => Promise<void> }>;

export const sqliteOpener: StoreOpener = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-office-'));
  const store = openSqlitePlatformStore(dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

export async function startOffice(
  open: StoreOpener,
  nowIso = '2026-12-03T02:00:00Z',
  opts: { secureCookies?: boolean } = {},
): Promise<TestOffice> {
  const { store, cleanup } = await open();
  const clock = movableClock(nowIso);
  // The platform's own server, so the console runs behind its parsers, hooks and handlers.
  const { app } = buildPlatform({
    store,
    tokens: { admin: OFFICE_TEST_ADMIN_TOKEN },
    now: clock.now,
    ...(opts.secureCookies ? { secureCookies: true } : {}),
  });
  const admin = await ensureFirstAdmin(store, clock.now());
  if (!admin) throw new Error('a fresh store should have no users');
  return serveOnLoopback(app, { store, admin, ...clock }, cleanup);
}

/** A refusal as the console's JSON API answers it. */
export type ErrorReply = {
  ok: false;
  error: { code: string; message: string; details: Record<string, unknown> };
};

export interface Reply<T = Record<string, unknown>> {
  status: number;
  json: T;
  text: string;
  headers: Headers;
}

/** A console user's browser, reduced to cookies and the CSRF token, speaking JSON. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  /** The password this client logged in with (tests log in again after moving the clock). */
  password: string | undefined;

  constructor(readonly office: Pick<TestOffice, 'url'>) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(headers: Headers): void {
    for (const c of headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    p: string,
    opts: {
      body?: unknown;
      form?: Record<string, string>;
      raw?: string;
      headers?: Record<string, string>;
      csrf?: string | null;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers['cookie'] = cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (method === 'POST' && csrf !== null && csrf !== undefined) headers['x-csrf-token'] = csrf;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
    } else if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (method === 'POST') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body ?? {});
    }
    const res = await fetch(`${this.office.url}${p}`, { method, headers, body, redirect: 'manual' });
    this.keep(res.headers);
    const text = await res.text();
    const json = jsonOr(text, undefined);
    return { status: res.status, json: json as T, text, headers: res.headers };
  }

  get<T = Record<string, unknown>>(p: string): Promise<Reply<T>> {
    return this.request<T>('GET', p);
  }

  post<T = Record<string, unknown>>(p: string, body: unknown = {}, csrf?: string | null): Promise<Reply<T>> {
    return this.request<T>('POST', p, { body, csrf });
  }

  /** GET the login page (the pre-login token), then POST the credentials. */
  async login(username: string, password: string): Promise<Reply> {
    const page = await this.get<{ data: { csrf: string } }>('/office/login');
    const r = await this.request('POST', '/office/login', {
      body: { username, password },
      csrf: page.json.data.csrf,
    });
    if (r.status === 200) {
      this.csrf = (r.json as { data: { csrf: string } }).data.csrf;
      this.password = password;
    }
    return r;
  }
}

/** Logs in as the admin and creates a user; returns a client logged in as that user. */
export async function userClient(
  office: TestOffice,
  user: {
    username: string;
    displayName?: string;
    role: 'admin' | 'clerk' | 'supervisor';
    branchCode?: string;
  },
): Promise<ConsoleClient> {
  const admin = new ConsoleClient(office);
  const a = await admin.login(office.admin.username, office.admin.password);
  if (a.status !== 200) throw new Error(`admin login: ${a.status} ${a.text}`);
  const created = await admin.post<{ data: { password: string } }>('/office/users', {
    displayName: user.username,
    ...user,
  });
  if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
  const c = new ConsoleClient(office);
  const r = await c.login(user.username, created.json.data.password);
  if (r.status !== 200) throw new Error(`login ${user.username}: ${r.status} ${r.text}`);
  return c;
}

/** Registers a station directly in the store (its account opens with it). */
export async function registerStation(
  office: TestOffice,
  institutionNo: string,
  name = `测试便民站${institutionNo}`,
  holder: string | null = '李经营',
) {
  return office.store.stations.registerStation({
    institutionNo,
    name,
    holder,
    openingDate: '2026-01-01',
    publicKey: new Uint8Array(32).fill(7),
    registeredAt: office.now().toISOString(),
  });
}

/** The deposit form for station `no` as the console fills it for `c`: `amount` from `depositor`,
 *  under the request key the station's look-up gave the form. */
export async function depositForm(c: ConsoleClient, no: string, amount: string, depositor = '张三') {
  const look = await c.get<{ data: { requestKey: string } }>(`/office/deposit?no=${no}`);
  if (look.status !== 200) throw new Error(`deposit look-up: ${look.status} ${look.text}`);
  return { institutionNo: no, amount, depositor, requestKey: look.json.data.requestKey };
}

/** The form the office fills to provision station `institutionNo` (POST /office/stations): a
 *  newsstand of branch 350100 taking every service, its holder 店主（演示）, unless `fields` say
 *  otherwise. */
export function stationForm(institutionNo: string, fields: Record<string, unknown> = {}) {
  return {
    institutionNo,
    name: '演示站点',
    type: 'newsstand',
    address: '测试地址',
    branchCode: '350100',
    holderName: '店主（演示）',
    holderId: '350102198001010000',
    openingDate: '2026-01-05',
    agreementStart: '2026-01-05',
    agreementEnd: '2027-12-31',
    deposit: '0.00',
    depositReceiptNo: 'TEST',
    services: ['water', 'electricity', 'gas', 'telephone'],
    ...fields,
  };
}
