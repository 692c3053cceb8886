// What the platform granted this station, as its last good signed profile says ('Who decides'
// in RULES.md): the services opened, who is trained on what (PPL-1, PPL-2) and the fee of each
// service on a day (SRV-4). The station grants itself nothing: without a profile nobody is
// trained and every fee is 0.00. An expired profile is still what the office last granted; it
// is used, and the counter warns (a fresh one is fetched every hour).
import { listOperators } from '../../db/station';
import type { ServiceId } from '../../shared/catalogue';
import { toFen, type Fen } from '../../shared/money';
import {
  feeOn,
  operatorAdmitted,
  trainedFor,
  type ProfileOperator,
  type StationProfile,
} from '../../shared/station-profile';
import { today, type Ctx } from '../context';

export function stationProfile(ctx: Ctx): StationProfile | undefined {
  return ctx.profile?.keeper.profile;
}

/** The station's operator as the profile names them: its holder row is the profile's holder;
 *  an authorised person's row carries the profile's id (P…). */
export function profileOperator(ctx: Ctx, operatorId: string): ProfileOperator | undefined {
  const p = stationProfile(ctx);
  if (!p) return undefined;
  const holder = listOperators(ctx.db).find((o) => o.role === 'holder');
  if (holder?.id === operatorId) return p.operators.find((o) => o.role === 'holder');
  return p.operators.find((o) => o.id === operatorId);
}

export type ServiceGrant = 'ok' | 'not_open' | 'not_trained';

/** May the operator at the counter take this service today? */
export function serviceGrant(ctx: Ctx, service: ServiceId, operatorId = ctx.operatorId): ServiceGrant {
  const p = stationProfile(ctx);
  if (!p?.services.includes(service)) return 'not_open';
  const { day } = today(ctx);
  const op = profileOperator(ctx, operatorId);
  return op && operatorAdmitted(op, day) && trainedFor(op, service, day) ? 'ok' : 'not_trained';
}

/** SRV-4: the fee in force today, from the platform's schedule (0.00 without one). */
export function feeFenOf(ctx: Ctx, service: ServiceId): Fen {
  return toFen(feeOn(stationProfile(ctx) ?? { fees: [] }, service, today(ctx).day));
}
