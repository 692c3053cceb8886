// Station side of MON-2/MON-3: what counts, the upload outbox (written by triggers in the same
// transaction as the change), the station key, and the uploader against a REAL monitor on
// 127.0.0.1 — outages, restarts, a lost reply, a restored backup, a reversal of yesterday.
// Long on purpose (about 670 lines): a catalogue of independent cases over one subject (the count
// upload) and the set-up at the top of the file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildMonitor } from '../../platform/server';
import { openSqliteMonitorStore, type SqliteMonitorStore } from '../../platform/store/sqlite-stations';
import { keyFingerprint, parsePublicKey } from '../../platform/signing';
import { openDatabase, schemaVersion, type Db } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations/index';
import { createStation } from '../../db/station';
import {
  ackUpload,
  countedByDay,
  countedOn,
  dirtyDays,
  faultsOfDay,
  monitorState,
  pendingSummary,
  takeUploadBatch,
} from '../../db/monitor-outbox';
import { STATION_KEY_FILE, loadOrCreateStationKey } from '../../backend/services/station-key';
import { RETRY_BASE_MS } from '../../backend/services/monitor-upload';
import { PrinterError, type PrinterTransport } from '../../backend/printing/transport';
import type { Backend, BackendOptions } from '../../backend/backend';
import type { DayReportDto, MonitorStatusDto, StandingDto } from '../../shared/contract';
import { key, ok, payBill, refused, tempDir, testBackend, testClock, topUp } from '../helpers/backend';
import { ADMIN_TOKEN, READ_TOKEN } from '../helpers/monitor';
import { openTestStation } from '../helpers/station-db';

const clock = testClock();
/** 10:00 Shanghai (or hh:00) on the given day. */
const at = (day: string, hh = 10) => clock.set(`${day}T${String(hh - 8).padStart(2, '0')}:00:00.000Z`);

// ---- a real monitor that can go down and come back on the same port --------------------------

