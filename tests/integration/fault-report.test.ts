// MON-3 (issue 12 item 8): an operator reports an abnormal situation by hand; it goes up with the
// next upload, and the station shows how the office is handling it (received, handled,
// escalated, closed, with the office's note) — the last known status when the platform is out of
// reach. Through the API, against the real platform started beside the station.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendAt, ok, refused, TEST_START, type TestBackend, testClock } from '../helpers/backend';
import type { FaultListDto, FaultReportDto, MonitorStatusDto } from '../../shared/contract';
import { faultReports, faultsOfDay, MAX_MANUAL_FAULTS_PER_DAY } from '../../db/monitor-outbox';
import { MAX_FAULTS_PER_DAY } from '../../shared/monitor-protocol';
import { FAULT_STATUS_SETTING } from '../../backend/services/faults';
import type { PlatformClient } from '../../backend/gateway/platform-gateway';

const clock = testClock();
let b: TestBackend;

beforeEach(async () => (b = await backendAt(clock, TEST_START, { monitorTimer: false })));
afterEach(() => b.close());

const DAY = '2026-11-28';
const store = () => b.platform!.platform.store;
const no = () => b.platform!.institutionNo;
/** The station's signed client to the platform (the one fault.list asks with). */
const platformClientOf = (x: TestBackend): PlatformClient => x.platform!.gateway.client;

/** What a refusal must leave untouched: the faults, the outbox, the settings. */
const snapshot = () =>
  JSON.stringify([
    b.db.prepare('SELECT * FROM monitor_faults ORDER BY id').all(),
    b.db.prepare('SELECT * FROM monitor_outbox ORDER BY day').all(),
    b.db.prepare('SELECT * FROM settings ORDER BY key').all(),
  ]);

const list = async () => ok<FaultListDto>(await b.call('fault.list', {}));
const report = async (kind: string, detail: string) =>
  ok<FaultReportDto>(await b.call('fault.report', { kind, detail }));

