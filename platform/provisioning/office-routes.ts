// The office's provisioning (admin) and supervision (admin, supervisor) under /office
// (issue 11): stations and their agreement, services, people, training, authorisations,
// activation codes and certificates; the fee schedule; MON-1 per station and across stations
// (CSV, Excel); the fault inbox (MON-3); the watch lists on the front page. Every change is
// audited (office_audit) and answers HTML to a browser or JSON to a client that asks.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addDays, businessDayOf, isValidDay } from '../../shared/business-day';
import { SERVICE_IDS } from '../../shared/catalogue';
import type { Standing } from '../../shared/exit-rule';
import { csvLines, csvRow } from '../../shared/csv';
import { formatFen, parseMoney } from '../../shared/money';
import { PERMISSIONS, STATION_TYPES, TRAINING_SUBJECTS } from '../../shared/station-profile';
import { zhCN as monitorZh } from '../messages';
import { OfficeError } from '../office/errors';
import type { OfficeKit, OfficeOptions } from '../office/kit';
import { disagreements, stationFigures } from './figures';
import {
  faultsPage,
  feesPage,
  newStationPage,
  stationPage,
  stationsPage,
  watchPage,
  type FaultRow,
  type StationRow,
} from './pages';
import { ProvisioningRefusal, type FaultEvent } from './types';

const WATCH_DAYS = 30;
const FAULT_OVERDUE_MS = 2 * 24 * 3600_000;
const FAULTS_SHOWN = 500;
const RECENT_ENTRIES = 50;
/** Journal history read for a station's figures: the last six months and a bit. */
const FIGURE_DAYS = 200;

const day = z.string().trim().refine(isValidDay, '日期格式应为 YYYY-MM-DD');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), '不能含控制字符');
const institutionNo = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/);
/** 18-digit (last may be X) or 15-digit resident ID; only the first and last 4 are kept. */
const idNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([0-9]{17}[0-9X]|[0-9]{15})$/, '身份证号应为 18 位（末位可为 X）或 15 位');
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));
const money = (field: string) =>
  z.string().transform((v, c) => {
    try {
      return parseMoney(v.trim(), { field, maxFen: 100_000_000, allowZero: true });
    } catch {
      c.addIssue({ code: 'custom', message: '金额格式不正确：最多两位小数，例如 2000.00' });
      return z.NEVER;
    }
  });

const newStationSchema = z
  .object({
    institutionNo,
    name: text(60),
    type: z.enum(STATION_TYPES),
    address: text(120),
    branchCode: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z-]{1,20}$/),
    holderName: text(32),
    holderId: idNumber,
    openingDate: day,
    agreementStart: day,
    agreementEnd: day,
    deposit: money('deposit'),
    depositReceiptNo: text(40),
    services: many(z.enum(SERVICE_IDS)),
  })
  .refine((s) => s.agreementEnd > s.agreementStart, {
    message: '协议到期日应晚于起始日',
    path: ['agreementEnd'],
  });
const agreementSchema = z
  .object({ startDay: day, endDay: day, deposit: money('deposit'), depositReceiptNo: text(40) })
  .refine((s) => s.endDay > s.startDay, { message: '协议到期日应晚于起始日', path: ['endDay'] });
const serviceSchema = z.object({ service: z.enum(SERVICE_IDS), opened: z.enum(['0', '1']) });
const trainingSchema = z.object({
  personId: z.coerce.number().int().positive(),
  subject: z.enum(TRAINING_SUBJECTS),
  trainedOn: day,
  trainer: text(32),
});
const delegateSchema = z
  .object({
    name: text(32),
    idNumber,
    documentNo: text(40),
    scope: many(z.enum(PERMISSIONS)),
    validFrom: day,
    validTo: day,
  })
  .refine((s) => s.validTo >= s.validFrom, { message: '有效期截止日不能早于起始日', path: ['validTo'] });
const feeSchema = z.object({
  service: z.enum(SERVICE_IDS),
  fee: z.string().transform((v, c) => {
    try {
      return parseMoney(v.trim(), { field: 'fee', maxFen: 10_000, allowZero: true });
    } catch {
      c.addIssue({ code: 'custom', message: '收费应为 0.00～100.00 元' });
      return z.NEVER;
    }
  }),
  effectiveFrom: day,
});
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

