// The exit-threshold monitor over HTTP (Fastify). Routes and auth in monitor/README.md.
import { toFen } from '../shared/money';
import type { ProvisioningStore } from './provisioning/types';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { z } from 'zod';
import { businessDayOf, isValidDay } from '../shared/business-day';
import {
  MAX_UPLOAD_BYTES,
  SIGNATURE_HEADER,
  stationRegistrationSchema,
  uploadBodySchema,
  type UploadReply,
} from '../shared/monitor-protocol';
import { bearerOf, DashboardSessions, roleOfToken, type Role, type Tokens } from './auth';
import { buildDashboard } from './dashboard-data';
import { registerDashboard } from './dashboard-routes';
import { MonitorError, type MonitorErrorCode } from './errors';
import {
  decodeSignature,
  InvalidPublicKeyError,
  keyFingerprint,
  keyCache,
  parsePublicKey,
  sha256Hex,
  verifySignature,
} from './signing';
import { RefusalLimiter } from './refusal-limit';
import { FleetStandingCache, stationDetail, withDetail } from './standing';
import { StationExistsError, type MonitorStore } from './store/types';
import type { SqlChainAnchorStore } from './store/chain-anchors';

export interface MonitorOptions {
  store: MonitorStore;
  tokens: Tokens;
  /** The clock (tests move it); "today" is its Asia/Shanghai date. */
  now?: () => Date;
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Closed days' chain heads (issue 9): kept from uploads; a changed one becomes an alert. */
  anchors?: SqlChainAnchorStore;
  /** NOT_ACTIVATED / CERTIFICATE_REVOKED / CERTIFICATE_EXPIRED, or null (platform/provisioning). */
  certificateGate?: (institutionNo: string) => Promise<MonitorErrorCode | null>;
  /** Takings due at each uploaded close (PAY-5): the office's watch list. */
  takings?: Pick<ProvisioningStore, 'recordTakings'>;
}

/** The most stations one /v1/standing reply lists. */
const STANDING_LIST_MAX = 10_000;
const REFUSALS_LIST_MAX = 1_000;

const standingQuery = z.strictObject({
  status: z.enum(['ok', 'at_risk', 'remove']).optional(),
  limit: z.coerce.number().int().min(1).max(STANDING_LIST_MAX).default(1_000),
});

