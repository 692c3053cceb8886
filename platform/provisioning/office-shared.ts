// What the office's provisioning and supervision routes share: the 机构号 and text schemas,
// the station named in the path, and a store refusal turned into the office's coded refusal.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isValidDay } from '../../shared/business-day';
import { OfficeError } from '../office/errors';
import type { OfficeKit } from '../office/kit';
import { ProvisioningRefusal } from './types';

export const day = z.string().trim().refine(isValidDay, '日期格式应为 YYYY-MM-DD');
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), '不能含控制字符');
export const institutionNo = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/);
/** 18-digit (last may be X) or 15-digit resident ID; only the first and last 4 are kept. */

/** The station named in the path (`/stations/:no/…`), parsed. */
export const stationNoOf = (kit: OfficeKit, req: FastifyRequest): string =>
  kit.parse(institutionNo, (req.params as { no?: unknown }).no);

/** The office user acting. */
export const byOf = (req: FastifyRequest): string => req.office!.user.username;

/** A store refusal as the office's coded refusal; anything else as it is. */
export function refused(e: unknown): unknown {
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
}

/** Runs a change; a store refusal becomes the office's coded refusal. */
export async function change<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw refused(e);
  }
}