describe('MON-3: reporting a fault by hand', () => {
  it('MON-3: the operator reports an abnormal situation: recorded for today, by hand and by whom, and its day is owed to the monitor', async () => {
    const r = await report('power', '  上午停电约 30 分钟，已恢复  ');
    expect(r.upload).toBe('waiting'); // no monitor address yet: it waits in the outbox
    expect(r.fault).toMatchObject({
      day: DAY,
      kind: 'power',
      at: '2026-11-28T02:00:00.000Z',
      detail: '上午停电约 30 分钟，已恢复',
      occurrences: 1,
      ref: '2026-11-28T02:00:00.000Z|power',
      reportedBy: { operatorId: 'op-holder', name: '店主（演示）' },
      handling: null,
    });
    const [row] = faultsOfDay(b.db, DAY);
    expect(row).toMatchObject({ kind: 'power', source: 'manual:op-holder' });
    const outbox = b.db
      .prepare('SELECT version, acked_version FROM monitor_outbox WHERE day = ?')
      .get(DAY) as {
      version: number;
      acked_version: number;
    };
    expect(outbox.version).toBeGreaterThan(outbox.acked_version);
    const st = ok<MonitorStatusDto>(await b.call('monitor.status', {}));
    expect(st.pendingDays).toBe(1);

    // The list: the fault, not yet at the platform (the platform was asked and has none).
    const l = await list();
    expect(l.check.outcome).toBe('ok');
    expect(l.uploadConfigured).toBe(false);
    expect(l.faults).toHaveLength(1);
    expect(l.faults[0]).toMatchObject({
      kind: 'power',
      handling: null,
      reportedBy: { operatorId: 'op-holder' },
    });
  });

  it('MON-3: refusals have stable codes and Chinese messages, and write nothing: the same fault twice, more than the day allows, bad input', async () => {
    await report('printer', '打印机卡纸，已清理');
    let before = snapshot();
    const dup = refused(
      await b.call('fault.report', { kind: 'printer', detail: '打印机卡纸，已清理 ' }),
      'FAULT_ALREADY_REPORTED',
    );
    expect(dup.message).toMatch(/[\u4e00-\u9fff]/);
    expect(snapshot()).toBe(before);
    // The same text under another kind is another fault.
    await report('other', '打印机卡纸，已清理');

    for (let i = 2; i < MAX_MANUAL_FAULTS_PER_DAY; i++) await report('other', `异常情况 ${i}`);
    before = snapshot();
    const limit = refused(
      await b.call('fault.report', { kind: 'other', detail: '再报一条' }),
      'FAULT_REPORT_LIMIT',
    );
    expect(limit.message).toContain(`${MAX_MANUAL_FAULTS_PER_DAY} 条`);
    expect(snapshot()).toBe(before);

    for (const args of [
      { kind: 'earthquake', detail: '地震' },
      { kind: 'other', detail: '   ' },
      { kind: 'other', detail: '换行\n不行' },
      { kind: 'other', detail: '长'.repeat(201) },
      { kind: 'other' },
      { detail: '没有类型' },
    ]) {
      const e = refused(await b.call('fault.report', args), 'INVALID_INPUT');
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(snapshot()).toBe(before);

    // The next day has room again.
    clock.advance(24 * 3600_000);
    expect((await report('other', '再报一条')).fault.day).toBe('2026-11-29');
  });

  it('MON-3: on a day with more faults than an upload lists, the ones reported by hand are listed, with who reported them', async () => {
    const insert = b.db.prepare(
      `INSERT INTO monitor_faults (day, kind, at, last_at, detail, source) VALUES (?, 'printer', ?, ?, ?, 'print_job:1')`,
    );
    for (let i = 0; i < MAX_FAULTS_PER_DAY + 5; i++)
      insert.run(DAY, '2026-11-28T01:00:00.000Z', '2026-11-28T01:00:00.000Z', `打印失败 ${i}`);
    await report('other', '顾客反映小票字迹模糊');
    const sent = faultReports(faultsOfDay(b.db, DAY));
    expect(sent).toHaveLength(MAX_FAULTS_PER_DAY);
    expect(sent.filter((f) => f.detail === '【手工上报·店主（演示）】顾客反映小票字迹模糊')).toHaveLength(1);
    expect(sent.at(-1)!.detail).toBe('当日另有 7 条故障记录未列出，请查看站点');
  });
});

/** The office (supervisor1) moves the station's fault `faultRef` on to `status`, with `note`. */
const moveFault = (faultRef: string, status: 'handled' | 'escalated' | 'closed', note: string) =>
  store().provisioning.moveFault({
    institutionNo: no(),
    faultRef,
    status,
    note,
    at: clock.now().toISOString(),
    by: 'supervisor1',
  });

describe('MON-3: the platform’s handling, back at the station', () => {
  it('MON-3: a fault reported by hand goes up with the next upload, shows 已接收, then the office’s 已处理 with its note', async () => {
    ok(await b.call('monitor.setUrl', { url: b.platform!.url }));
    await b.monitor.idle(); // a new address sends what is owed (nothing yet)
    const r = await report('network', '宽带中断，已报修');
    expect(r.upload).toBe('queued');
    await b.monitor.idle(); // the upload the report started
    expect(ok<MonitorStatusDto>(await b.call('monitor.status', {})).state).toBe('up_to_date');

    // The platform has it, saying it was reported by hand and by whom.
    const [f] = await store().stations.faults(no(), 10);
    expect(f).toMatchObject({
      kind: 'network',
      at: r.fault.at,
      detail: '【手工上报·店主（演示）】宽带中断，已报修',
    });

    let l = await list();
    expect(l.check.outcome).toBe('ok');
    expect(l.faults[0]!.handling).toMatchObject({ status: 'received', note: null, statusAt: null });

    clock.advance(3600_000);
    await moveFault(r.fault.ref, 'handled', '已联系运营商上门维修');
    l = await list();
    expect(l.faults[0]!.handling).toMatchObject({
      status: 'handled',
      statusAt: '2026-11-28T03:00:00.000Z',
      note: '已联系运营商上门维修',
      checkedAt: '2026-11-28T03:00:00.000Z',
    });
  });

  it('MON-3: escalated (上报) then closed, with the note of each move; each fault keeps its own status', async () => {
    ok(await b.call('monitor.setUrl', { url: b.platform!.url }));
    await b.monitor.idle();
    const a = await report('gateway', '缴费系统响应很慢');
    clock.advance(60_000);
    const c = await report('other', '门店玻璃破损');
    ok(await b.call('monitor.uploadNow', {}));
    await moveFault(a.fault.ref, 'escalated', '已上报省分公司');
    let l = await list();
    const byRef = (x: FaultListDto, ref: string) => x.faults.find((f) => f.ref === ref)!;
    expect(byRef(l, a.fault.ref).handling).toMatchObject({ status: 'escalated', note: '已上报省分公司' });
    expect(byRef(l, c.fault.ref).handling).toMatchObject({ status: 'received', note: null });

    // Closed: the status and the note of the last move.
    clock.advance(60_000);
    await moveFault(a.fault.ref, 'closed', '省分公司已处理完毕');
    l = await list();
    expect(byRef(l, a.fault.ref).handling).toMatchObject({
      status: 'closed',
      statusAt: clock.now().toISOString(),
      note: '省分公司已处理完毕',
    });
    expect(byRef(l, c.fault.ref).handling?.status).toBe('received');
  });

  it('MON-3: the platform out of reach — the list says so and shows the last known status; it catches up when the platform is back', async () => {
    ok(await b.call('monitor.setUrl', { url: b.platform!.url }));
    await b.monitor.idle();
    const r = await report('printer', '打印头过热');
    await b.monitor.idle();
    await moveFault(r.fault.ref, 'handled', '请更换打印头');
    const known = await list();
    expect(known.faults[0]!.handling?.status).toBe('handled');
    const cached = b.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(FAULT_STATUS_SETTING);

    // The link goes down: the station's signed client cannot reach the platform.
    const client = platformClientOf(b);
    const real = client.call.bind(client);
    client.call = (() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1'))) as typeof client.call;
    clock.advance(600_000);
    const offline = await list();
    expect(offline.check.outcome).toBe('unreachable');
    expect(offline.check.lastOkAt).toBe(known.check.at);
    expect(offline.check.problem).toContain('ECONNREFUSED');
    expect(offline.faults[0]!.handling).toMatchObject({
      status: 'handled',
      note: '请更换打印头',
      checkedAt: known.check.at,
    });
    // Nothing is forgotten or rewritten while out of reach.
    expect(b.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(FAULT_STATUS_SETTING)).toBe(
      cached,
    );

    client.call = real;
    const back = await list();
    expect(back.check.outcome).toBe('ok');
    expect(back.faults[0]!.handling).toMatchObject({
      status: 'handled',
      checkedAt: clock.now().toISOString(),
    });
  });

  it('MON-3: the faults the station records by itself show their status too (a printer fault from the print queue)', async () => {
    ok(await b.call('monitor.setUrl', { url: b.platform!.url }));
    await b.monitor.idle();
    b.db
      .prepare(
        `INSERT INTO monitor_faults (day, kind, at, last_at, detail, source) VALUES (?, 'printer', ?, ?, '打印机未开机', 'print_job:1')`,
      )
      .run(DAY, '2026-11-28T01:30:00.000Z', '2026-11-28T01:30:00.000Z');
    ok(await b.call('monitor.uploadNow', {}));
    const l = await list();
    expect(l.faults[0]).toMatchObject({
      kind: 'printer',
      reportedBy: null,
      handling: { status: 'received' },
    });
    // The platform's copy is the station's own text: no 手工上报 mark.
    const [f] = await store().stations.faults(no(), 10);
    expect(f!.detail).toBe('打印机未开机');
  });
});

describe('MON-3: the signed fault_status op of the station API', () => {
  it('MON-3: answers only the station’s own faults asked about; an unknown ref is simply not listed; a malformed one is INVALID_INPUT', async () => {
    ok(await b.call('monitor.setUrl', { url: b.platform!.url }));
    await b.monitor.idle();
    const r = await report('other', '测试');
    await b.monitor.idle();
    const client = platformClientOf(b);
    const reply = await client.call('fault_status', {
      requestKey: 'fault-status-test-1',
      refs: [r.fault.ref, '2026-11-01T00:00:00.000Z|power'],
    });
    expect(reply.data.faults).toEqual([{ ref: r.fault.ref, status: 'received', statusAt: null, note: null }]);
    expect(
      (await client.call('fault_status', { requestKey: 'fault-status-test-2', refs: [] })).data.faults,
    ).toEqual([]);
    await expect(
      client.call('fault_status', { requestKey: 'fault-status-test-3', refs: ['2026-11-28|power'] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', status: 400 });
  });
});