export function buildMonitor(opts: MonitorOptions): FastifyInstance {
  z.config(z.locales.zhCN());
  const { store, tokens } = opts;
  const now = opts.now ?? (() => new Date());
  const today = (): string => businessDayOf(now());
  const sessions = new DashboardSessions(() => now().getTime());
  const limiter = new RefusalLimiter(() => now().getTime());
  const standing = new FleetStandingCache(store);
  // Per-request lines are off (a fleet uploads a lot); refusals and errors are logged explicitly.
  const app = Fastify({
    logger: opts.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_UPLOAD_BYTES,
  });

  // Keep the raw bytes: the signature is over them, so nothing may parse and re-serialize first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const refuse = async (
    req: FastifyRequest,
    reply: FastifyReply,
    err: MonitorError,
  ): Promise<FastifyReply> => {
    await logRefusal(req, err.code, err.status, err.details);
    return reply.code(err.status).send(err.reply());
  };
  const logRefusal = async (
    req: FastifyRequest,
    code: string,
    status: number,
    details: Record<string, unknown>,
  ): Promise<void> => {
    const institutionNo =
      (req.params as { institutionNo?: string } | undefined)?.institutionNo?.slice(0, 64) ?? null;
    const admitted = limiter.admit(req.ip, code);
    if (!admitted.store) return; // counted; summarised when this source's next window begins
    req.log.warn(
      // The path only: a query string may hold a mistyped token (/?token=…).
      {
        refusal: {
          code,
          status,
          institutionNo,
          url: req.url.split('?')[0]!.slice(0, 200),
          remote: req.ip,
          details,
        },
      },
      'refused',
    );
    try {
      if (admitted.summary)
        await store.logRefusal({
          at: new Date(admitted.summary.to).toISOString(),
          institutionNo: null,
          code: 'REFUSALS_SUPPRESSED',
          status: 0,
          remote: req.ip,
          details: {
            count: admitted.summary.count,
            codes: admitted.summary.codes,
            from: new Date(admitted.summary.from).toISOString(),
            to: new Date(admitted.summary.to).toISOString(),
          },
        });
      await store.logRefusal({
        at: now().toISOString(),
        institutionNo,
        code,
        status,
        remote: req.ip,
        details,
      });
    } catch (e) {
      req.log.error({ err: e }, 'could not store a refusal');
    }
  };

  app.setErrorHandler(async (error, req, reply) => {
    const code = (error as { code?: string }).code;
    const err =
      error instanceof MonitorError
        ? error
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? new MonitorError('PAYLOAD_TOO_LARGE', { limitBytes: MAX_UPLOAD_BYTES })
          : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? new MonitorError('UNSUPPORTED_MEDIA_TYPE')
            : code?.startsWith('FST_ERR_CTP_')
              ? new MonitorError('INVALID_INPUT', { reason: code })
              : undefined;
    if (err) return refuse(req, reply, err);
    req.log.error({ err: error }, 'internal error');
    return reply.code(500).send(new MonitorError('INTERNAL').reply());
  });
  app.setNotFoundHandler(async (_req, reply) => reply.code(404).send(new MonitorError('NOT_FOUND').reply()));

  /** Bearer token, or (for pages and GETs) the dashboard session cookie. */
  const roleOf = (req: FastifyRequest, allowCookie: boolean): Role | undefined =>
    roleOfToken(bearerOf(req.headers.authorization), tokens) ??
    (allowCookie ? sessions.roleOf(req.headers.cookie) : undefined);
  const requireRole = (req: FastifyRequest, need: Role, allowCookie: boolean): void => {
    const role = roleOf(req, allowCookie);
    if (!role || (need === 'admin' && role !== 'admin')) throw new MonitorError('UNAUTHORIZED', { need });
  };

  const parseJson = (body: unknown): unknown => {
    if (!Buffer.isBuffer(body)) throw new MonitorError('UNSUPPORTED_MEDIA_TYPE');
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new MonitorError('INVALID_INPUT', { reason: 'not_json' });
    }
  };
  const zodDetails = (e: z.ZodError): Record<string, unknown> => ({
    issues: e.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

  app.get('/healthz', async () => ({ ok: true, data: { today: today() } }));

  // ---- register a station (admin) ----
  app.post('/v1/stations', async (req, reply) => {
    requireRole(req, 'admin', false);
    const parsed = stationRegistrationSchema.safeParse(parseJson(req.body));
    if (!parsed.success) throw new MonitorError('INVALID_INPUT', zodDetails(parsed.error));
    let publicKey: Buffer;
    try {
      publicKey = parsePublicKey(parsed.data.publicKey);
    } catch (e) {
      if (e instanceof InvalidPublicKeyError)
        throw new MonitorError('INVALID_PUBLIC_KEY', { reason: e.message });
      throw e;
    }
    try {
      const s = await store.registerStation({ ...parsed.data, publicKey, registeredAt: now().toISOString() });
      standing.touch(s.institutionNo);
      req.log.info({ institutionNo: s.institutionNo }, 'station registered');
      return reply.code(201).send({
        ok: true,
        data: {
          institutionNo: s.institutionNo,
          name: s.name,
          holder: s.holder,
          openingDate: s.openingDate,
          publicKeyFingerprint: keyFingerprint(s.publicKey),
          registeredAt: s.registeredAt,
        },
      });
    } catch (e) {
      if (e instanceof StationExistsError)
        throw new MonitorError('STATION_EXISTS', { institutionNo: e.institutionNo });
      throw e;
    }
  });

  // ---- a station's signed upload (MON-2 counts, MON-3 faults) ----
  const keyFor = keyCache();

  app.post<{ Params: { institutionNo: string } }>(
    '/v1/stations/:institutionNo/counts',
    async (req, reply) => {
      const raw = req.body;
      if (!Buffer.isBuffer(raw)) throw new MonitorError('UNSUPPORTED_MEDIA_TYPE');
      const no = req.params.institutionNo;
      const station = await store.getStation(no);
      if (!station) throw new MonitorError('UNKNOWN_STATION', { institutionNo: no.slice(0, 64) });
      // A provisioned station uploads only with a valid certificate (PPL-5), as it pays.
      const gate = await opts.certificateGate?.(no);
      if (gate) throw new MonitorError(gate, { institutionNo: no });
      const signature = decodeSignature(req.headers[SIGNATURE_HEADER]);
      if (!signature || !(await verifySignature(raw, signature, keyFor(station.publicKey)))) {
        throw new MonitorError('BAD_SIGNATURE', {
          header: SIGNATURE_HEADER,
          present: signature !== undefined,
        });
      }
      const parsed = uploadBodySchema.safeParse(parseJson(raw));
      if (!parsed.success) throw new MonitorError('INVALID_INPUT', zodDetails(parsed.error));
      const body = parsed.data;
      if (body.institutionNo !== no)
        throw new MonitorError('INSTITUTION_MISMATCH', { path: no, body: body.institutionNo });
      const t = today();
      const future = body.days.filter((d) => d.day > t).map((d) => d.day);
      if (future.length > 0)
        throw new MonitorError('FUTURE_DAY', {
          days: future.slice(0, 10),
          today: t,
          timeZone: 'Asia/Shanghai',
        });

      // Fault times in UTC, so that ordering them as text is ordering them in time.
      const days = body.days.map((d) =>
        d.faults ? { ...d, faults: d.faults.map((f) => ({ ...f, at: new Date(f.at).toISOString() })) } : d,
      );
      const outcome = await store.applyUpload(no, {
        seq: body.seq,
        bodySha256: sha256Hex(raw),
        sentAt: body.sentAt,
        receivedAt: now().toISOString(),
        days,
      });
      let data: UploadReply;
      if (outcome.applied) {
        standing.touch(no);
        // The office keeps each closed day's chain head as first uploaded; another one later
        // means the station's history changed under a closed day.
        for (const d of days)
          if (d.chain && opts.anchors) {
            const r = await opts.anchors.record(no, d.day, d.chain, body.seq, now().toISOString());
            if (r === 'changed')
              req.log.warn({ institutionNo: no, day: d.day }, 'station history changed under a closed day');
          }
        for (const d of days)
          if (d.takingsDue !== undefined && opts.takings)
            await opts.takings.recordTakings(no, d.day, toFen(d.takingsDue), body.seq, now().toISOString());
        data = { applied: true, seq: body.seq, lastSeq: outcome.lastSeq, daysApplied: outcome.daysApplied };
      } else if (outcome.reason === 'conflict') {
        throw new MonitorError('SEQ_CONFLICT', { seq: body.seq, lastSeq: outcome.lastSeq });
      } else {
        data = { applied: false, reason: outcome.reason, seq: body.seq, lastSeq: outcome.lastSeq };
        // A stale seq is answered (so the station can jump past lastSeq) and noted for the office.
        if (outcome.reason === 'stale')
          await logRefusal(req, 'STALE_SEQ', 200, { seq: body.seq, lastSeq: outcome.lastSeq });
      }
      return reply.send({ ok: true, data });
    },
  );

  // ---- standing (read token or admin) ----
  app.get<{ Params: { institutionNo: string }; Querystring: { asOf?: string } }>(
    '/v1/stations/:institutionNo/standing',
    async (req) => {
      requireRole(req, 'read', true);
      const station = await store.getStation(req.params.institutionNo);
      if (!station)
        throw new MonitorError('UNKNOWN_STATION', { institutionNo: req.params.institutionNo.slice(0, 64) });
      const t = today();
      const asOf = req.query.asOf ?? t;
      if (!isValidDay(asOf) || asOf > t) throw new MonitorError('INVALID_INPUT', { field: 'asOf', today: t });
      return { ok: true, data: await stationDetail(store, station, asOf) };
    },
  );

  app.get('/v1/standing', async (req) => {
    requireRole(req, 'read', true);
    const q = standingQuery.safeParse(req.query);
    if (!q.success) throw new MonitorError('INVALID_INPUT', zodDetails(q.error));
    const fleet = await standing.get(today());
    const matching = q.data.status
      ? fleet.stations.filter((s) => s.standing.status === q.data.status)
      : fleet.stations;
    return {
      ok: true,
      data: {
        asOf: fleet.asOf,
        total: fleet.total,
        counts: fleet.counts,
        matching: matching.length,
        stations: matching.slice(0, q.data.limit).map((row) => {
          const { months: _months, ...s } = withDetail(row, fleet.asOf);
          return s;
        }),
      },
    };
  });

  // Stations whose ledger history changed under a closed day (issue 9), newest first.
  app.get<{ Querystring: { institutionNo?: string } }>('/v1/history-alerts', async (req) => {
    requireRole(req, 'read', true);
    const no = typeof req.query.institutionNo === 'string' ? req.query.institutionNo.slice(0, 64) : undefined;
    return { ok: true, data: { alerts: opts.anchors ? await opts.anchors.alerts(no) : [] } };
  });

  app.get<{ Querystring: { limit?: string } }>('/v1/refusals', async (req) => {
    requireRole(req, 'admin', true);
    const limit = Math.min(REFUSALS_LIST_MAX, Math.max(1, Number(req.query.limit ?? 100) || 100));
    return { ok: true, data: await store.recentRefusals(limit) };
  });

  // ---- dashboard (MON-1, MON-2, MON-3) ----
  registerDashboard(app, {
    tokens,
    sessions,
    roleOf: (req) => roleOf(req, true),
    logRefusal,
    dashboard: (isAdmin) => buildDashboard(store, today(), isAdmin, (d) => standing.get(d)),
  });

  app.decorate('standing', standing);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The fleet's standing (MON-2), kept up to date as uploads arrive (the office reads it). */
    standing: FleetStandingCache;
  }
}
