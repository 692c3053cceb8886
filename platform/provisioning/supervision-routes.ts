// Supervision in the office (admin, supervisor; issue 11, MON-1 and MON-3): the watch lists on
// the front page, the stations table with its CSV and Excel exports, a station's page (balance,
// weekly and monthly figures, top-ups, standing, checks against its uploads, faults), and the
// fault inbox. Every view is audited.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addDays, businessDayOf } from '../../shared/business-day';
import type { Standing } from '../../shared/exit-rule';
import { csvLines, csvRow } from '../../shared/csv';
import { formatFen } from '../../shared/money';
import { STATION_TYPES } from '../../shared/station-profile';
import { zhCN as monitorZh } from '../messages';
import { OfficeError } from '../office/errors';
import type { OfficeKit, OfficeOptions } from '../office/kit';
import { disagreements, stationFigures } from './figures';
import { faultsPage, type FaultRow } from './fault-pages';
import { stationsPage, watchPage, type StationRow } from './pages';
import { stationPage } from './station-page';
import { type FaultEvent } from './types';
import { byOf, change, institutionNo, stationNoOf, text } from './office-shared';

const WATCH_DAYS = 30;
const FAULT_OVERDUE_MS = 2 * 24 * 3600_000;
const FAULTS_SHOWN = 500;
const RECENT_ENTRIES = 50;
/** Journal history read for a station's figures: the last six months and a bit. */
const FIGURE_DAYS = 200;

const faultMoveSchema = z.object({
  institutionNo,
  faultRef: z.string().min(3).max(100),
  status: z.enum(['handled', 'escalated', 'closed']),
  note: text(500),
});
const listSchema = z.object({
  branch: z.string().trim().max(20).optional(),
  type: z.union([z.enum(STATION_TYPES), z.literal('')]).optional(),
  standing: z.union([z.enum(['ok', 'at_risk', 'remove']), z.literal('')]).optional(),
  q: z.string().trim().max(32).optional(),
});

/** Registers the supervision routes; gives back the station page's data, which the
 *  provisioning routes show again after a change (e.g. with a freshly issued code). */
