// Central bill payments through the station API (issue 10, performance): ≥ 100 simulated
// stations at once, each request signed (Ed25519) and carrying its own idempotency key, the
// platform in its own process (`platform/main.ts`), this process the load generator. On
// PostgreSQL (a throwaway durable cluster: fsync on, synchronous commit) and on SQLite.
// Targets: ≥ 1,000 payments/s, p99 < 50 ms. Afterwards the books are checked: every station's
// central balance = its deposit − its paid payments, journal and payments agree.
import { spawn } from 'node:child_process';
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
  const child = spawn(
    process.execPath,
    [
      // YIZHAN_BENCH_CPU_PROF=<dir>: the platform writes a V8 CPU profile there when it stops.
      ...(process.env['YIZHAN_BENCH_CPU_PROF']
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['YIZHAN_BENCH_CPU_PROF']}`]
        : []),
      '--import',
      'tsx',
      MAIN,
      ...args,
      '--port',
      '0',
      '--admin-token',
      ADMIN,
      '--log-level',
      'error',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /^listening (\S+)$/m.exec(out);
      if (m) {
        clearInterval(t);
        resolve(m[1]!);
      }
    }, 20);
    child.on('exit', (code) => (clearInterval(t), reject(new Error(`platform exited ${code}: ${err}`))));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url: new URL(url),
    errors: () => err,
    cpuMs: () => processCpuMs(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function run(engine: StoreEngine): Promise<BenchResult[]> {
  const label = engine === 'pg' ? 'PostgreSQL' : 'SQLite';
  const pg = engine === 'pg' ? await startPg({ durable: true }) : undefined;
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
    // The platform reaches PostgreSQL on its own host over the Unix socket (loopback TCP costs
    // the platform's one thread a kernel round trip per query; YIZHAN_BENCH_PG_TCP=1 measures it).
    const serverPgUrl =
      pgUrl && pg?.unixSocketUrl && !process.env['YIZHAN_BENCH_PG_TCP'] ? pg.unixSocketUrl(pgUrl) : pgUrl;
    const server = await startPlatform(serverPgUrl ? ['--pg', serverPgUrl] : ['--data', dir]);
    const period = new Date().toISOString().slice(0, 7);
    const connections = await Promise.all(stations.map(() => Connection.open(server.url)));
    const latencies: number[] = [];
    let failures = 0;
    let firstFailure = '';
    let issued = 0;
    const perStation = new Map<string, number>();
    try {
      const worker = async (c: Connection, s: Station): Promise<void> => {
        while (issued < PAYMENTS) {
          issued++;
          const bytes = payRequest(server.url, s, period);
          const t0 = performance.now();
          const r = await c.request(bytes);
          latencies.push(performance.now() - t0);
          if (r.status === 200 && r.body.includes('"status":"paid"'))
            perStation.set(s.institutionNo, (perStation.get(s.institutionNo) ?? 0) + 1);
          else {
            failures++;
            firstFailure ||= `${r.status} ${r.body.slice(0, 200)}`;
          }
        }
      };
      const cpu0 = server.cpuMs();
      const start = performance.now();
      await Promise.all(connections.map((c, i) => worker(c, stations[i]!)));
      const seconds = (performance.now() - start) / 1000;
      const serverCpuUs = ((server.cpuMs() - cpu0) * 1000) / latencies.length;
      latencies.sort((a, b) => a - b);
      const rate = latencies.length / seconds;
      const p99 = percentile(latencies, 99);
      // The books: balance = deposit − paid, for every station.
      store = pgUrl ? await openPgPlatformStore(pgUrl) : openSqlitePlatformStore(dir);
      let wrong = 0;
      for (const s of stations) {
        const b = await store.accounts.balance(s.institutionNo);
        if (b!.balanceFen !== DEPOSIT_FEN - 1_000 * (perStation.get(s.institutionNo) ?? 0)) wrong++;
      }
      await store.close();
      return [
        {
          suite: 'platform',
          name: `${label}: ${latencies.length.toLocaleString('en')} signed, idempotent bill payments from ${STATIONS} stations at once (load generator in this process, platform in its own)`,
          value: rate,
          unit: 'payments/s',
          target: `≥ ${RATE_TARGET.toLocaleString('en')} payments/s`,
          pass: rate >= RATE_TARGET && failures === 0 && wrong === 0,
          note: `${failures} failed${firstFailure ? ` (first: ${firstFailure})` : ''}; ${wrong} station balances wrong; platform CPU ${serverCpuUs.toFixed(0)} µs/payment; load avg ${os.loadavg()[0]!.toFixed(1)}`,
        },
        {
          suite: 'platform',
          name: `${label}: payment latency p50 / p99`,
          value: p99,
          unit: 'ms (p99)',
          target: `p99 < ${P99_TARGET_MS} ms`,
          pass: p99 < P99_TARGET_MS,
          note: `p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`,
        },
      ];
    } finally {
      for (const c of connections) c.close();
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

export const suite: BenchSuite = async () => [
  ...(await run('pg')),
  ...(await run('sqlite')),
  ...(await standing()),
];
