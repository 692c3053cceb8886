// Every call to the central system goes through here: bounded in time, and "unreachable" is a
// named refusal the operator understands.
import { YizhanError } from '../../../shared/errors';
import { GatewayUnavailable } from '../gateway/types';
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
    throw new YizhanError('GATEWAY_UNAVAILABLE', {
      call: what,
      cause: e instanceof Error ? e.message : String(e),
    });
  } finally {
    clearTimeout(timer);
  }
}