export function supervisionRoutes(app: FastifyInstance, opts: OfficeOptions, kit: OfficeKit) {
  const { store, now } = opts;
  const { wantsJson, ctxOf, html, bodyOf, parse, audit, requireRole } = kit;
  const today = (): string => businessDayOf(now());
  const by = byOf;
  const stationNo = (req: FastifyRequest): string => stationNoOf(kit, req);

  // ---------------------------------------------------------------- faults, shared by pages

  const faultRows = async (no: string | null, showClosed: boolean): Promise<FaultRow[]> => {
    const [faults, events, stations] = await Promise.all([
      store.stations.faults(no, FAULTS_SHOWN),
      store.provisioning.faultEvents(no),
      no === null ? store.provisioning.listStations() : Promise.resolve([]),
    ]);
    const names = new Map(stations.map((s) => [s.institutionNo, s.name]));
    if (no !== null) names.set(no, (await store.stations.getStation(no))?.name ?? '');
    const last = new Map<string, FaultEvent>();
    for (const e of events) last.set(`${e.institutionNo}|${e.faultRef}`, e);
    const nowMs = now().getTime();
    const rows: FaultRow[] = [];
    for (const f of faults) {
      const ref = `${f.at}|${f.kind}`;
      const ev = last.get(`${f.institutionNo}|${ref}`);
      const status = ev?.status ?? 'received';
      if (status === 'closed' && !showClosed) continue;
      rows.push({
        institutionNo: f.institutionNo,
        name: names.get(f.institutionNo) ?? (await store.stations.getStation(f.institutionNo))?.name ?? '',
        ref,
        day: f.day,
        kind: f.kind,
        at: f.at,
        detail: f.detail,
        status,
        lastNote: ev?.note ?? null,
        overdue: status === 'received' && nowMs - Date.parse(f.at) > FAULT_OVERDUE_MS,
      });
    }
    return rows;
  };

  // ---------------------------------------------------------------- watch lists

  app.get('/watch', { config: { action: 'watch.view' } }, async (req, reply) => {
    requireRole(req, 'admin', 'supervisor');
    const t = today();
    const soon = addDays(t, WATCH_DAYS);
    const soonIso = new Date(now().getTime() + WATCH_DAYS * 24 * 3600_000).toISOString();
    const [stations, agreements, certs, fleet, faults, takings] = await Promise.all([
      store.provisioning.listStations(),
      store.provisioning.latestAgreements(),
      store.provisioning.latestCertificates(),
      app.standing.get(t),
      faultRows(null, false),
      store.provisioning.takingsDue(),
    ]);
    const name = new Map(stations.map((s) => [s.institutionNo, s.name]));
    const certOf = new Map(certs.map((c) => [c.institutionNo, c]));
    const recent = await store.stations.dailyCountsOf(
      stations.map((s) => s.institutionNo),
      addDays(t, -60),
      t,
    );
    const yesterday = addDays(t, -1);
    const w = {
      today: t,
      agreements: agreements
        .filter((a) => a.endDay <= soon)
        .map((a) => ({
          institutionNo: a.institutionNo,
          name: name.get(a.institutionNo) ?? '',
          endDay: a.endDay,
        })),
      certificates: certs
        .filter((c) => c.revokedAt === null && c.expiresAt <= soonIso)
        .map((c) => ({
          institutionNo: c.institutionNo,
          name: name.get(c.institutionNo) ?? '',
          expiresAt: c.expiresAt,
          serial: c.serial,
        })),
      notActivated: stations
        .filter((s) => !certOf.has(s.institutionNo))
        .map((s) => ({ institutionNo: s.institutionNo, name: s.name })),
      unclosed: stations
        .filter((s) => certOf.has(s.institutionNo) && s.openingDate < yesterday)
        .map((s) => ({
          institutionNo: s.institutionNo,
          name: s.name,
          lastDay: recent.get(s.institutionNo)?.at(-1)?.[0] ?? null,
        }))
        .filter((s) => s.lastDay === null || s.lastDay < yesterday),
      atRisk: fleet.stations
        .filter((s) => s.standing.status !== 'ok')
        .slice(0, 200)
        .map((s) => ({
          institutionNo: s.institutionNo,
          name: s.name,
          status: s.standing.status,
          why: whyOf(s.standing),
        })),
      takings: takings.slice(0, 200).map((x) => ({
        institutionNo: x.institutionNo,
        name: name.get(x.institutionNo) ?? '',
        day: x.day,
        takingsDue: formatFen(x.takingsDueFen),
      })),
      openFaults: faults.length,
      overdueFaults: faults.filter((f) => f.overdue).length,
    };
    await audit(req, 'watch.view', 'ok', null);
    if (wantsJson(req)) return { ok: true, data: w };
    const ctx = ctxOf(req);
    return html(reply, ctx, watchPage(ctx, w));
  });

  // ---------------------------------------------------------------- stations

  const stationRows = async (req: FastifyRequest): Promise<StationRow[]> => {
    const f = parse(listSchema, req.query);
    const t = today();
    const [stations, fleet, certs] = await Promise.all([
      store.provisioning.listStations(),
      app.standing.get(t),
      store.provisioning.latestCertificates(),
    ]);
    const standing = new Map(fleet.stations.map((s) => [s.institutionNo, s.standing.status]));
    const activated = new Set(certs.filter((c) => c.revokedAt === null).map((c) => c.institutionNo));
    const q = (f.q ?? '').toLowerCase();
    const picked = stations.filter(
      (s) =>
        (!f.branch || s.branchCode === f.branch) &&
        (!f.type || s.type === f.type) &&
        (!f.standing || (standing.get(s.institutionNo) ?? 'ok') === f.standing) &&
        (!q || s.institutionNo.toLowerCase().includes(q) || s.name.toLowerCase().includes(q)),
    );
    const monthStart = new Date(`${t.slice(0, 7)}-01T00:00:00+08:00`).toISOString();
    return Promise.all(
      picked.map(async (s) => {
        const [bal, station, entries] = await Promise.all([
          store.accounts.balance(s.institutionNo),
          store.stations.getStation(s.institutionNo),
          store.accounts.statement(s.institutionNo, { fromAt: monthStart }),
        ]);
        const figures = stationFigures(entries, t, { weeks: 0, months: 1 });
        return {
          station: s,
          holder: station?.holder ?? '',
          balanceFen: bal?.balanceFen ?? 0,
          monthCount: figures.monthly[0]?.count ?? 0,
          standing: standing.get(s.institutionNo) ?? 'ok',
          activated: activated.has(s.institutionNo),
        };
      }),
    );
  };
  const exportCells = (rows: StationRow[]) => [
    ['机构号', '名称', '类型', '所属网点', '经营者', '中心余额（元）', '本月笔数', '经营状况', '激活'],
    ...rows.map((r) => [
      r.station.institutionNo,
      r.station.name,
      r.station.type,
      r.station.branchCode,
      r.holder,
      formatFen(r.balanceFen),
      r.monthCount,
      r.standing,
      r.activated ? '是' : '否',
    ]),
  ];

  app.get('/stations', { config: { action: 'stations.view' } }, async (req, reply) => {
    const who = requireRole(req, 'admin', 'supervisor');
    const rows = await stationRows(req);
    if (wantsJson(req)) return { ok: true, data: rows };
    const f = parse(listSchema, req.query);
    const ctx = ctxOf(req);
    return html(
      reply,
      ctx,
      stationsPage(
        ctx,
        rows,
        { branch: f.branch ?? '', type: f.type ?? '', standing: f.standing ?? '', query: f.q ?? '' },
        who.user.role === 'admin',
      ),
    );
  });

  app.get('/stations.csv', { config: { action: 'stations.export' } }, async (req, reply) => {
    requireRole(req, 'admin', 'supervisor');
    const rows = await stationRows(req);
    await audit(req, 'stations.export', 'ok', null, { format: 'csv', rows: rows.length });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="stations-${today()}.csv"`)
      .send(csvLines(exportCells(rows).map(csvRow)));
  });

  app.get('/stations.xlsx', { config: { action: 'stations.export' } }, async (req, reply) => {
    requireRole(req, 'admin', 'supervisor');
    const rows = await stationRows(req);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.creator = '邮政便民驿站管理系统';
    const ws = wb.addWorksheet('便民服务站');
    const cells = exportCells(rows);
    ws.addRow(cells[0]!).font = { bold: true };
    for (const r of cells.slice(1)) ws.addRow(r.map((v, i) => (i === 5 ? Number(v) : v)));
    ws.getColumn(6).numFmt = '#,##0.00';
    await audit(req, 'stations.export', 'ok', null, { format: 'xlsx', rows: rows.length });
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="stations-${today()}.xlsx"`)
      .send(Buffer.from(await wb.xlsx.writeBuffer()));
  });

  const renderStation = async (
    req: FastifyRequest,
    no: string,
    extra: { issuedCode?: { code: string; expiresAt: string } } = {},
  ) => {
    const t = today();
    const fromAt = new Date(now().getTime() - FIGURE_DAYS * 24 * 3600_000).toISOString();
    const [file, balance, entries, fleet, uploadedDays, faults] = await Promise.all([
      store.provisioning.stationFile(no),
      store.accounts.balance(no),
      store.accounts.statement(no, { fromAt }),
      app.standing.get(t),
      store.stations.dailyCounts(no, addDays(t, -FIGURE_DAYS), t),
      faultRows(no, true),
    ]);
    if (!file) throw new OfficeError('UNKNOWN_STATION', { institutionNo: no });
    const figures = stationFigures(entries, t, { weeks: 8, months: 6 });
    const st = fleet.stations.find((s) => s.institutionNo === no)?.standing;
    return {
      file,
      today: t,
      balanceFen: balance?.balanceFen ?? null,
      standing: st ? { status: st.status, why: whyOf(st) } : null,
      weekly: figures.weekly,
      monthly: figures.monthly,
      topUps: figures.topUps,
      recent: entries.slice(-RECENT_ENTRIES).reverse(),
      checks: disagreements(figures.monthly, monthsOf(uploadedDays)),
      faults,
      ...extra,
    };
  };

  app.get('/stations/:no', { config: { action: 'station.view' } }, async (req, reply) => {
    const who = requireRole(req, 'admin', 'supervisor');
    const no = stationNo(req);
    const v = await renderStation(req, no);
    await audit(req, 'station.view', 'ok', no);
    if (wantsJson(req))
      return {
        ok: true,
        data: {
          ...v,
          file: {
            ...v.file,
            certificate: v.file.certificate && { ...v.file.certificate, publicKey: undefined },
          },
        },
      };
    const ctx = ctxOf(req);
    return html(reply, ctx, stationPage(ctx, v, who.user.role === 'admin'));
  });

  // ---------------------------------------------------------------- faults (MON-3)

  app.get('/faults', { config: { action: 'faults.view' } }, async (req, reply) => {
    requireRole(req, 'admin', 'supervisor');
    const all = (req.query as { all?: string }).all === '1';
    const rows = await faultRows(null, all);
    if (wantsJson(req)) return { ok: true, data: rows };
    const ctx = ctxOf(req);
    return html(reply, ctx, faultsPage(ctx, rows, today(), all));
  });

  app.post('/faults/move', { config: { action: 'fault.move' } }, async (req, reply) => {
    requireRole(req, 'admin', 'supervisor');
    const b = parse(faultMoveSchema, bodyOf(req));
    const known = (await store.stations.faults(b.institutionNo, FAULTS_SHOWN)).some(
      (f) => `${f.at}|${f.kind}` === b.faultRef,
    );
    if (!known) throw new OfficeError('NOT_FOUND', { faultRef: b.faultRef });
    const e = await change(() =>
      store.provisioning.moveFault({
        institutionNo: b.institutionNo,
        faultRef: b.faultRef,
        status: b.status,
        note: b.note,
        at: now().toISOString(),
        by: by(req),
      }),
    );
    await audit(req, 'fault.move', 'ok', b.institutionNo, {
      faultRef: b.faultRef,
      status: b.status,
      note: b.note,
    });
    if (wantsJson(req)) return reply.send({ ok: true, data: e });
    const back = (req.headers.referer ?? '').includes(`/office/stations/${b.institutionNo}`)
      ? `/office/stations/${b.institutionNo}`
      : '/office/faults';
    return reply.redirect(back, 303);
  });

  return { renderStation };
}

/** The station's own uploaded counts, by month. */
function monthsOf(days: ReadonlyArray<[string, number]>): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const [d, n] of days) m.set(d.slice(0, 7), (m.get(d.slice(0, 7)) ?? 0) + n);
  return [...m];
}

function whyOf(st: Standing): string {
  const v = st.verdict;
  if (v.status === 'at_risk') return v.reasons.map((r) => monitorZh.reason(r)).join('；');
  if (v.status === 'remove' && v.triggers.length)
    return v.triggers.map((t) => monitorZh.trigger(t)).join('；');
  return monitorZh.status[v.status];
}
