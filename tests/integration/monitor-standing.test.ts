// Standing endpoints and the dashboard over real HTTP (MON-1, MON-2, MON-3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  call,
  get,
  monthDays,
  READ_TOKEN,
  startMonitor,
  TestStation,
  type TestMonitor,
} from '../helpers/monitor';

// 12:00 in Shanghai on 15 June 2025.
let m: TestMonitor;

interface StandingRow {
  institutionNo: string;
  standing: {
    status: string;
    level: string;
    monthCount: number;
    lowMonthsInRow: number;
    verdict: { status: string; reasons?: unknown[]; triggers?: unknown[] };
  };
}
interface FleetJson {
  ok: true;
  data: {
    asOf: string;
    total: number;
    counts: Record<string, number>;
    matching: number;
    stations: StandingRow[];
  };
}

beforeAll(async () => {
  m = await startMonitor('2025-06-15T04:00:00Z');
  const healthy = new TestStation(m, 'HEALTHY1', '2025-01-01', '城东便民站');
  const risky = new TestStation(m, 'ATRISK01', '2025-01-01', '河口村便民站');
  const gone = new TestStation(m, 'REMOVE01', '2025-01-01', '老街便民站');
  const fresh = new TestStation(m, 'NEWBIE01', '2025-06-10', '新开便民站');
  for (const s of [healthy, risky, gone, fresh]) expect((await s.register()).status).toBe(201);
  for (const month of ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05']) {
    await healthy.upload(monthDays(month, 40));
    await gone.upload(monthDays(month, month === '2025-04' ? 0 : 40));
    await risky.upload(monthDays(month, month === '2025-05' ? 10 : 30)); // May low
  }
  await healthy.upload(monthDays('2025-06', 25, 10));
  await gone.upload(monthDays('2025-06', 25, 10));
  await risky.upload([
    {
      day: '2025-06-09',
      count: 5,
      faults: [{ kind: 'printer', at: '2025-06-09T10:00:00+08:00', detail: '打印机卡纸' }],
    },
    { day: '2025-06-12', count: 7 },
  ]);
  await fresh.upload([{ day: '2025-06-12', count: 2 }]);
});
afterAll(async () => {
  await m.close();
});

/** The dashboard's page as the holder of `token` sees it. */
const dashboard = async (token: string) =>
  (await fetch(`${m.url}/`, { headers: { authorization: `Bearer ${token}` } })).text();

/** The `<section id="…">` of a dashboard page, up to its end. */
const sectionOf = (html: string, id: string) =>
  html.slice(
    html.indexOf(`<section id="${id}"`),
    html.indexOf('</section>', html.indexOf(`<section id="${id}"`)),
  );

describe('standing endpoints', () => {
  it('MON-2: one station’s standing — 12 of 20 this month, 2nd low month in a row — needs a token', async () => {
    expect((await get(m, '/v1/stations/ATRISK01/standing', null)).status).toBe(401);
    expect((await get(m, '/v1/stations/ATRISK01/standing', 'wrong-token-0000000000')).status).toBe(401);
    const r = await get(m, '/v1/stations/ATRISK01/standing', READ_TOKEN);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      ok: true,
      data: {
        institutionNo: 'ATRISK01',
        name: '河口村便民站',
        lastSeq: 6,
        standing: {
          status: 'at_risk',
          level: 'warning',
          month: '2025-06',
          monthCount: 12,
          needed: 8,
          daysLeft: 16,
          lowMonthsInRow: 1,
          verdict: {
            status: 'at_risk',
            reasons: [
              {
                kind: 'low_month_in_progress',
                count: 12,
                threshold: 20,
                lowMonthsBefore: 1,
                removalIfLow: false,
              },
            ],
          },
        },
      },
    });
    expect((await get(m, '/v1/stations/ATRISK01/standing', ADMIN_TOKEN)).status).toBe(200);
    expect((await get(m, '/v1/stations/NOSUCH99/standing')).status).toBe(404);
  });

  it('MON-1: a station’s standing carries its monthly totals and the last 8 weeks', async () => {
    const d = (
      (await get(m, '/v1/stations/ATRISK01/standing')).json as {
        data: {
          months: Array<{ month: string; count: number; low: boolean }>;
          weeks: Array<{ weekStart: string; count: number }>;
          faults: Array<{ kind: string }>;
        };
      }
    ).data;
    expect(d.months.map((x) => [x.month, x.count, x.low])).toEqual([
      ['2025-01', 30, false],
      ['2025-02', 30, false],
      ['2025-03', 30, false],
      ['2025-04', 30, false],
      ['2025-05', 10, true],
      ['2025-06', 12, false],
    ]);
    expect(d.weeks).toHaveLength(8);
    expect(d.weeks.at(-1)).toEqual({ weekStart: '2025-06-09', count: 12 });
    expect(d.faults).toEqual([expect.objectContaining({ kind: 'printer' })]); // MON-3
  });

  it('MON-2: a standing as of a past date uses the days up to then (April not yet judged on 20 April)', async () => {
    const past = await get(m, '/v1/stations/REMOVE01/standing?asOf=2025-04-20');
    expect((past.json as { data: StandingRow }).data.standing.status).toBe('at_risk');
    const now = await get(m, '/v1/stations/REMOVE01/standing');
    expect((now.json as { data: StandingRow }).data.standing.verdict).toEqual({
      status: 'remove',
      triggers: [{ rule: 'no_business', month: '2025-04', months: ['2025-04'], counts: [0] }],
      triggerCount: 1,
    });
    expect((await get(m, '/v1/stations/REMOVE01/standing?asOf=2025-06-16')).status).toBe(400); // the future
  });

  it('MON-2: the fleet list filters by status, most urgent first', async () => {
    const all = (await get(m, '/v1/standing')).json as FleetJson;
    expect(all.data).toMatchObject({
      asOf: '2025-06-15',
      total: 4,
      counts: { ok: 2, at_risk: 1, remove: 1 },
    });
    expect(all.data.stations.map((s) => s.institutionNo)).toEqual([
      'REMOVE01',
      'ATRISK01',
      'HEALTHY1',
      'NEWBIE01',
    ]);
    const atRisk = (await get(m, '/v1/standing?status=at_risk')).json as FleetJson;
    expect(atRisk.data.stations.map((s) => s.institutionNo)).toEqual(['ATRISK01']);
    const remove = (await get(m, '/v1/standing?status=remove', ADMIN_TOKEN)).json as FleetJson;
    expect(remove.data.stations.map((s) => s.institutionNo)).toEqual(['REMOVE01']);
    const fresh = all.data.stations.find((s) => s.institutionNo === 'NEWBIE01')!;
    expect(fresh.standing).toMatchObject({ status: 'ok', level: 'none', monthCount: 2 }); // opening month: not judged
    expect((await get(m, '/v1/standing?status=maybe')).status).toBe(400);
    expect((await get(m, '/v1/standing', null)).status).toBe(401);
  });
});