export function maskId(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

export function provisioningRoutes(app: FastifyInstance, opts: OfficeOptions, kit: OfficeKit): void {
  const { store, now, provisioning } = opts;
  const { wantsJson, ctxOf, html, bodyOf, parse, audit, requireRole } = kit;
  const today = (): string => businessDayOf(now());
  const by = (req: FastifyRequest): string => req.office!.user.username;

  const refused = (e: unknown): unknown => {
    if (!(e instanceof ProvisioningRefusal)) return e;
    switch (e.code) {
      case 'STATION_EXISTS':
        return new OfficeError('STATION_EXISTS', e.details);
      case 'UNKNOWN_STATION':
        return new OfficeError('UNKNOWN_STATION', e.details);
      case 'UNKNOWN_PERSON':
        return new OfficeError('UNKNOWN_PERSON', e.details);
      case 'CERTIFICATE_NOT_FOUND':
        return new OfficeError('CERTIFICATE_NOT_FOUND', e.details);
      case 'FAULT_TRANSITION':
      case 'FAULT_NOT_FOUND':
        return new OfficeError('FAULT_TRANSITION', e.details);
      default:
        return new OfficeError('INVALID_INPUT', { reason: e.code });
    }
  };
  /** Runs a change; a store refusal becomes the office's coded refusal. */
  const change = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw refused(e);
    }
  };
  const stationNo = (req: FastifyRequest): string =>
    parse(institutionNo, (req.params as { no?: unknown }).no);
  const done = (
    req: FastifyRequest,
    reply: import('fastify').FastifyReply,
    no: string,
    data: unknown = {},
  ) => (wantsJson(req) ? reply.send({ ok: true, data }) : reply.redirect(`/office/stations/${no}`, 303));

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

  app.get('/stations/new', async (req, reply) => {
    requireRole(req, 'admin');
    const ctx = ctxOf(req);
    const t = today();
    return html(reply, ctx, newStationPage(ctx, t, addDays(addDays(t, 365), -1), undefined));
  });

  app.post('/stations', { config: { action: 'station.create' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const b = parse(newStationSchema, bodyOf(req));
    const station = await change(() =>
      store.provisioning.createStation({
        institutionNo: b.institutionNo,
        name: b.name,
        type: b.type,
        address: b.address,
        branchCode: b.branchCode,
        openingDate: b.openingDate,
        holderName: b.holderName,
        holderIdMasked: maskId(b.holderId),
        agreement: {
          startDay: b.agreementStart,
          endDay: b.agreementEnd,
          depositFen: b.deposit,
          depositReceiptNo: b.depositReceiptNo,
        },
        services: b.services,
        // A key whose private half is thrown away: nobody can sign for the station until it
        // binds its own with an activation code.
        sealedPublicKey: sealedKey(),
        at: now().toISOString(),
        by: by(req),
      }),
    );
    app.standing.touch(station.institutionNo);
    await audit(req, 'station.create', 'ok', station.institutionNo, {
      name: b.name,
      type: b.type,
      branch: b.branchCode,
      services: b.services,
      agreementEnd: b.agreementEnd,
      deposit: formatFen(b.deposit),
    });
    if (wantsJson(req)) return reply.code(201).send({ ok: true, data: station });
    return reply.redirect(`/office/stations/${station.institutionNo}`, 303);
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

  app.post('/stations/:no/agreement', { config: { action: 'agreement.record' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const no = stationNo(req);
    const b = parse(agreementSchema, bodyOf(req));
    await change(() =>
      store.provisioning.recordAgreement(
        no,
        {
          startDay: b.startDay,
          endDay: b.endDay,
          depositFen: b.deposit,
          depositReceiptNo: b.depositReceiptNo,
        },
        now().toISOString(),
        by(req),
      ),
    );
    await audit(req, 'agreement.record', 'ok', no, {
      startDay: b.startDay,
      endDay: b.endDay,
      deposit: formatFen(b.deposit),
    });
    return done(req, reply, no);
  });

  app.post('/stations/:no/services', { config: { action: 'service.set' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const no = stationNo(req);
    const b = parse(serviceSchema, bodyOf(req));
    await change(() =>
      store.provisioning.setService(no, b.service, b.opened === '1', now().toISOString(), by(req)),
    );
    await audit(req, 'service.set', 'ok', no, { service: b.service, opened: b.opened === '1' });
    return done(req, reply, no);
  });

  /** The person must belong to the station named in the path. */
  const personOf = async (no: string, personId: number) => {
    const file = await store.provisioning.stationFile(no);
    if (!file) throw new OfficeError('UNKNOWN_STATION', { institutionNo: no });
    const p = file.people.find((x) => x.id === personId);
    if (!p) throw new OfficeError('UNKNOWN_PERSON', { personId });
    return p;
  };

  app.post('/stations/:no/training', { config: { action: 'training.record' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const no = stationNo(req);
    const b = parse(trainingSchema, bodyOf(req));
    await personOf(no, b.personId);
    await change(() =>
      store.provisioning.recordTraining(
        b.personId,
        { subject: b.subject, trainedOn: b.trainedOn, trainer: b.trainer },
        now().toISOString(),
        by(req),
      ),
    );
    await audit(req, 'training.record', 'ok', no, {
      personId: b.personId,
      subject: b.subject,
      trainedOn: b.trainedOn,
      trainer: b.trainer,
    });
    return done(req, reply, no);
  });

  app.post('/stations/:no/delegates', { config: { action: 'delegate.add' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const no = stationNo(req);
    const b = parse(delegateSchema, bodyOf(req));
    const person = await change(() =>
      store.provisioning.addDelegate(
        no,
        { name: b.name, idMasked: maskId(b.idNumber) },
        { documentNo: b.documentNo, scope: b.scope, validFrom: b.validFrom, validTo: b.validTo },
        now().toISOString(),
        by(req),
      ),
    );
    await audit(req, 'delegate.add', 'ok', no, {
      personId: person.id,
      name: b.name,
      documentNo: b.documentNo,
      scope: b.scope,
      validFrom: b.validFrom,
      validTo: b.validTo,
    });
    return done(req, reply, no, { personId: person.id });
  });

  app.post<{ Params: { no: string; id: string } }>(
    '/stations/:no/authorisations/:id/revoke',
    { config: { action: 'authorisation.revoke' } },
    async (req, reply) => {
      requireRole(req, 'admin');
      const no = stationNo(req);
      const id = parse(z.coerce.number().int().positive(), req.params.id);
      const file = await store.provisioning.stationFile(no);
      if (!file?.people.some((p) => p.authorisations.some((a) => a.id === id)))
        throw new OfficeError('UNKNOWN_PERSON', { authorisationId: id });
      await change(() => store.provisioning.revokeAuthorisation(id, now().toISOString(), by(req)));
      await audit(req, 'authorisation.revoke', 'ok', no, { authorisationId: id });
      return done(req, reply, no);
    },
  );

  app.post(
    '/stations/:no/activation-code',
    { config: { action: 'activation.issue' } },
    async (req, reply) => {
      requireRole(req, 'admin');
      const no = stationNo(req);
      if (!(await store.provisioning.station(no)))
        throw new OfficeError('UNKNOWN_STATION', { institutionNo: no });
      const issued = await change(() => provisioning.issueCode(no, by(req)));
      // The code itself is shown once and never logged or stored.
      await audit(req, 'activation.issue', 'ok', no, { expiresAt: issued.expiresAt });
      if (wantsJson(req)) return reply.code(201).send({ ok: true, data: issued });
      const ctx = ctxOf(req);
      return html(
        reply,
        ctx,
        stationPage(ctx, await renderStation(req, no, { issuedCode: issued }), true),
        201,
      );
    },
  );

  app.post(
    '/stations/:no/certificate/renew',
    { config: { action: 'certificate.renew' } },
    async (req, reply) => {
      requireRole(req, 'admin');
      const no = stationNo(req);
      const cert = await change(() => provisioning.renew(no));
      await audit(req, 'certificate.renew', 'ok', no, { serial: cert.serial, expiresAt: cert.expiresAt });
      return done(req, reply, no, { serial: cert.serial, expiresAt: cert.expiresAt });
    },
  );

  app.post(
    '/stations/:no/certificate/revoke',
    { config: { action: 'certificate.revoke' } },
    async (req, reply) => {
      requireRole(req, 'admin');
      const no = stationNo(req);
      const b = parse(z.object({ reason: text(100) }), bodyOf(req));
      const current = await store.provisioning.currentCertificate(no);
      if (!current || current.revokedAt)
        throw new OfficeError('CERTIFICATE_NOT_FOUND', { institutionNo: no });
      await change(() => provisioning.revoke(current.serial, b.reason, by(req)));
      await audit(req, 'certificate.revoke', 'ok', no, { serial: current.serial, reason: b.reason });
      return done(req, reply, no);
    },
  );

  // ---------------------------------------------------------------- fees (SRV-4)

  app.get('/fees', { config: { action: 'fees.view' } }, async (req, reply) => {
    const who = requireRole(req, 'admin', 'supervisor');
    const fees = await store.provisioning.fees();
    if (wantsJson(req))
      return { ok: true, data: fees.map((f) => ({ ...f, fee: formatFen(f.feeFen), feeFen: undefined })) };
    const ctx = ctxOf(req);
    return html(reply, ctx, feesPage(ctx, fees, today(), who.user.role === 'admin', undefined));
  });

  app.post('/fees', { config: { action: 'fee.set' } }, async (req, reply) => {
    requireRole(req, 'admin');
    const b = parse(feeSchema, bodyOf(req));
    // A fee takes effect from a day to come (or today): the past is what it was.
    if (b.effectiveFrom < today())
      throw new OfficeError('INVALID_INPUT', { field: 'effectiveFrom', reason: '生效日期不能早于今天' });
    await store.provisioning.setFee(b.service, b.fee, b.effectiveFrom, now().toISOString(), by(req));
    await audit(req, 'fee.set', 'ok', b.service, { fee: formatFen(b.fee), effectiveFrom: b.effectiveFrom });
    if (wantsJson(req)) return reply.send({ ok: true, data: {} });
    return reply.redirect('/office/fees', 303);
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

function sealedKey(): Uint8Array {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  return Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
}
