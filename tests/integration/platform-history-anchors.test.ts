// Issue 9, ledger v2 at the office: the platform keeps each closed day's chain head as the
// station first uploaded it, and flags a station whose history changed under a closed day — on
// both stores. The anchors cannot be edited in the database.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSignedUpload } from '../../backend/monitor-signing';
import { startPg } from '../helpers/pg';
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
  type TestStation,
} from '../helpers/platform';
import { ENGINES, rawSql } from '../helpers/stores';
import type { DayReport } from '../../shared/monitor-protocol';

const pgServer = await startPg();
afterAll(() => pgServer?.stop());

const NO = '350100990077';
const head = (c: string) => c.repeat(64);

describe.each(ENGINES)('closed days anchored at the office, on %s', (engine) => {
  let p: TestPlatform;
  let st: TestStation;
  let seq = 0;
  beforeEach(async (t) => {
    if (engine === 'pg' && !pgServer) return t.skip();
    p = await startTestPlatform(engine, pgServer);
    st = await p.addStation(NO);
    seq = 0;
  });
  afterEach(async () => {
    await p?.stop();
  });

  const upload = async (days: DayReport[]) => {
    const signed = buildSignedUpload(
      { institutionNo: NO, seq: ++seq, sentAt: new Date().toISOString(), days },
      st.privateKeyPem,
    );
    const r = await fetch(`${p.url}${signed.path}`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(r.status, await r.clone().text()).toBe(200);
  };
  const alerts = async () => {
    const r = await fetch(`${p.url}/v1/history-alerts?institutionNo=${NO}`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { data: { alerts: Array<Record<string, unknown>> } }).data.alerts;
  };

  it('ledger v2: a later upload with another chain head for a closed day is flagged; the same head again is not', async () => {
    await upload([{ day: '2026-11-20', count: 3, chain: { zNo: 1, txnId: 7, head: head('a') } }]);
    // The same anchor again (a resend, or with the next day): nothing to flag.
    await upload([
      { day: '2026-11-20', count: 3, chain: { zNo: 1, txnId: 7, head: head('a') } },
      { day: '2026-11-21', count: 2, chain: { zNo: 2, txnId: 9, head: head('b') } },
    ]);
    expect(await alerts()).toEqual([]);
    // Day 20's history rewritten at the station: its Z carries another head now.
    await upload([{ day: '2026-11-20', count: 3, chain: { zNo: 1, txnId: 7, head: head('c') } }]);
    const a = await alerts();
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({
      institutionNo: NO,
      day: '2026-11-20',
      first: { zNo: 1, txnId: 7, head: head('a'), seq: 1 },
      later: { zNo: 1, txnId: 7, head: head('c'), seq: 3 },
    });
  });

  it('ledger v2: the anchors the office holds are append-only in the database', async () => {
    await upload([{ day: '2026-11-20', count: 1, chain: { zNo: 1, txnId: 2, head: head('d') } }]);
    await expect(rawSql(p.store, `UPDATE chain_anchors SET head = $1`, [head('e')])).rejects.toThrow(
      /APPEND_ONLY/,
    );
    await expect(rawSql(p.store, `DELETE FROM chain_anchors`)).rejects.toThrow(/APPEND_ONLY/);
    expect(await rawSql(p.store, `SELECT head FROM chain_anchors`)).toEqual([{ head: head('d') }]);
  });
});
