// The office's provisioning (admin) under /office (issue 11): stations and their agreement,
// services, people, training, authorisations, activation codes and certificates; the fee
// schedule. Supervision (the watch lists, the stations table, a station's page, faults) is in
// supervision-routes.ts. Every change is audited (office_audit) and answers HTML to a browser
// or JSON to a client that asks.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addDays, businessDayOf } from '../../shared/business-day';
import { SERVICE_IDS } from '../../shared/catalogue';
import { formatFen, parseMoney } from '../../shared/money';
import { PERMISSIONS, STATION_TYPES, TRAINING_SUBJECTS } from '../../shared/station-profile';
import { OfficeError } from '../office/errors';
import type { OfficeKit, OfficeOptions } from '../office/kit';
import { feesPage, newStationPage } from './pages';
import { stationPage } from './station-page';
import { byOf, change, day, institutionNo, stationNoOf, text } from './office-shared';
import { supervisionRoutes } from './supervision-routes';

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

export function maskId(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

export function provisioningRoutes(app: FastifyInstance, opts: OfficeOptions, kit: OfficeKit): void {
  const { store, now, provisioning } = opts;
  const { wantsJson, ctxOf, html, bodyOf, parse, audit, requireRole } = kit;
  const today = (): string => businessDayOf(now());
  const by = byOf;
  const stationNo = (req: FastifyRequest): string => stationNoOf(kit, req);
  const done = (req: FastifyRequest, reply: FastifyReply, no: string, data: unknown = {}) =>
    wantsJson(req) ? reply.send({ ok: true, data }) : reply.redirect(`/office/stations/${no}`, 303);
  const { renderStation } = supervisionRoutes(app, opts, kit);

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

  /** An admin's POST on one station (/stations/:no/<path>); `handle` gets the station's number. */
  const adminStationPost = (
    path: string,
    action: string,
    handle: (req: FastifyRequest, reply: FastifyReply, no: string) => Promise<unknown>,
  ) =>
    app.post(`/stations/:no/${path}`, { config: { action } }, async (req, reply) => {
      requireRole(req, 'admin');
      return handle(req, reply, stationNo(req));
    });

  /** An admin's change to one station: the body parsed by its schema, the change made (a store
   *  refusal becomes the office's), audited with `details`, answered with `data`. */
  const stationChange = <S extends z.ZodType, R>(
    path: string,
    action: string,
    schema: S,
    apply: (no: string, b: z.infer<S>, at: string, by: string) => Promise<R>,
    details: (b: z.infer<S>, r: R) => Record<string, unknown>,
    data?: (r: R) => unknown,
  ) =>
    adminStationPost(path, action, async (req, reply, no) => {
      const b = parse(schema, bodyOf(req));
      const r = await change(() => apply(no, b, now().toISOString(), by(req)));
      await audit(req, action, 'ok', no, details(b, r));
      return done(req, reply, no, data?.(r));
    });

  stationChange(
    'agreement',
    'agreement.record',
    agreementSchema,
    (no, b, at, who) =>
      store.provisioning.recordAgreement(
        no,
        {
          startDay: b.startDay,
          endDay: b.endDay,
          depositFen: b.deposit,
          depositReceiptNo: b.depositReceiptNo,
        },
        at,
        who,
      ),
    (b) => ({ startDay: b.startDay, endDay: b.endDay, deposit: formatFen(b.deposit) }),
  );

  stationChange(
    'services',
    'service.set',
    serviceSchema,
    (no, b, at, who) => store.provisioning.setService(no, b.service, b.opened === '1', at, who),
    (b) => ({ service: b.service, opened: b.opened === '1' }),
  );

  /** The person must belong to the station named in the path. */
  const personOf = async (no: string, personId: number) => {
    const file = await store.provisioning.stationFile(no);
    if (!file) throw new OfficeError('UNKNOWN_STATION', { institutionNo: no });
    const p = file.people.find((x) => x.id === personId);
    if (!p) throw new OfficeError('UNKNOWN_PERSON', { personId });
    return p;
  };

  stationChange(
    'training',
    'training.record',
    trainingSchema,
    async (no, b, at, who) => {
      await personOf(no, b.personId);
      await store.provisioning.recordTraining(
        b.personId,
        { subject: b.subject, trainedOn: b.trainedOn, trainer: b.trainer },
        at,
        who,
      );
    },
    (b) => ({ personId: b.personId, subject: b.subject, trainedOn: b.trainedOn, trainer: b.trainer }),
  );

  stationChange(
    'delegates',
    'delegate.add',
    delegateSchema,
    (no, b, at, who) =>
      store.provisioning.addDelegate(
        no,
        { name: b.name, idMasked: maskId(b.idNumber) },
        { documentNo: b.documentNo, scope: b.scope, validFrom: b.validFrom, validTo: b.validTo },
        at,
        who,
      ),
    (b, person) => ({
      personId: person.id,
      name: b.name,
      documentNo: b.documentNo,
      scope: b.scope,
      validFrom: b.validFrom,
      validTo: b.validTo,
    }),
    (person) => ({ personId: person.id }),
  );

  adminStationPost('authorisations/:id/revoke', 'authorisation.revoke', async (req, reply, no) => {
    const id = parse(z.coerce.number().int().positive(), (req.params as { id?: unknown }).id);
    const file = await store.provisioning.stationFile(no);
    if (!file?.people.some((p) => p.authorisations.some((a) => a.id === id)))
      throw new OfficeError('UNKNOWN_PERSON', { authorisationId: id });
    await change(() => store.provisioning.revokeAuthorisation(id, now().toISOString(), by(req)));
    await audit(req, 'authorisation.revoke', 'ok', no, { authorisationId: id });
    return done(req, reply, no);
  });

  adminStationPost('activation-code', 'activation.issue', async (req, reply, no) => {
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
  });

  adminStationPost('certificate/renew', 'certificate.renew', async (req, reply, no) => {
    const cert = await change(() => provisioning.renew(no));
    await audit(req, 'certificate.renew', 'ok', no, { serial: cert.serial, expiresAt: cert.expiresAt });
    return done(req, reply, no, { serial: cert.serial, expiresAt: cert.expiresAt });
  });

  stationChange(
    'certificate/revoke',
    'certificate.revoke',
    z.object({ reason: text(100) }),
    async (no, b, _at, who) => {
      const current = await store.provisioning.currentCertificate(no);
      if (!current || current.revokedAt)
        throw new OfficeError('CERTIFICATE_NOT_FOUND', { institutionNo: no });
      await provisioning.revoke(current.serial, b.reason, who);
      return current;
    },
    (b, current) => ({ serial: current.serial, reason: b.reason }),
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
}

function sealedKey(): Uint8Array {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  return Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
}
