// A fresh platform for every test: `platform/main.ts` (embedded SQLite) on a free port with a new
// data directory, started with `npx tsx`, ready when it prints its "listening" line; the first
// office admin's password is read from its start-up lines (printed once). Killed (its whole
// process group) afterwards.
import { expect, type APIRequestContext } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base } from './fixtures';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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

async function startPlatform(): Promise<{ platform: Platform; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-e2e-platform-'));
  const child: ChildProcess = spawn(
    'npx',
    [
      'tsx',
      'platform/main.ts',
      '--data',
      dataDir,
      '--port',
      '0',
      '--admin-token',
      PLATFORM_TOKEN,
      '--log-level',
      'warn',
    ],
    { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const ready = await new Promise<{ origin: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the platform did not start in ${START_TIMEOUT_MS} ms:\n${out}`)),
      START_TIMEOUT_MS,
    );
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const url = /^listening (\S+)$/m.exec(out);
      // 「首个管理员：admin  一次性密码：<password>（登录后请修改）」, printed once at first start.
      const admin = /(?:首个管理员：admin\s+一次性密码：|^office admin: admin )([A-Za-z0-9_-]+)/m.exec(out);
      if (url?.[1] && admin?.[1]) {
        clearTimeout(timer);
        resolve({ origin: url[1], password: admin[1] });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited (${code}) before it was ready:\n${out}`));
    });
  });
  const platform: Platform = {
    origin: ready.origin,
    dataDir,
    admin: { username: 'admin', password: ready.password },
    log: () => out,
  };
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { platform, stop };
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
  // eslint-disable-next-line no-empty-pattern
  platform: async ({}, use) => {
    const { platform, stop } = await startPlatform();
    try {
      await use(platform);
    } finally {
      await stop();
    }
  },
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
