// Central bill payments through the station API (issue 10, performance): ≥ 100 simulated
// stations at once, each request signed (Ed25519) and carrying its own idempotency key, the
// platform in its own process (`platform/main.ts`), this process the load generator. On
// PostgreSQL (a throwaway durable cluster: fsync on, synchronous commit) and on SQLite.
// Targets: ≥ 1,000 payments/s, p99 < 50 ms. Afterwards the books are checked: every station's
// central balance = its deposit − its paid payments, journal and payments agree.
// Long on purpose (about 560 lines): one load test — the load generator, the platform process it
// starts and the check of the books after it share their state.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPgPlatformStore } from '../../platform/store/pg';
import { openSqlitePlatformStore } from '../../platform/store/sqlite';
import type { PlatformStore, StoreEngine } from '../../platform/store/types';
import { SIGNATURE_HEADER, stationOpPath } from '../../shared/platform-protocol';
import { startPg } from '../helpers/pg';
import { percentile, type BenchResult, type BenchSuite } from './harness';
import { Connection, processCpuMs } from './monitor.bench';
import { startServerProcess } from '../helpers/server-process';

const STATIONS = Number(process.env['YIZHAN_BENCH_PLATFORM_STATIONS'] ?? 100);
const PAYMENTS = Number(process.env['YIZHAN_BENCH_PLATFORM_PAYMENTS'] ?? 10_000);
const RATE_TARGET = 1_000;
const P99_TARGET_MS = 50;
const DEPOSIT_FEN = 10_000_000; // 100,000.00 each
const AMOUNT = '10.00';
const ADMIN = 'bench-admin-token-0123456789abcdef';
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../platform/main.ts');

interface Station {
  institutionNo: string;
  key: crypto.KeyObject;
  accountNo: string;
}

async function setUp(store: PlatformStore): Promise<Station[]> {
  const stations: Station[] = [];
  for (let i = 0; i < STATIONS; i++) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    stations.push({
      institutionNo: `P${String(i).padStart(9, '0')}`,
      key: privateKey,
      accountNo: `5566${String(i).padStart(6, '0')}`,
    });
    await store.stations.registerStation({
      institutionNo: stations[i]!.institutionNo,
      name: `基准站${i}`,
      openingDate: '2026-01-05',
      publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'),
      registeredAt: new Date().toISOString(),
    });
    const k = `bench-deposit-${i}`;
    await store.accounts.deposit({
      institutionNo: stations[i]!.institutionNo,
      amountFen: DEPOSIT_FEN,
      depositor: '基准',
      branchId: 'B001',
      clerk: 'bench',
      requestKey: k,
      requestSha256: crypto.createHash('sha256').update(k).digest('hex'),
      at: new Date().toISOString(),
    });
  }
  return stations;
}

