// The postal platform's address as a setting of the station (issue 10): a real station keeps the
// address it was activated at and connects to it at every start (--platform overrides it for a
// run); the holder may change it, and the new address takes effect at the next start. The demo
// station's platform runs embedded beside it: there is nothing to set. The setup channels answer
// here once the station runs: it is set up, the choice is not offered again.
import { getSetting, setSetting } from '../../db/settings';
import type { PlatformSettingDto } from '../../shared/contract';
import { YizhanError } from '../../shared/errors';
import { station, type Ctx } from '../context';
import type { Handlers } from '../handler';

/** The station's setting: the postal platform's address (a real station's; the demo's is embedded). */
export const PLATFORM_URL_SETTING = 'platform.url';

/** The address as stored and shown: trimmed, without a trailing slash. */
export function normalisePlatformUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function setting(ctx: Ctx): PlatformSettingDto {
  const embedded = station(ctx).demo === 1;
  const inUse = ctx.platform?.inUse ?? '';
  const url = embedded ? inUse : (getSetting(ctx.db, PLATFORM_URL_SETTING) ?? inUse);
  const overridden = ctx.platform?.overridden ?? false;
  return { url, inUse, embedded, overridden, restartNeeded: !embedded && url !== inUse && !overridden };
}

export const platformSettingHandlers: Handlers<
  'setup.status' | 'setup.demo' | 'setup.activate' | 'platform.get' | 'platform.setUrl'
> = {
  'setup.status': () => ({ state: 'ready', platformUrl: null }),
  'setup.demo': () => {
    throw new YizhanError('ALREADY_SET_UP');
  },
  'setup.activate': () => {
    throw new YizhanError('ALREADY_SET_UP');
  },
  'platform.get': (ctx) => setting(ctx),
  'platform.setUrl': (ctx, a) => {
    if (station(ctx).demo === 1) throw new YizhanError('PLATFORM_EMBEDDED');
    setSetting(ctx.db, PLATFORM_URL_SETTING, normalisePlatformUrl(a.url));
    return setting(ctx);
  },
};
