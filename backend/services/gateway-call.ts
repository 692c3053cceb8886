// Every call to the central system goes through here: bounded in time, and "unreachable" is a
// named refusal the operator understands.
import { YizhanError } from '../../shared/errors';
import { GatewayUnavailable } from '../gateway/types';
import { PlatformRefusal } from '../gateway/platform-gateway';

const CERTIFICATE_CODES = new Set(['NOT_ACTIVATED', 'CERTIFICATE_REVOKED', 'CERTIFICATE_EXPIRED']);
import { recordFault } from '../../db/monitor-outbox';
import { businessDayOf } from '../../shared/business-day';
import type { Ctx } from '../context';

export async function callGateway<T>(ctx: Ctx, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayUnavailable(`${what}: no answer in ${ctx.gatewayTimeoutMs} ms`)),
      ctx.gatewayTimeoutMs,
    );
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    if (e instanceof YizhanError) throw e;
    // The platform refuses a station without a valid certificate (not activated, revoked,
    // expired — PPL-5): an answer, not an outage; the operator is told whom to call.
    if (e instanceof PlatformRefusal && CERTIFICATE_CODES.has(e.code))
      throw new YizhanError('CERTIFICATE_REFUSED', { call: what, platformCode: e.code });
    noteGatewayFault(ctx, what);
    throw new YizhanError('GATEWAY_UNAVAILABLE', {
      call: what,
      cause: e instanceof Error ? e.message : String(e),
    });
  } finally {
    clearTimeout(timer);
  }
}

/** MON-3: an unreachable central system is a fault reported upward with the next upload (one row
 *  per call kind and day, counting occurrences). Never in the way of the refusal itself. */
function noteGatewayFault(ctx: Ctx, what: string): void {
  try {
    const now = ctx.now();
    recordFault(ctx.db, {
      day: businessDayOf(now),
      kind: 'gateway',
      at: now.toISOString(),
      detail: `缴费系统无法连接或未及时答复（${what}）`,
      source: 'gateway',
    });
  } catch (e) {
    console.error('[yizhan] could not record a gateway fault:', e);
  }
}
