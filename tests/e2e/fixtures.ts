// A fresh station for every test: scripts/web.ts (browser mode) on a free port with a new data
// directory and a fixed token, started with `npx tsx`, ready when it prints its "open:" line,
// killed (its whole process group) afterwards.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import type { ApiReply } from '../../shared/errors';
import { DEMO_STATION } from '../../backend/backend';
import { parseMoney } from '../../shared/money';
import { demoBranchDeposit } from '../../scripts/embedded-platform';
import { openSqlitePlatformStore } from '../../platform/store/sqlite';
import { confirmPayeeArgs, type LookedUpBill } from '../helpers/payee';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOKEN = 'e2e-token-0123456789';
export const ARTIFACTS = path.join(REPO, 'tests', 'artifacts');
/** The demo holder's PIN in the e2e tests (set at the first login, through the API). */
export const E2E_PIN = '2468';
const START_TIMEOUT_MS = 180_000; // only catches a station that never starts; a busy machine is slow

export interface Station {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The start-up URL with the token. */
  url: string;
  dataDir: string;
  /** Calls the API directly (for set-up and for checking what the UI did). */
  api<C extends Channel>(channel: C, args?: ChannelInput<C>): Promise<ApiReply<ChannelOutput<C>>>;
  /** Same, but returns the data or throws. */
  data<C extends Channel>(channel: C, args?: ChannelInput<C>): Promise<ChannelOutput<C>>;
  /** A deposit for the station at the demo branch of its embedded platform (as the console
   *  makes it): the voucher number the station then confirms (PAY-2). */
  branchVoucher(amount: string): Promise<string>;
  log(): string;
}

let deposits = 0;

/** A child started with `npx tsx <args>` on a fresh data folder (given as `--data`), in its own
 *  process group (npx → tsx → node all go on stop): what `ready` finds in its output once it is
 *  there, its output so far, and its stop (which also removes the data folder). Used for the
 *  station (spawnWeb) and the platform (platform-fixtures.ts). */
export async function spawnTsx<T>(opts: {
  /** What it is, for the error when it does not start. */
  what: string;
  args: string[];
  dataPrefix: string;
  env?: NodeJS.ProcessEnv;
  /** Only catches a child that never starts. */
  timeoutMs: number;
  ready: (out: string) => T | undefined;
}): Promise<{ ready: T; dataDir: string; log: () => string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), opts.dataPrefix));
  const child: ChildProcess = spawn('npx', ['tsx', ...opts.args, '--data', dataDir], {
    cwd: REPO,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
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
  try {
    const ready = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${opts.what} did not start in ${opts.timeoutMs} ms:\n${out}`)),
        opts.timeoutMs,
      );
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const r = opts.ready(out);
        if (r !== undefined) {
          clearTimeout(timer);
          resolve(r);
        }
      });
      child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${opts.what} exited (${code}) before it was ready:\n${out}`));
      });
    });
    return { ready, dataDir, log: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** scripts/web.ts on a fresh data folder: the start-up URL once it prints it, and its stop. */
export async function spawnWeb(
  flags: string[],
): Promise<{ url: string; dataDir: string; log: () => string; stop: () => Promise<void> }> {
  if (!fs.existsSync(path.join(REPO, 'out', 'renderer', 'index.html'))) {
    throw new Error('out/renderer/index.html is missing: run `npm run build:renderer` before the e2e tests');
  }
  const web = await spawnTsx({
    what: 'web.ts',
    args: ['scripts/web.ts', ...flags, '--port', '0'],
    dataPrefix: 'yizhan-e2e-',
    env: { ...process.env, YIZHAN_TOKEN: TOKEN },
    timeoutMs: START_TIMEOUT_MS,
    ready: (out) => /open:\s+(\S+)/.exec(out)?.[1],
  });
  return { url: web.ready, dataDir: web.dataDir, log: web.log, stop: web.stop };
}

/** The demo station beside its embedded platform, as `npm start` runs it once 演示站点 is chosen
 *  (`--demo`: without the first-run choice). */
async function startStation(): Promise<Started<Station>> {
  const { url, dataDir, log, stop } = await spawnWeb(['--demo']);
  const origin = new URL(url).origin;
  const auth: { session?: string } = {};
  const api = async <C extends Channel>(channel: C, args?: ChannelInput<C>) => {
    const res = await fetch(`${origin}/api/${channel}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        ...(auth.session ? { 'x-yizhan-session': auth.session } : {}),
      },
      body: args === undefined ? '' : JSON.stringify(args),
    });
    return (await res.json()) as ApiReply<ChannelOutput<C>>;
  };
  // The test's own API client logs in as the demo holder, setting the PIN the screen then uses.
  const login = await api('auth.login', { operatorId: 'op-holder', pin: E2E_PIN, newPin: E2E_PIN });
  if (!login.ok) {
    await stop();
    throw new Error(`e2e login: ${login.error.code} ${login.error.message}`);
  }
  auth.session = login.data.session;
  const station: Station = {
    origin,
    url,
    dataDir,
    api,
    async data(channel, args) {
      const r = await api(channel, args);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.data;
    },
    async branchVoucher(amount) {
      // The platform's store in the station's data folder, opened beside the running platform
      // (SQLite, WAL): the deposit a branch clerk makes in the console.
      const store = openSqlitePlatformStore(path.join(dataDir, 'platform'));
      try {
        deposits += 1;
        const v = await demoBranchDeposit(
          { store, now: () => new Date() },
          DEMO_STATION.institutionNo,
          parseMoney(amount),
          `e2e-deposit-${process.pid}-${deposits}`,
        );
        return v.voucherNo;
      } finally {
        await store.close();
      }
    },
    log,
  };
  return { value: station, stop };
}

/** Something a test starts (a station, a platform) and its stop. */
export interface Started<T> {
  value: T;
  stop: () => Promise<void>;
}

/** A fixture for what `start` starts: given to the test, stopped after it, passed or failed. */
export function startedFixture<T>(start: () => Promise<Started<T>>) {
  // eslint-disable-next-line no-empty-pattern
  return async ({}, use: (value: T) => Promise<void>) => {
    const { value, stop } = await start();
    try {
      await use(value);
    } finally {
      await stop();
    }
  };
}

export const test = base.extend<{ station: Station; app: Page }>({
  station: startedFixture(startStation),
  /** The app opened on its start-up URL, header loaded. */
  app: async ({ page, station }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(station.url);
    await loginOnScreen(page);
    await use(page);
    // A CSP violation or a React crash is a bug even when the test's own checks passed.
    expect(
      errors.filter((e) => /Content Security Policy|Uncaught|TypeError|ReferenceError/.test(e)),
      'page errors',
    ).toEqual([]);
  },
});

export { expect };

/** Logs the demo holder in on the login screen (issue 12) and waits for the counter. */
export async function loginOnScreen(page: Page, pin = E2E_PIN): Promise<void> {
  await expect(page.getByTestId('login-screen')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('login-pin').fill(pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('float-balance')).toBeVisible({ timeout: 30_000 });
}

/** SRV-2 through the API, as the counter's 已与客户核对 does: the operator confirms the looked-up
 *  bill (at its amount due, or the customer's chosen `amount`) with the customer; the token is
 *  what `bill.pay` requires (`confirmedPayee`). */
export async function confirmPayee(station: Station, bill: LookedUpBill, amount?: string): Promise<string> {
  return (await station.data('bill.confirmPayee', confirmPayeeArgs(bill, amount))).confirmedPayee;
}

export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