function payRequest(url: URL, s: Station, period: string): Buffer {
  const body = Buffer.from(
    JSON.stringify({
      institutionNo: s.institutionNo,
      op: 'pay',
      requestKey: crypto.randomUUID(),
      sentAt: new Date().toISOString(),
      service: 'electricity',
      accountNo: s.accountNo,
      billId: `EL${s.accountNo}-${period}`,
      amount: AMOUNT,
    }),
  );
  const signature = crypto.sign(null, body, s.key).toString('base64');
  const head =
    `POST ${stationOpPath(s.institutionNo, 'pay')} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
    `content-length: ${body.length}\r\n${SIGNATURE_HEADER}: ${signature}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

async function startPlatform(args: string[]) {
  const p = await startServerProcess(
    MAIN,
    [...args, '--port', '0', '--admin-token', ADMIN, '--log-level', 'error'],
    {
      name: 'platform',
      // YIZHAN_BENCH_CPU_PROF=<dir>: the platform writes a V8 CPU profile there when it stops.
      nodeArgs: process.env['YIZHAN_BENCH_CPU_PROF']
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['YIZHAN_BENCH_CPU_PROF']}`]
        : [],
    },
  );
  return {
    url: new URL(p.url),
    errors: p.errors,
    cpuMs: () => processCpuMs(p.child.pid!),
    stop: async () => void (await p.stop()),
  };
}

interface Tally {
  latencies: number[];
  failures: number;
  firstFailure: string;
  /** Paid payments per station (the books are checked against them at the end). */
  perStation: Map<string, number>;
}

const newTally = (): Tally => ({ latencies: [], failures: 0, firstFailure: '', perStation: new Map() });

function record(t: Tally, s: Station, r: { status: number; body: string }, ms: number): void {
  t.latencies.push(ms);
  if (r.status === 200 && r.body.includes('"status":"paid"'))
    t.perStation.set(s.institutionNo, (t.perStation.get(s.institutionNo) ?? 0) + 1);
  else {
    t.failures++;
    t.firstFailure ||= `${r.status} ${r.body.slice(0, 200)}`;
  }
}

/** A station's keep-alive connections: at most MAX_CONNECTIONS_PER_STATION; a payment due
 *  while all are busy waits for one (its wait counts in its latency). */
const MAX_CONNECTIONS_PER_STATION = 4;
class StationConnections {
  readonly idle: Connection[] = [];
  private count = 0;
  private readonly waiters: Array<(c: Connection) => void> = [];
  opened = 0;
  constructor(private readonly url: URL) {}
  static async open(url: URL): Promise<StationConnections> {
    const p = new StationConnections(url);
    p.idle.push(await Connection.open(url));
    p.count = 1;
    return p;
  }
  async acquire(): Promise<Connection> {
    const c = this.idle.pop();
    if (c) return c;
    if (this.count < MAX_CONNECTIONS_PER_STATION) {
      this.count++;
      this.opened++;
      return Connection.open(this.url);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(c: Connection): void {
    const w = this.waiters.shift();
    if (w) w(c);
    else this.idle.push(c);
  }
  /** A connection that failed: gone, a waiter gets a new one. */
  drop(): void {
    this.count--;
    const w = this.waiters.shift();
    if (w) void this.acquire().then(w);
  }
  close(): void {
    for (const c of this.idle) c.close();
  }
}

/** Open loop: the k-th payment is due at start + k/rate, sent by station k mod N on a free
 *  keep-alive connection of its own, whether or not its earlier payments were answered.
 *  Latency counts from the time the payment was due, so a platform that falls behind is
 *  charged for the queue (no coordinated omission). */
async function openLoop(
  url: URL,
  stations: Station[],
  pools: StationConnections[],
  period: string,
  rate: number,
  total: number,
  t: Tally,
): Promise<{ seconds: number; maxSendLagMs: number }> {
  const stepMs = 1000 / rate;
  const start = performance.now() + 20;
  let maxSendLagMs = 0;
  const inFlight = new Set<Promise<void>>();
  const fire = (k: number, due: number): void => {
    const i = k % stations.length;
    const s = stations[i]!;
    const pool = pools[i]!;
    const p = (async () => {
      const c = await pool.acquire();
      let r: { status: number; body: string };
      try {
        r = await c.request(payRequest(url, s, period));
        pool.release(c);
      } catch (e) {
        r = { status: 0, body: String(e) };
        c.close();
        pool.drop();
      }
      record(t, s, r, performance.now() - due);
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * stepMs <= now) {
      const due = start + next * stepMs;
      maxSendLagMs = Math.max(maxSendLagMs, now - due);
      fire(next++, due);
    }
    if (next < total)
      await new Promise((r) => setTimeout(r, Math.max(0, start + next * stepMs - performance.now())));
  }
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  return { seconds: (performance.now() - start) / 1000, maxSendLagMs };
}

/** Closed loop (the most the platform takes): each station sends its next payment as soon as
 *  the last is answered. Latency here is ~ stations / rate (Little's law), not a target. */
async function closedLoop(
  url: URL,
  stations: Station[],
  pools: StationConnections[],
  period: string,
  total: number,
  t: Tally,
): Promise<number> {
  let issued = 0;
  const worker = async (c: Connection, s: Station): Promise<void> => {
    while (issued < total) {
      issued++;
      const bytes = payRequest(url, s, period);
      const t0 = performance.now();
      record(t, s, await c.request(bytes), performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all(
    pools.map(async (p, i) => {
      const c = await p.acquire();
      await worker(c, stations[i]!);
      p.release(c);
    }),
  );
  return (performance.now() - start) / 1000;
}

/** The machine's busy CPU time so far (all cores, /proc/stat), ms. */
function machineBusyMs(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  return ((f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) * 1000) / 100;
}

/** CPU of the PostgreSQL server's processes (the postmaster's children), ms. */
function pgServerCpuMs(postmasterPid: number | undefined): number {
  if (!postmasterPid) return NaN;
  let ms = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(d) === postmasterPid || Number(fields[1]) === postmasterPid)
        ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

async function postmasterPidOf(pgUrl: string): Promise<number | undefined> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    const pid = Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return undefined;
  } finally {
    await c.end();
  }
}

/** YIZHAN_BENCH_PG_STATS=1: the bench cluster keeps pg_stat_statements (nested statements too)
 *  and per-function times; printed after the run (warm-up, open and closed loop together). */
const PG_STATS = Boolean(process.env['YIZHAN_BENCH_PG_STATS']);

async function pgStats(pgUrl: string, what: 'reset' | 'print'): Promise<void> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    if (what === 'reset') {
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await c.query('SELECT pg_stat_statements_reset(), pg_stat_reset()');
      return;
    }
    const st = await c.query<{ calls: string; total_ms: number; self_ms: number; q: string }>(
      `SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric * 1000, 0) AS self_ms,
              regexp_replace(left(query, 110), '\\s+', ' ', 'g') AS q
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`,
    );
    console.log('pg_stat_statements (calls, total ms, mean µs, statement):');
    for (const r of st.rows) console.log(`  ${r.calls}\t${r.total_ms}\t${r.self_ms}\t${r.q}`);
    const fn = await c.query<{ funcname: string; calls: string; total_time: number; self_time: number }>(
      `SELECT funcname, calls, round(total_time::numeric, 0) AS total_time, round(self_time::numeric, 0) AS self_time
         FROM pg_stat_user_functions ORDER BY self_time DESC`,
    );
    console.log('functions (calls, total ms, self ms):');
    for (const r of fn.rows) console.log(`  ${r.funcname}\t${r.calls}\t${r.total_time}\t${r.self_time}`);
  } finally {
    await c.end();
  }
}

const OPEN_SECONDS = Number(process.env['YIZHAN_BENCH_PLATFORM_SECONDS'] ?? 15);
const OPEN_RATE = Number(process.env['YIZHAN_BENCH_PLATFORM_RATE'] ?? RATE_TARGET);

async function run(engine: StoreEngine): Promise<BenchResult[]> {
  const label = engine === 'pg' ? 'PostgreSQL' : 'SQLite';
  const pg =
    engine === 'pg'
      ? await startPg({
          durable: true,
          settings: PG_STATS
            ? [
                'shared_preload_libraries=pg_stat_statements',
                'track_functions=pl',
                'pg_stat_statements.track=all',
              ]
            : [],
        })
      : undefined;
  if (engine === 'pg' && !pg)
    return [
      { suite: 'platform', name: `${label}: skipped (no server could be started)`, value: NaN, unit: '' },
    ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-bench-platform-'));
  try {
    const pgUrl = pg ? await pg.newDatabase() : undefined;
    let store: PlatformStore = pgUrl ? await openPgPlatformStore(pgUrl) : openSqlitePlatformStore(dir);
    const stations = await setUp(store);
    await store.close();
    const postmaster = pgUrl ? await postmasterPidOf(pgUrl) : undefined;
    // The platform reaches PostgreSQL on its own host over the Unix socket (loopback TCP costs
    // the platform's one thread a kernel round trip per query; YIZHAN_BENCH_PG_TCP=1 measures it).
    const serverPgUrl =
      pgUrl && pg?.unixSocketUrl && !process.env['YIZHAN_BENCH_PG_TCP'] ? pg.unixSocketUrl(pgUrl) : pgUrl;
    if (pgUrl && PG_STATS) await pgStats(pgUrl, 'reset');
    const server = await startPlatform(serverPgUrl ? ['--pg', serverPgUrl] : ['--data', dir]);
    const period = new Date().toISOString().slice(0, 7);
    const pools = await Promise.all(stations.map(() => StationConnections.open(server.url)));
    const all = newTally();
    const cpu = () => {
      const own = process.cpuUsage();
      return {
        platform: server.cpuMs(),
        pg: pgServerCpuMs(postmaster),
        generator: (own.user + own.system) / 1000,
        machine: machineBusyMs(),
      };
    };
    const perPaymentUs = (a: ReturnType<typeof cpu>, b: ReturnType<typeof cpu>, n: number): string =>
      `CPU per payment: platform ${(((b.platform - a.platform) * 1000) / n).toFixed(0)} µs` +
      (engine === 'pg' ? `, PostgreSQL ${(((b.pg - a.pg) * 1000) / n).toFixed(0)} µs` : '') +
      `, load generator ${(((b.generator - a.generator) * 1000) / n).toFixed(0)} µs` +
      `, whole machine (other work too) ${(((b.machine - a.machine) * 1000) / n).toFixed(0)} µs (2 cores: ${(2e6 / (((b.machine - a.machine) * 1000) / n)).toFixed(0)}/s would fill them)`;
    try {
      // Warm-up (JIT, pools), not counted: 2 s of the open loop.
      const warm = newTally();
      await openLoop(server.url, stations, pools, period, OPEN_RATE, OPEN_RATE * 2, warm);
      const open = newTally();
      const c0 = cpu();
      const load0 = os.loadavg()[0]!;
      const o = await openLoop(
        server.url,
        stations,
        pools,
        period,
        OPEN_RATE,
        OPEN_RATE * OPEN_SECONDS,
        open,
      );
      const c1 = cpu();
      const closed = newTally();
      const load1 = os.loadavg()[0]!;
      const closedSeconds = await closedLoop(server.url, stations, pools, period, PAYMENTS, closed);
      const c2 = cpu();
      for (const t of [warm, open, closed])
        for (const [k, v] of t.perStation) all.perStation.set(k, (all.perStation.get(k) ?? 0) + v);
      // The books: balance = deposit − paid, for every station.
      store = pgUrl ? await openPgPlatformStore(pgUrl) : openSqlitePlatformStore(dir);
      let wrong = 0;
      for (const s of stations) {
        const b = await store.accounts.balance(s.institutionNo);
        if (b!.balanceFen !== DEPOSIT_FEN - 1_000 * (all.perStation.get(s.institutionNo) ?? 0)) wrong++;
      }
      await store.close();
      if (pgUrl && PG_STATS) await pgStats(pgUrl, 'print');
      const failures = warm.failures + open.failures + closed.failures;
      const firstFailure = warm.firstFailure || open.firstFailure || closed.firstFailure;
      open.latencies.sort((a, b) => a - b);
      closed.latencies.sort((a, b) => a - b);
      const achieved = open.latencies.length / o.seconds;
      const p99 = percentile(open.latencies, 99);
      const closedRate = closed.latencies.length / closedSeconds;
      const books = `${failures} failed${firstFailure ? ` (first: ${firstFailure})` : ''}; ${wrong} station balances wrong`;
      return [
        {
          suite: 'platform',
          name: `${label}: open loop, ${stations.length} stations offering ${OPEN_RATE.toLocaleString('en')} signed, idempotent bill payments/s for ${OPEN_SECONDS} s (load generator in this process, platform in its own)`,
          value: achieved,
          unit: 'payments/s',
          target: `≥ ${RATE_TARGET.toLocaleString('en')} payments/s`,
          pass: achieved >= RATE_TARGET * 0.99 && open.failures === 0 && wrong === 0,
          note: `${open.latencies.length.toLocaleString('en')} answered in ${o.seconds.toFixed(1)} s; ${books}; ${perPaymentUs(c0, c1, open.latencies.length)}; generator's worst send lag ${o.maxSendLagMs.toFixed(1)} ms, ${pools.reduce((n, p) => n + p.opened, 0)} more connections opened (≤ ${MAX_CONNECTIONS_PER_STATION} a station); load avg ${load0.toFixed(1)}`,
        },
        {
          suite: 'platform',
          name: `${label}: open-loop latency from the time each payment was due, p99`,
          value: p99,
          unit: 'ms (p99)',
          target: `p99 < ${P99_TARGET_MS} ms`,
          pass: p99 < P99_TARGET_MS,
          note: `p50 ${percentile(open.latencies, 50).toFixed(1)} ms, p90 ${percentile(open.latencies, 90).toFixed(1)} ms, p99.9 ${percentile(open.latencies, 99.9).toFixed(1)} ms, max ${open.latencies[open.latencies.length - 1]!.toFixed(1)} ms`,
        },
        {
          suite: 'platform',
          name: `${label}: closed loop (most it takes), ${closed.latencies.length.toLocaleString('en')} payments, each of ${stations.length} stations sending its next when answered`,
          value: closedRate,
          unit: 'payments/s',
          note: `p50 ${percentile(closed.latencies, 50).toFixed(1)} ms, p99 ${percentile(closed.latencies, 99).toFixed(1)} ms (≈ ${stations.length} / rate: every station always waiting); ${perPaymentUs(c1, c2, closed.latencies.length)}; load avg ${load1.toFixed(1)}`,
        },
      ];
    } finally {
      for (const p of pools) p.close();
      await server.stop();
    }
  } finally {
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fleet standing over STANDING_STATIONS stations (MON-2), kept up to date as uploads arrive:
 *  the stations and a year of monthly counts are loaded through the store, the standing is built
 *  once (the day's first request), then signed uploads arrive over HTTP and each GET is timed. */
const STANDING_STATIONS = Number(process.env['YIZHAN_BENCH_STANDING_STATIONS'] ?? 100_000);
const STANDING_TARGET_MS = 100;

async function standing(): Promise<BenchResult[]> {
  const { buildMonitor } = await import('../../platform/server');
  const { openSqliteMonitorStore } = await import('../../platform/store/sqlite-stations');
  const { businessDayOf } = await import('../../shared/business-day');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-bench-standing-'));
  const store = openSqliteMonitorStore(dir);
  try {
    const today = businessDayOf(new Date());
    const keys: crypto.KeyObject[] = [];
    const stations = [];
    for (let i = 0; i < STANDING_STATIONS; i++) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
      if (i < 1_000) keys.push(privateKey);
      stations.push({
        institutionNo: `S${String(i).padStart(9, '0')}`,
        name: `基准站${i}`,
        openingDate: '2024-01-01',
        publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'),
        registeredAt: new Date().toISOString(),
      });
    }
    await store.registerStations(stations);
    const months = Array.from({ length: 12 }, (_, m) => {
      const d = new Date(Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`));
      d.setUTCMonth(d.getUTCMonth() - 1 - m);
      return d.toISOString().slice(0, 7);
    });
    await Promise.all(
      stations.map((s, i) =>
        store.applyUpload(s.institutionNo, {
          seq: 1,
          bodySha256: crypto.createHash('sha256').update(s.institutionNo).digest('hex'),
          sentAt: new Date().toISOString(),
          receivedAt: new Date().toISOString(),
          days: months.map((m) => ({ day: `${m}-01`, count: (i * 7 + m.length) % 40 })),
        }),
      ),
    );
    const app = buildMonitor({ store, tokens: { admin: ADMIN } });
    const get = async (): Promise<number> => {
      const t0 = performance.now();
      const r = await app.inject({
        method: 'GET',
        url: '/v1/standing?limit=100',
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      if (r.statusCode !== 200) throw new Error(`standing ${r.statusCode}`);
      return performance.now() - t0;
    };
    const buildMs = await get();
    const times: number[] = [];
    for (let round = 0; round < 10; round++) {
      // 100 signed uploads arrive (new counts for yesterday), then the office asks.
      for (let j = 0; j < 100; j++) {
        const i = round * 100 + j;
        const body = Buffer.from(
          JSON.stringify({
            institutionNo: stations[i]!.institutionNo,
            seq: 2,
            sentAt: new Date().toISOString(),
            days: [{ day: today, count: round }],
          }),
        );
        const r = await app.inject({
          method: 'POST',
          url: `/v1/stations/${stations[i]!.institutionNo}/counts`,
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: crypto.sign(null, body, keys[i]!).toString('base64'),
          },
          payload: body,
        });
        if (r.statusCode !== 200) throw new Error(`upload ${r.statusCode} ${r.body}`);
      }
      times.push(await get());
    }
    await app.close();
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    return [
      {
        suite: 'platform',
        name: `GET /v1/standing over ${STANDING_STATIONS.toLocaleString('en')} stations, kept up to date as uploads arrive (100 signed uploads before each request)`,
        value: p50,
        unit: 'ms (median of 10)',
        target: `< ${STANDING_TARGET_MS} ms`,
        pass: p50 < STANDING_TARGET_MS,
        note: `worst ${times[times.length - 1]!.toFixed(1)} ms; building it from scratch (the day's first request) ${buildMs.toFixed(0)} ms; in-process (inject), SQLite; load avg ${os.loadavg()[0]!.toFixed(1)}`,
      },
    ];
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** YIZHAN_BENCH_PLATFORM_PARTS=pg,sqlite,standing (the default: all three). */
const PARTS = (process.env['YIZHAN_BENCH_PLATFORM_PARTS'] ?? 'pg,sqlite,standing').split(',');

export const suite: BenchSuite = async () => [
  ...(PARTS.includes('pg') ? await run('pg') : []),
  ...(PARTS.includes('sqlite') ? await run('sqlite') : []),
  ...(PARTS.includes('standing') ? await standing() : []),
];