interface LiveMonitor {
  url: string;
  store: SqliteMonitorStore;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function liveMonitor(): Promise<LiveMonitor> {
  const dir = tempDir('yizhan-monitor-');
  const store = openSqliteMonitorStore(dir);
  const make = () =>
    buildMonitor({ store, tokens: { admin: ADMIN_TOKEN, read: READ_TOKEN }, now: clock.now });
  let app: FastifyInstance | null = make();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  return {
    url,
    store,
    async down() {
      await app?.close();
      app = null;
    },
    async up() {
      app = make();
      await app.listen({ host: '127.0.0.1', port });
    },
    async close() {
      await app?.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function register(m: LiveMonitor, b: Backend, openingDate?: string): Promise<void> {
  const s = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
  const res = await fetch(`${m.url}/v1/stations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      institutionNo: s.institutionNo,
      name: s.stationName,
      openingDate: openingDate ?? s.openingDate,
      publicKey: s.publicKeyPem,
    }),
  });
  expect(res.status).toBe(201);
}

/** The monitor's stored counts, as a map. */
async function monitorCounts(m: LiveMonitor, no: string): Promise<Record<string, number>> {
  return Object.fromEntries(await m.store.dailyCounts(no));
}

/** The ledger's counts (the counting rule), days with zero left out like the monitor's zeros. */
function ledgerCounts(db: Db): Record<string, number> {
  return Object.fromEntries(countedByDay(db, '2000-01-01', '2999-12-31'));
}

function nonZero(c: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0));
}

const backends: Backend[] = [];
const monitors: LiveMonitor[] = [];
async function station(opts: Partial<BackendOptions> = {}): Promise<Backend & { dataDir: string }> {
  const b = await testBackend({ now: clock.now, monitorTimer: false, ...opts });
  backends.push(b);
  return b;
}
async function monitor(): Promise<LiveMonitor> {
  const m = await liveMonitor();
  monitors.push(m);
  return m;
}
/** A monitor and a station registered with it, uploading to it (its first upload done): the
 *  monitor `m`, the station `b` and its institution number `no`. */
async function stationUploadingToMonitor() {
  const m = await monitor();
  const b = await station();
  const no = ok<MonitorStatusDto>(await b.call('monitor.status', {})).institutionNo;
  await register(m, b);
  ok(await b.call('monitor.setUrl', { url: m.url }));
  await b.monitor.idle();
  return { m, b, no };
}
function closeStation(b: Backend): void {
  b.close();
  backends.splice(backends.indexOf(b), 1);
}

beforeEach(() => at('2026-11-26'));
afterEach(async () => {
  for (const b of backends.splice(0)) b.close();
  for (const m of monitors.splice(0)) await m.close();
});

let acct = 30_000_000;
const nextAccount = () => String(++acct);

// ---- counting -----------------------------------------------------------------------------------

describe('what counts (RULES.md)', () => {
  it('MON-2: a day counts its bill payments not reversed; top-ups, settlements and reversals themselves do not count', async () => {
    const b = await station();
    await topUp(b, '3000');
    const p1 = await payBill(b, 'water', nextAccount());
    await payBill(b, 'electricity', nextAccount());
    await payBill(b, 'gas', nextAccount(), '500');
    ok(await b.call('txn.reverse', { txnId: p1.txnId, reason: '户号输错', idempotencyKey: key() }));
    ok(await b.call('takings.settle', { mode: 'owner', amount: '10.00', idempotencyKey: key() }));
    await topUp(b, '100');
    expect(countedOn(b.db, '2026-11-26')).toBe(2);
    const s = ok<StandingDto>(await b.call('standing.get', {}));
    expect(s.todayCount).toBe(2);
    expect(s.standing.monthCount).toBe(2);
    expect(s.standing.threshold).toBe(20);
  });
});

// ---- the outbox, in the same transaction --------------------------------------------------------

describe('the outbox is written by the database, in the same transaction', () => {
  let db: Db;
  const NOW = '2026-11-26T02:00:00.000Z';
  let n = 0;
  const raw = (kind: string, day: string, legs: unknown, reverses: number | null = null) => {
    n++;
    db.prepare(`INSERT OR IGNORE INTO business_days (day, status, opened_at) VALUES (?, 'open', ?)`).run(
      day,
      NOW,
    );
    return Number(
      db
        .prepare(
          `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, fee_fen, service, reverses_id, idempotency_key, request_hash, legs)
           VALUES (?, ?, ?, 'op1', ?, 0, ?, ?, ?, 'h', ?)`,
        )
        .run(
          kind,
          day,
          NOW,
          // The amount is what moves the float (the ledger checks it).
          Math.abs((legs as [string, number][]).find(([acct]) => acct === 'float')?.[1] ?? 100),
          kind === 'bill_payment' ? 'water' : null,
          reverses,
          `raw-${n}`,
          JSON.stringify(legs),
        ).lastInsertRowid,
    );
  };
  const version = (day: string) =>
    db.prepare(`SELECT version FROM monitor_outbox WHERE day = ?`).pluck().get(day) as number | undefined;
  const pay = (day: string) =>
    raw('bill_payment', day, [
      ['float', -100],
      ['cash', 100],
    ]);

  beforeEach(() => {
    db = openTestStation(path.join(tempDir(), 'station.sqlite'), NOW);
  });
  afterEach(() => db.close());

  it('MON-2: a hand-written SQL bill payment marks its day; a top-up marks nothing', () => {
    raw('topup_voucher', '2026-11-25', [
      ['float', 1000],
      ['owner', -1000],
    ]);
    expect(version('2026-11-25')).toBeUndefined();
    pay('2026-11-25');
    expect(version('2026-11-25')).toBe(1);
    pay('2026-11-25');
    expect(version('2026-11-25')).toBe(2);
    expect(dirtyDays(db, { limit: 10 }).map((r) => r.day)).toEqual(['2026-11-25']);
  });

  it('MON-2: a txn insert that fails leaves no outbox row (overdraw, closed day, rolled-back transaction)', () => {
    // No float: the payment's posting is refused by the zero-credit trigger, after ours has run.
    expect(() => pay('2026-11-24')).toThrow('INSUFFICIENT_FLOAT');
    expect(version('2026-11-24')).toBeUndefined();
    raw('topup_voucher', '2026-11-24', [
      ['float', 1000],
      ['owner', -1000],
    ]);
    // A transaction that inserts a payment and then fails takes the outbox row with it.
    expect(() =>
      db.transaction(() => {
        pay('2026-11-24');
        throw new Error('the application failed after the insert');
      })(),
    ).toThrow('the application failed');
    expect(version('2026-11-24')).toBeUndefined();
    expect(countedOn(db, '2026-11-24')).toBe(0);
    // A closed day refuses the payment before anything is written.
    db.prepare(`UPDATE business_days SET status = 'closed', closed_at = ? WHERE day = '2026-11-24'`).run(NOW);
    expect(() => pay('2026-11-24')).toThrow('DAY_CLOSED');
    expect(version('2026-11-24')).toBeUndefined();
    expect(pendingSummary(db)).toEqual({ days: 0, oldest: null });
  });

  it("MON-2: a reversal marks the ORIGINAL's day (a past day), not its own", () => {
    raw('topup_voucher', '2026-11-20', [
      ['float', 1000],
      ['owner', -1000],
    ]);
    const p = pay('2026-11-20');
    ackUpload(db, { seq: 1, versions: [{ day: '2026-11-20', version: 1 }] }, NOW);
    expect(dirtyDays(db, { limit: 10 })).toEqual([]);
    raw(
      'reversal',
      '2026-11-26',
      [
        ['float', 100],
        ['cash', -100],
      ],
      p,
    );
    expect(version('2026-11-20')).toBe(2);
    expect(version('2026-11-26')).toBeUndefined();
    expect(dirtyDays(db, { limit: 10 }).map((r) => r.day)).toEqual(['2026-11-20']);
    expect(countedOn(db, '2026-11-20')).toBe(0);
    // The outbox cannot be emptied by hand, nor its acknowledgement moved back.
    expect(() => db.prepare(`DELETE FROM monitor_outbox`).run()).toThrow('APPEND_ONLY');
    expect(() => db.prepare(`UPDATE monitor_outbox SET acked_version = 0`).run()).toThrow(
      'OUTBOX_ACK_BACKWARDS',
    );
  });

  it('MON-2: a day changed while its upload is in flight stays dirty after the ack', () => {
    raw('topup_voucher', '2026-11-25', [
      ['float', 1000],
      ['owner', -1000],
    ]);
    pay('2026-11-25');
    const batch = takeUploadBatch(db, {})!;
    expect(batch.days).toEqual([{ day: '2026-11-25', count: 1 }]);
    pay('2026-11-25'); // arrives while the upload is on its way
    ackUpload(db, batch, NOW);
    expect(dirtyDays(db, { limit: 10 }).map((r) => [r.day, r.version, r.acked_version])).toEqual([
      ['2026-11-25', 2, 1],
    ]);
    const next = takeUploadBatch(db, {})!;
    expect(next.seq).toBe(batch.seq + 1);
    expect(next.days).toEqual([{ day: '2026-11-25', count: 2 }]);
    ackUpload(db, next, NOW);
    expect(takeUploadBatch(db, {})).toBeNull();
    // Nothing owed: no seq was used.
    expect(monitorState(db).seq).toBe(next.seq);
    expect(() => db.prepare(`UPDATE monitor_state SET seq = 1`).run()).toThrow('SEQ_BACKWARDS');
  });

  it('MON-3: a fault trigger never makes the change it watches fail (an unreadable time is dated now)', () => {
    db.prepare(
      `INSERT INTO print_jobs (kind, ref, serial, document, status, created_at) VALUES ('test_page', 'tp-1', 'S1', '{}', 'queued', 'garbage')`,
    ).run();
    db.prepare(`UPDATE print_jobs SET status = 'printing', claimed_at = 'x' WHERE ref = 'tp-1'`).run();
    expect(() =>
      db.prepare(`UPDATE print_jobs SET status = 'queued', last_error = '缺纸' WHERE ref = 'tp-1'`).run(),
    ).not.toThrow();
    const f = db.prepare(`SELECT day, kind, at, detail FROM monitor_faults`).get() as {
      day: string;
      at: string;
      detail: string;
    };
    expect(f.detail).toBe('缺纸');
    expect(f.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(version(f.day)).toBe(1);
    // Faults are append-only: the text of a report cannot be rewritten afterwards.
    expect(() => db.prepare(`UPDATE monitor_faults SET detail = '无'`).run()).toThrow('APPEND_ONLY');
  });

  it('MON-2: migration 004 from v3 owes every day that already has payments or a close', () => {
    const file = path.join(tempDir(), 'station.sqlite');
    const v3 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    createStation(v3, {
      institutionNo: '35010000002',
      name: '老站',
      demo: true,
      greenCardMasked: null,
      holder: { id: 'op1', name: '店主' },
      nowIso: NOW,
    });
    const old = db;
    db = v3;
    raw('topup_voucher', '2026-10-01', [
      ['float', 1000],
      ['owner', -1000],
    ]);
    pay('2026-10-02');
    pay('2026-10-03');
    db = old;
    v3.close();
    const v4 = openDatabase(file);
    try {
      expect(schemaVersion(v4)).toBeGreaterThanOrEqual(4);
      expect(dirtyDays(v4, { limit: 10 }).map((r) => r.day)).toEqual(['2026-10-02', '2026-10-03']);
      expect(countedByDay(v4, '2026-10-01', '2026-10-31')).toEqual([
        ['2026-10-02', 1],
        ['2026-10-03', 1],
      ]);
    } finally {
      v4.close();
    }
  });
});

// ---- faults (MON-3) -----------------------------------------------------------------------------

/** Counts the drawer at the expected figure plus `over` and closes (with a remark if over ≠ 0). */
async function closeDay(b: Backend, over = '0.00'): Promise<DayReportDto> {
  const first = ok<DayReportDto>(await b.call('day.count', { method: 'total', total: '0.00' }));
  const expected = first.cash!.expected;
  const total = (Number(expected.replace('.', '')) + Number(over.replace('.', ''))) / 100;
  const c = ok<DayReportDto>(await b.call('day.count', { method: 'total', total: total.toFixed(2) }));
  return ok(
    await b.call('day.close', {
      countId: c.count!.countId,
      central: { source: 'gateway' },
      ...(over !== '0.00' ? { cashRemark: '多收了一张 10 元' } : {}),
      idempotencyKey: key('close'),
    }),
  );
}

describe('MON-3: faults are recorded where they happen', () => {
  it('MON-3: a failed print and a day-close difference are recorded by triggers and mark their day', async () => {
    const offline: PrinterTransport = {
      target: 'tcp://192.0.2.1:9100',
      send: () => Promise.reject(new PrinterError('PRINTER_OFF', false)),
      status: () => Promise.resolve({ connected: false, code: 'PRINTER_OFF', message: '打印机未开机' }),
    };
    const b = await station({ printerTransport: offline });
    await topUp(b, '1000');
    const p = await payBill(b, 'water', nextAccount());
    await b.call('print.txn', { txnId: p.txnId });
    await b.call('print.retry', {});
    await closeDay(b, '10.00');
    const faults = faultsOfDay(b.db, '2026-11-26');
    const printer = faults.find((f) => f.kind === 'printer')!;
    expect(printer.detail).toContain('打印机未开机');
    expect(printer.occurrences).toBeGreaterThanOrEqual(2); // several attempts, one row
    const rec = faults.find((f) => f.kind === 'reconciliation')!;
    expect(rec.detail).toContain('现金长短款 10.00 元');
    expect(rec.detail).toMatch(/^Z\d+ 日终轧账有差额/); // issue 13 problem 10: 账, not 帐 (migration 010)
    expect(rec.detail).toContain('多收了一张 10 元');
    expect(dirtyDays(b.db, { limit: 10 }).map((r) => r.day)).toEqual(['2026-11-26']);
    const s = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(s.faults.map((f) => f.kind).sort()).toEqual(['printer', 'reconciliation']);
  });
});

// ---- the key ------------------------------------------------------------------------------------

describe('the station key', () => {
  it('MON-2: the key pair is made on first start, kept 0600 in the data directory, and the same after a restart', async () => {
    const b = await station();
    const file = path.join(b.dataDir, STATION_KEY_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const s1 = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(s1.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // The fingerprint the app shows is the one the monitor computes from the registered key.
    expect(s1.fingerprint).toBe(keyFingerprint(parsePublicKey(s1.publicKeyPem!)));
    expect(s1.fingerprint).toBe(keyFingerprint(parsePublicKey(s1.publicKeyBase64!)));
    expect(s1.state).toBe('not_configured');
    // Not in the database (backups and copies of it must not carry the key).
    expect(JSON.stringify(b.db.prepare('SELECT * FROM settings').all())).not.toContain('PRIVATE KEY');
    closeStation(b);
    const again = await station({ dataDir: b.dataDir });
    expect(ok<MonitorStatusDto>(await again.call('monitor.status', {})).publicKeyPem).toBe(s1.publicKeyPem);
    // A loosened mode is tightened again; a damaged key file is never silently replaced.
    fs.chmodSync(file, 0o644);
    expect(loadOrCreateStationKey(b.dataDir).created).toBe(false);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file, 'not a key');
    expect(() => loadOrCreateStationKey(b.dataDir)).toThrow(/not a readable private key/);
  });
});

// ---- uploading to a real monitor ----------------------------------------------------------------

describe('uploading to a real monitor on 127.0.0.1', () => {
  it('MON-2 MON-3: the outbox survives a monitor outage and a station restart — nothing lost, nothing counted twice', async () => {
    const { m, b: first, no } = await stationUploadingToMonitor();
    let b = first;
    await topUp(b, '5000');

    // Day 1: two payments, uploaded.
    await payBill(b, 'water', nextAccount());
    await payBill(b, 'water', nextAccount());
    const s1 = ok<MonitorStatusDto>(await b.call('monitor.uploadNow', {}));
    expect(s1.state).toBe('up_to_date');
    expect(s1.lastResult).toBe('applied');
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 2 });
    const seqBefore = s1.seq;

    // The monitor goes down. Day 1 gets one more payment and is closed (the close tries at once and
    // fails: the outage starts, one network fault); day 2 has business and reverses a day-1 payment.
    await m.down();
    const p3 = await payBill(b, 'water', nextAccount());
    await closeDay(b);
    await b.monitor.idle();
    expect(ok<MonitorStatusDto>(await b.call('monitor.status', {}))).toMatchObject({
      state: 'retry_wait',
      failures: 1,
    });
    at('2026-11-27');
    await payBill(b, 'gas', nextAccount(), '500');
    await payBill(b, 'gas', nextAccount(), '500');
    ok(await b.call('txn.reverse', { txnId: p3.txnId, reason: '重复缴费', idempotencyKey: key() }));
    const e = refused(await b.call('monitor.uploadNow', {}), 'MONITOR_UNREACHABLE');
    expect(e.message).toMatch(/无法连接监测平台/);
    const down = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(down.state).toBe('retry_wait');
    expect(down.failures).toBe(2);
    expect(down.pendingDays).toBe(2);
    // Backoff: a periodic run before the time does nothing; each failed try doubles the wait.
    const wait2 = Date.parse(down.nextAttemptAt!) - clock.now().getTime();
    expect(wait2).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 * 0.8);
    expect(wait2).toBeLessThanOrEqual(RETRY_BASE_MS * 2 * 1.2);
    expect((await b.monitor.run({ force: false })).kind).toBe('waiting');
    clock.advance(wait2);
    const third = await b.monitor.run({ force: false });
    expect(third.kind).toBe('unreachable');
    const wait3 = Date.parse((third as { nextAttemptAt: string }).nextAttemptAt) - clock.now().getTime();
    expect(wait3).toBeGreaterThanOrEqual(RETRY_BASE_MS * 4 * 0.8);
    expect(wait3).toBeLessThanOrEqual(RETRY_BASE_MS * 4 * 1.2);
    // One network fault for the whole outage, on the day it began, however many tries (MON-3).
    expect(faultsOfDay(b.db, '2026-11-26').filter((f) => f.kind === 'network')).toHaveLength(1);
    expect(faultsOfDay(b.db, '2026-11-27')).toHaveLength(0);
    const seqDuringOutage = monitorState(b.db).seq;
    expect(seqDuringOutage).toBeGreaterThan(seqBefore);

    // The station restarts while the monitor is still down: nothing owed is forgotten.
    const dir = b.dataDir;
    closeStation(b);
    b = await station({ dataDir: dir });
    const restarted = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(restarted.pendingDays).toBe(2);
    expect(restarted.seq).toBe(seqDuringOutage);

    // The monitor comes back: one run drains the outbox.
    await m.up();
    const r = await b.monitor.run({ force: false });
    expect(r).toMatchObject({ kind: 'done', days: 2, more: false });
    const after = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(after.state).toBe('up_to_date');
    expect(after.seq).toBeGreaterThan(seqDuringOutage);
    expect(after.failures).toBe(0);
    // Day 1: 3 paid, 1 reversed (on day 2) → 2. Day 2: 2. The monitor holds what the ledger says.
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 2, '2026-11-27': 2 });
    expect(await monitorCounts(m, no)).toEqual(nonZero(ledgerCounts(b.db)));
    const faults = await m.store.faults(no, 10);
    expect(faults.map((f) => f.kind)).toContain('network');

    // Re-sending every day (a new address, a replayed outbox) changes no count: counts are absolute.
    ok(await b.call('monitor.setUrl', { url: '' }));
    ok(await b.call('monitor.setUrl', { url: m.url }));
    expect(ok<MonitorStatusDto>(await b.call('monitor.status', {})).pendingDays).toBe(2);
    await b.monitor.idle();
    ok(await b.call('monitor.uploadNow', {}));
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 2, '2026-11-27': 2 });
  });

  it("MON-2: a reversal of yesterday's payment lowers yesterday's count at the monitor", async () => {
    const { m, b, no } = await stationUploadingToMonitor();
    await topUp(b, '5000');
    const paid = [];
    for (let i = 0; i < 3; i++) paid.push(await payBill(b, 'electricity', nextAccount()));
    await closeDay(b); // the close uploads the day (the hook in day.close)
    await b.monitor.idle();
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 3 });

    at('2026-11-27', 9);
    await payBill(b, 'water', nextAccount());
    ok(await b.call('txn.reverse', { txnId: paid[1]!.txnId, reason: '重复缴费', idempotencyKey: key() }));
    ok(await b.call('monitor.uploadNow', {}));
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 2, '2026-11-27': 1 });
    // The monitor's standing reads the lowered figure too.
    const res = await fetch(`${m.url}/v1/stations/${no}/standing`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    const standing = (await res.json()) as { data: { standing: { monthCount: number } } };
    expect(standing.data.standing.monthCount).toBe(3);
    expect(ok<StandingDto>(await b.call('standing.get', {})).standing.monthCount).toBe(3);
  });

  it('MON-2: the seq strictly increases across restarts; a restored backup continues after the monitor’s lastSeq', async () => {
    const { m, b: first, no } = await stationUploadingToMonitor();
    let b = first;
    await topUp(b, '5000');
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await payBill(b, 'water', nextAccount());
      seqs.push(ok<MonitorStatusDto>(await b.call('monitor.uploadNow', {})).seq);
      if (i === 0) {
        // A backup of the whole data directory (database + key), taken now.
        b.db.pragma('wal_checkpoint(TRUNCATE)');
      }
      const dir = b.dataDir;
      if (i === 0) fs.cpSync(dir, `${dir}-backup`, { recursive: true });
      closeStation(b);
      b = await station({ dataDir: dir });
    }
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    const lastSeq = (await m.store.getStation(no))!.lastSeq;
    expect(lastSeq).toBe(seqs[2]);
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 3 });

    // Restore the backup (1 payment, seq behind the monitor's) and keep working.
    const backupDir = `${b.dataDir}-backup`;
    closeStation(b);
    const restored = await station({ dataDir: backupDir });
    expect(monitorState(restored.db).seq).toBe(seqs[0]);
    await payBill(restored, 'water', nextAccount());
    const s = ok<MonitorStatusDto>(await restored.call('monitor.uploadNow', {}));
    expect(s.state).toBe('up_to_date');
    expect(s.seq).toBeGreaterThan(lastSeq);
    // The monitor now holds the restored ledger's truth: 2 payments that day, not 3 + 1.
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 2 });
    expect(await monitorCounts(m, no)).toEqual(nonZero(ledgerCounts(restored.db)));
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it('MON-2: a reply lost after the monitor applied the upload: the retry uses a new seq and nothing is counted twice', async () => {
    const m = await monitor();
    let lose = true;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (lose) {
        lose = false;
        await res.text();
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      }
      return res;
    };
    const b = await station({ monitorFetch: lossy });
    const no = ok<MonitorStatusDto>(await b.call('monitor.status', {})).institutionNo;
    await register(m, b);
    await topUp(b, '5000');
    await payBill(b, 'gas', nextAccount(), '500');
    await payBill(b, 'gas', nextAccount(), '500');
    ok(await b.call('monitor.setUrl', { url: m.url }));
    await b.monitor.idle(); // the first try: applied at the monitor, the answer lost
    expect((await m.store.getStation(no))!.lastSeq).toBe(1);
    expect(pendingSummary(b.db).days).toBe(1);
    const s = ok<MonitorStatusDto>(await b.call('monitor.uploadNow', {}));
    expect(s.seq).toBe(2);
    expect(s.pendingDays).toBe(0);
    expect(await monitorCounts(m, no)).toEqual({ '2026-11-26': 2 });
  });

  it('MON-2: an unregistered station is refused (UNKNOWN_STATION), shown, retried with backoff; registration fixes it', async () => {
    const m = await monitor();
    const b = await station();
    await topUp(b, '1000');
    await payBill(b, 'water', nextAccount());
    ok(await b.call('monitor.setUrl', { url: `${m.url}/` }));
    await b.monitor.idle();
    const e = refused(await b.call('monitor.uploadNow', {}), 'MONITOR_REFUSED');
    expect(e.details['monitorCode']).toBe('UNKNOWN_STATION');
    const s = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(s.state).toBe('refused');
    expect(s.lastError?.code).toBe('UNKNOWN_STATION');
    expect(s.pendingDays).toBe(1);
    await register(m, b);
    expect(ok<MonitorStatusDto>(await b.call('monitor.uploadNow', {})).state).toBe('up_to_date');
  });

  it('MON-2: not configured — uploading waits with a clear state and a stable refusal; the URL is validated', async () => {
    const b = await station();
    await topUp(b, '1000');
    await payBill(b, 'water', nextAccount());
    const s = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(s).toMatchObject({ configured: false, state: 'not_configured', pendingDays: 1 });
    refused(await b.call('monitor.uploadNow', {}), 'MONITOR_NOT_CONFIGURED');
    const bad = refused(await b.call('monitor.setUrl', { url: 'ftp://example.cn' }), 'INVALID_INPUT');
    expect(bad.message).toMatch(/http/);
  });
});

// ---- the station's own standing -----------------------------------------------------------------

describe("the station's own standing (shared/exit-rule.ts on its own counts)", () => {
  it('MON-2: standing.get — 5 of 20 this month after two low months: critical, 15 needed, 3 days left', async () => {
    const b = await station();
    at('2026-11-28');
    await topUp(b, '5000');
    // Past months through the SQL (as an old ledger would hold them): Aug 25, Sep 10, Oct 12.
    let k = 0;
    const put = (day: string, n: number) => {
      b.db
        .prepare(`INSERT OR IGNORE INTO business_days (day, status, opened_at) VALUES (?, 'open', ?)`)
        .run(day, clock.now().toISOString());
      for (let i = 0; i < n; i++) {
        b.db
          .prepare(
            `INSERT INTO txns (kind, business_day, created_at, operator_id, amount_fen, service, idempotency_key, request_hash, legs)
             VALUES ('bill_payment', ?, ?, 'op-holder', 100, 'water', ?, 'h', '[["float",-100],["cash",100]]')`,
          )
          .run(day, `${day}T02:00:00.000Z`, `hist-${day}-${k++}`);
      }
    };
    put('2026-08-05', 25);
    put('2026-09-05', 10);
    put('2026-10-05', 12);
    put('2026-11-02', 4);
    await payBill(b, 'water', nextAccount());
    ok(await b.call('monitor.setOpeningDate', { openingDate: '2026-08-01' }));
    const s = ok<StandingDto>(await b.call('standing.get', {}));
    expect(s.openingDate).toBe('2026-08-01');
    expect(s.openingSource).toBe('setting');
    expect(s.standing).toMatchObject({
      status: 'at_risk',
      level: 'critical',
      monthCount: 5,
      needed: 15,
      daysLeft: 3,
      lowMonthsInRow: 2,
    });
    expect(s.months.map((x) => [x.month, x.count, x.low])).toEqual([
      ['2026-08', 25, false],
      ['2026-09', 10, true],
      ['2026-10', 12, true],
      ['2026-11', 5, false],
    ]);
    // Back to the station's own first day: this is its opening month, not judged.
    const own = ok<StandingDto>(await b.call('monitor.setOpeningDate', { openingDate: null }));
    expect(own.openingSource).toBe('station');
    expect(own.standing.monthJudged).toBe(false);
    expect(own.standing.level).toBe('none');
  });
});
