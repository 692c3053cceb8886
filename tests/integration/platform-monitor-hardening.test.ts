// The monitor's defects from issue 9 (items 7 and 8, monitor part): small-order keys refused
// at registration; a mistyped /?token= never reaches the log; dashboard sessions are random,
// server-side, expire and end at logout; an anonymous flood cannot push real refusals out.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS } from '../../platform/auth';
import { REFUSALS_PER_WINDOW, REFUSAL_WINDOW_MS } from '../../platform/refusal-limit';
import { buildMonitor } from '../../platform/server';
import { openSqliteMonitorStore, type SqliteMonitorStore } from '../../platform/store/sqlite-stations';
import type { FastifyInstance } from 'fastify';

const ADMIN = 'admin-token-for-tests-0123456789';

describe('monitor hardening', () => {
  let dir: string;
  let store: SqliteMonitorStore;
  let app: FastifyInstance;
  let log: string[];
  let t: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yz-mon-hard-'));
    store = openSqliteMonitorStore(dir);
    log = [];
    t = Date.parse('2026-12-03T02:00:00Z');
    app = buildMonitor({
      store,
      tokens: { admin: ADMIN },
      now: () => new Date(t),
      logger: { level: 'info', stream: { write: (line: string) => void log.push(line) } },
    });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const register = (publicKey: string, institutionNo = '110100000001') =>
    app.inject({
      method: 'POST',
      url: '/v1/stations',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ institutionNo, name: '站', openingDate: '2026-01-05', publicKey }),
    });

  it('refuses small-order Ed25519 public keys (identity, order 2, 4, 8) and non-canonical encodings at registration', async () => {
    const smallOrder = [
      '0100000000000000000000000000000000000000000000000000000000000000', // identity
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
      '0000000000000000000000000000000000000000000000000000000000000000', // order 4
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8, other sign
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1 (≡ identity)
    ];
    for (const hex of smallOrder) {
      const r = await register(Buffer.from(hex, 'hex').toString('base64'));
      expect(r.statusCode, hex).toBe(422);
      expect(r.json().error.code).toBe('INVALID_PUBLIC_KEY');
    }
    expect(await store.getStation('110100000001')).toBeUndefined();
    // A real key is accepted.
    const { publicKey } = crypto.generateKeyPairSync('ed25519');
    expect((await register(publicKey.export({ format: 'pem', type: 'spki' }).toString())).statusCode).toBe(
      201,
    );
  });

  it('a mistyped /?token= is not written to the log', async () => {
    const typo = 'admin-token-for-tests-0123456788-TYPO';
    const r = await app.inject({ method: 'GET', url: `/?token=${typo}` });
    expect(r.statusCode).toBe(401);
    expect(log.some((l) => l.includes('"refused"') || l.includes('refused'))).toBe(true);
    expect(log.join('\n')).not.toContain(typo);
    expect(JSON.stringify(await store.recentRefusals(10))).not.toContain(typo);
  });

  it('dashboard sessions are random and server-side: they expire when idle and end at logout', async () => {
    const login = async () => {
      const r = await app.inject({ method: 'GET', url: `/?token=${ADMIN}` });
      expect(r.statusCode).toBe(303);
      return String(r.headers['set-cookie']).split(';')[0]!;
    };
    const a = await login();
    const b = await login();
    expect(a).not.toBe(b); // random, not a fixed hash of the token
    const page = (cookie: string) =>
      app.inject({ method: 'GET', url: '/', headers: { cookie } }).then((r) => r.statusCode);
    expect(await page(a)).toBe(200);
    await app.inject({ method: 'GET', url: '/logout', headers: { cookie: a } });
    expect(await page(a)).toBe(401); // ended at logout, even if the browser kept the cookie
    expect(await page(b)).toBe(200);
    t += SESSION_IDLE_MS + 1_000;
    expect(await page(b)).toBe(401); // expired
    // A made-up cookie value is nobody's session.
    expect(await page(`yizhan_monitor_session=${crypto.randomBytes(32).toString('base64url')}`)).toBe(401);
  });

  it('an anonymous flood from one source cannot push real refusals out: it is stored up to a limit, then summarised', async () => {
    const flood = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          app.inject({ method: 'GET', url: '/v1/standing', remoteAddress: '203.0.113.9' }),
        ),
      );
    await flood(300);
    const real = await app.inject({ method: 'GET', url: '/v1/refusals', remoteAddress: '198.51.100.7' });
    expect(real.statusCode).toBe(401);
    let rows = await store.recentRefusals(1_000);
    expect(rows.filter((r) => r.remote === '203.0.113.9')).toHaveLength(REFUSALS_PER_WINDOW);
    expect(rows.filter((r) => r.remote === '198.51.100.7')).toHaveLength(1);
    // The next window: what was held back is one summary row with its count.
    t += REFUSAL_WINDOW_MS;
    await flood(1);
    rows = await store.recentRefusals(1_000);
    const summary = rows.find((r) => r.code === 'REFUSALS_SUPPRESSED');
    expect(summary).toMatchObject({
      remote: '203.0.113.9',
      details: { count: 300 - REFUSALS_PER_WINDOW, codes: { UNAUTHORIZED: 280 } },
    });
  });
});