describe('dashboard', () => {
  const cookieFrom = (setCookie: string | null): string => (setCookie ?? '').split(';')[0]!;

  it('MON-2: the dashboard asks for a token, trades ?token= for a cookie and drops it from the URL', async () => {
    const none = await call(`${m.url}/`);
    expect(none.status).toBe(401);
    expect(String(none.json)).toContain('请输入访问令牌');
    const wrong = await call(`${m.url}/?token=nope-nope-nope-nope`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(String(wrong.json)).toContain('令牌无效');
    const ok = await fetch(`${m.url}/?token=${READ_TOKEN}`, { redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(READ_TOKEN); // a hash, not the token
    const page = await call(`${m.url}/`, { headers: { cookie: cookieFrom(cookie) } });
    expect(page.status).toBe(200);
  });

  it('MON-2: the dashboard lists the station at risk and the one to remove, each with a monthly chart', async () => {
    const login = await fetch(`${m.url}/?token=${READ_TOKEN}`, { redirect: 'manual' });
    const page = await fetch(`${m.url}/`, {
      headers: { cookie: cookieFrom(login.headers.get('set-cookie')) },
    });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
    const html = await page.text();
    const section = (id: string) => sectionOf(html, id);
    expect(section('at-risk')).toContain('data-station="ATRISK01"');
    expect(section('at-risk')).toContain('河口村便民站');
    expect(section('at-risk')).toContain('已办 12 笔 / 20 笔');
    expect(section('at-risk')).toContain('data-chart=');
    expect(section('at-risk')).not.toContain('HEALTHY1');
    expect(section('remove')).toContain('data-station="REMOVE01"');
    expect(section('remove')).toContain('2025-04 整月无业务');
    expect(html).toContain('<script src="/assets/echarts.min.js"');
    expect(html).toContain('id="chart-data"');
    // Read token: no refusals section (that is for the admin).
    expect(html).not.toContain('id="refusals"');
  });

  it('MON-1: the dashboard shows weekly and monthly transaction figures per station', async () => {
    const html = await dashboard(ADMIN_TOKEN);
    const figures = sectionOf(html, 'figures');
    expect(figures).toContain('本周');
    expect(figures).toContain('上月');
    // ATRISK01: this week 12 (9 and 12 June), last week 0, this month 12, last month 10.
    const row = figures.slice(
      figures.indexOf('ATRISK01'),
      figures.indexOf('</tr>', figures.indexOf('ATRISK01')),
    );
    expect([...row.matchAll(/<td class="num">(\d+)<\/td>/g)].map((x) => Number(x[1]))).toEqual([
      12, 0, 12, 10,
    ]);
    expect(html).toContain('id="refusals"'); // admin sees refusals
  });

  it('MON-3: faults uploaded with the counts are shown on the dashboard', async () => {
    const html = await dashboard(READ_TOKEN);
    const faults = sectionOf(html, 'faults');
    expect(faults).toContain('打印机故障');
    expect(faults).toContain('打印机卡纸');
    expect(faults).toContain('河口村便民站');
  });

  it('MON-2: the ECharts file is served for the dashboard, and /logout clears the session', async () => {
    const js = await fetch(`${m.url}/assets/echarts.min.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await js.text()).length).toBeGreaterThan(100_000);
    const out = await fetch(`${m.url}/logout`, { redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('MON-2: station names are escaped on the dashboard', async () => {
    const evil = new TestStation(m, 'EVIL0001', '2025-06-01', '<script>alert(1)</script>');
    expect((await evil.register()).status).toBe(201);
    const html = await dashboard(READ_TOKEN);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
