// A fresh platform for every test: `platform/main.ts` (embedded SQLite) on a free port with a new
// data directory, started like the station (spawnTsx in ./fixtures.ts), ready when it prints its
// "listening" line; the first office admin's password is read from its start-up lines (printed
// once). Killed (its whole process group) afterwards.
import { expect, type APIRequestContext } from '@playwright/test';
import crypto from 'node:crypto';
import { test as base, spawnTsx, startedFixture, type Started } from './fixtures';

export { REPO } from './fixtures';
export const PLATFORM_TOKEN = 'e2e-platform-admin-token-0123456789';
const START_TIMEOUT_MS = 60_000;

export interface Platform {
  /** http://127.0.0.1:PORT */
  origin: string;
  dataDir: string;
  admin: { username: string; password: string };
  log(): string;
}

export interface NewStation {
  institutionNo: string;
  name: string;
  holder?: string;
  openingDate?: string;
}

async function startPlatform(): Promise<Started<Platform>> {
  const p = await spawnTsx({
    what: 'the platform',
    args: ['platform/main.ts', '--port', '0', '--admin-token', PLATFORM_TOKEN, '--log-level', 'warn'],
    dataPrefix: 'yizhan-e2e-platform-',
    timeoutMs: START_TIMEOUT_MS,
    ready: (out) => {
      const url = /^listening (\S+)$/m.exec(out);
      // 「首个管理员：admin  一次性密码：<password>（登录后请修改）」, printed once at first start.
      const admin = /(?:首个管理员：admin\s+一次性密码：|^office admin: admin )([A-Za-z0-9_-]+)/m.exec(out);
      return url?.[1] && admin?.[1] ? { origin: url[1], password: admin[1] } : undefined;
    },
  });
  const platform: Platform = {
    origin: p.ready.origin,
    dataDir: p.dataDir,
    admin: { username: 'admin', password: p.ready.password },
    log: p.log,
  };
  return { value: platform, stop: p.stop };
}

/** Registers a station through the platform's admin API (Ed25519 key made here). */
export async function registerStation(request: APIRequestContext, p: Platform, s: NewStation): Promise<void> {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  const r = await request.post(`${p.origin}/v1/stations`, {
    headers: { authorization: `Bearer ${PLATFORM_TOKEN}` },
    data: {
      institutionNo: s.institutionNo,
      name: s.name,
      ...(s.holder ? { holder: s.holder } : {}),
      openingDate: s.openingDate ?? '2026-01-05',
      publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    },
  });
  expect(r.status(), await r.text()).toBe(201);
}

/** An office API session (JSON, as a script would use it): login with the pre-login token. */
export async function officeLogin(
  request: APIRequestContext,
  p: Platform,
  username: string,
  password: string,
): Promise<{ csrf: string }> {
  const page = await request.get(`${p.origin}/office/login`, { headers: { accept: 'application/json' } });
  const pre = ((await page.json()) as { data: { csrf: string } }).data.csrf;
  const r = await request.post(`${p.origin}/office/login`, {
    headers: { accept: 'application/json', 'x-csrf-token': pre },
    data: { username, password },
  });
  expect(r.status(), await r.text()).toBe(200);
  return { csrf: ((await r.json()) as { data: { csrf: string } }).data.csrf };
}

/** Creates an office user as the admin (through a separate API context); returns the password. */
export async function createUser(
  request: APIRequestContext,
  p: Platform,
  user: {
    username: string;
    displayName: string;
    role: 'clerk' | 'supervisor' | 'admin';
    branchCode?: string;
  },
): Promise<string> {
  const { csrf } = await officeLogin(request, p, p.admin.username, p.admin.password);
  const r = await request.post(`${p.origin}/office/users`, {
    headers: { accept: 'application/json', 'x-csrf-token': csrf },
    data: user,
  });
  expect(r.status(), await r.text()).toBe(201);
  return ((await r.json()) as { data: { password: string } }).data.password;
}

export const test = base.extend<{ platform: Platform }>({
  platform: startedFixture(startPlatform),
});

export { expect };

/** The platform `npm run web` embeds beside the demo station, read from the station's start-up
 *  lines (its console URL and the first office admin's one-time password). */
export function embeddedPlatform(stationLog: string): Platform {
  const origin = /console:\s+(http:\/\/\S+?)\/office\//.exec(stationLog)?.[1];
  const password = /office admin: admin \/ (\S+)/.exec(stationLog)?.[1];
  if (!origin || !password) throw new Error(`no embedded platform in the station's log:\n${stationLog}`);
  return { origin, dataDir: '', admin: { username: 'admin', password }, log: () => stationLog };
}

/** The embedded platform of `npm run web` and a new branch clerk (branch 350100) in it. */
export async function embeddedClerk(
  request: APIRequestContext,
  stationLog: string,
  clerk: { username: string; displayName: string },
): Promise<{ platform: Platform; password: string }> {
  const platform = embeddedPlatform(stationLog);
  const password = await createUser(request, platform, { ...clerk, role: 'clerk', branchCode: '350100' });
  return { platform, password };
}
