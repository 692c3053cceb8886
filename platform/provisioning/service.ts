// Activation, certificates and the signed profile (PPL-5, issue 11 items 1 and 4), shared by
// the office pages and the station API. The station API asks `gate()` before it trusts a
// station's signature: a provisioned station signs nothing before activation, nor with a
// revoked or expired certificate. (A station registered through the monitor's admin API, which
// has no provisioning record, keeps working as before.)
import crypto from 'node:crypto';
import type { SignedProfile } from '../../shared/station-profile';
import type { MonitorErrorCode } from '../errors';
import type { PlatformStore } from '../store/types';
import { buildProfile, signProfile } from './profile';
import { ProvisioningRefusal, type Certificate } from './types';

export const ACTIVATION_CODE_VALID_MS = 7 * 24 * 3600_000;
export const CERTIFICATE_VALID_MS = 365 * 24 * 3600_000;
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I
const GATE_CACHE_MAX = 100_000;

/** 12 characters shown as XXXX-XXXX-XXXX (60 bits). */
export function newActivationCode(): string {
  const bytes = crypto.randomBytes(12);
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += CODE_ALPHABET[bytes[i]! % 32];
    if (i === 3 || i === 7) out += '-';
  }
  return out;
}

/** What is stored: a hash of the code as typed without case or separators. */
export function activationCodeHash(code: string): string {
  const canonical = code.replace(/[\s-]/g, '').toUpperCase();
  return crypto.createHash('sha256').update(`yizhan-activation:${canonical}`).digest('hex');
}

export function newCertificateSerial(): string {
  return `YZ${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
}

type Gate = { code: MonitorErrorCode | null; expiresAt: number };

export class ProvisioningService {
  private readonly gates = new Map<string, Gate>();
  private readonly keyListeners: Array<(institutionNo: string) => void> = [];

  constructor(
    private readonly store: PlatformStore,
    readonly platformKey: crypto.KeyObject,
    private readonly now: () => Date,
  ) {}

  /** Called when a station's key or certificate changes (the station API drops its cache). */
  onKeyChange(fn: (institutionNo: string) => void): void {
    this.keyListeners.push(fn);
  }

  private changed(institutionNo: string): void {
    this.gates.delete(institutionNo);
    for (const fn of this.keyListeners) fn(institutionNo);
  }

  /** null: the station may sign requests; otherwise the refusal. */
  async gate(institutionNo: string): Promise<MonitorErrorCode | null> {
    const nowMs = this.now().getTime();
    let g = this.gates.get(institutionNo);
    if (!g) {
      const [provisioned, cert] = await Promise.all([
        this.store.provisioning.station(institutionNo),
        this.store.provisioning.currentCertificate(institutionNo),
      ]);
      g = gateOf(provisioned !== undefined, cert);
      if (this.gates.size >= GATE_CACHE_MAX) this.gates.clear();
      this.gates.set(institutionNo, g);
    }
    if (g.code === null && nowMs >= g.expiresAt) return 'CERTIFICATE_EXPIRED';
    return g.code;
  }

  async signedProfile(institutionNo: string): Promise<SignedProfile | undefined> {
    const [file, fees] = await Promise.all([
      this.store.provisioning.stationFile(institutionNo),
      this.store.provisioning.fees(),
    ]);
    if (!file) return undefined;
    const profile = buildProfile(file, fees, { now: this.now(), platformKey: this.platformKey });
    return signProfile(profile, this.platformKey);
  }

  async issueCode(institutionNo: string, by: string): Promise<{ code: string; expiresAt: string }> {
    const code = newActivationCode();
    const at = this.now();
    const expiresAt = new Date(at.getTime() + ACTIVATION_CODE_VALID_MS).toISOString();
    await this.store.provisioning.issueActivationCode({
      codeHash: activationCodeHash(code),
      institutionNo,
      issuedAt: at.toISOString(),
      expiresAt,
      issuedBy: by,
    });
    return { code, expiresAt };
  }

  async activate(institutionNo: string, code: string, publicKey: Uint8Array): Promise<Certificate> {
    const at = this.now();
    const cert = await this.store.provisioning.activate(
      activationCodeHash(code),
      institutionNo,
      {
        serial: newCertificateSerial(),
        publicKey,
        issuedAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + CERTIFICATE_VALID_MS).toISOString(),
      },
      at.toISOString(),
    );
    this.changed(institutionNo);
    return cert;
  }

  /** A new certificate for the station's current key, valid for another year (PPL-5). */
  async renew(institutionNo: string): Promise<Certificate> {
    const current = await this.store.provisioning.currentCertificate(institutionNo);
    if (!current) throw new ProvisioningRefusal('CERTIFICATE_NOT_FOUND', { institutionNo });
    const at = this.now();
    const cert = await this.store.provisioning.bindCertificate({
      serial: newCertificateSerial(),
      institutionNo,
      publicKey: current.publicKey,
      issuedAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + CERTIFICATE_VALID_MS).toISOString(),
    });
    this.changed(institutionNo);
    return cert;
  }

  async revoke(serial: string, reason: string, by: string): Promise<Certificate> {
    const cert = await this.store.provisioning.revokeCertificate(
      serial,
      reason,
      this.now().toISOString(),
      by,
    );
    this.changed(cert.institutionNo);
    return cert;
  }
}

function gateOf(provisioned: boolean, cert: Certificate | undefined): Gate {
  if (!cert) return { code: provisioned ? 'NOT_ACTIVATED' : null, expiresAt: Number.POSITIVE_INFINITY };
  if (cert.revokedAt !== null) return { code: 'CERTIFICATE_REVOKED', expiresAt: 0 };
  return { code: null, expiresAt: Date.parse(cert.expiresAt) };
}
