// POST /v1/activate (PPL-5): a provisioned station binds its certificate with the one-time
// activation code the office handed out. The request is signed with the private half of the
// key it binds (proof of possession); the code is used once, before it expires; the reply is
// the certificate and the first signed profile. Nothing is written on a refusal.
import type { FastifyInstance } from 'fastify';
import { SIGNATURE_HEADER } from '../../shared/monitor-protocol';
import { ACTIVATE_PATH, activationRequestSchema, type ActivationReply } from '../../shared/station-profile';
import { MonitorError } from '../errors';
import {
  decodeSignature,
  InvalidPublicKeyError,
  keyObjectOf,
  parsePublicKey,
  verifySignature,
} from '../signing';
import type { ProvisioningService } from './service';
import { ProvisioningRefusal } from './types';

export function registerActivation(app: FastifyInstance, provisioning: ProvisioningService): void {
  app.post(ACTIVATE_PATH, async (req, reply) => {
    const raw = req.body;
    if (!Buffer.isBuffer(raw)) throw new MonitorError('UNSUPPORTED_MEDIA_TYPE');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new MonitorError('INVALID_INPUT', { reason: 'not_json' });
    }
    const parsed = activationRequestSchema.safeParse(json);
    if (!parsed.success)
      throw new MonitorError('INVALID_INPUT', {
        issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    const d = parsed.data;
    let publicKey: Buffer;
    try {
      publicKey = parsePublicKey(d.publicKey);
    } catch (e) {
      if (e instanceof InvalidPublicKeyError)
        throw new MonitorError('INVALID_PUBLIC_KEY', { reason: e.message });
      throw e;
    }
    const signature = decodeSignature(req.headers[SIGNATURE_HEADER]);
    if (!signature || !(await verifySignature(raw, signature, keyObjectOf(publicKey))))
      throw new MonitorError('BAD_SIGNATURE', { header: SIGNATURE_HEADER, present: signature !== undefined });
    try {
      const cert = await provisioning.activate(d.institutionNo, d.activationCode, publicKey);
      const profile = await provisioning.signedProfile(d.institutionNo);
      req.log.info({ institutionNo: d.institutionNo, serial: cert.serial }, 'station activated');
      const data: ActivationReply = {
        certificate: { serial: cert.serial, expiresAt: cert.expiresAt },
        profile: profile!,
      };
      return reply.code(201).send({ ok: true, data });
    } catch (e) {
      if (e instanceof ProvisioningRefusal && e.code === 'ACTIVATION_CODE_INVALID')
        throw new MonitorError('ACTIVATION_CODE_INVALID', { institutionNo: d.institutionNo });
      throw e;
    }
  });
}
