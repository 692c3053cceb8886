// The profile channels: the last good signed profile and a fetch on demand (ProfileSync).
import type { ProfileStatusDto } from '../../shared/contract';
import type { Ctx } from '../context';
import type { Handlers } from '../handler';

const NOT_CONFIGURED: ProfileStatusDto = {
  profile: null,
  lastAttemptAt: null,
  lastOutcome: 'not_configured',
  lastProblem: null,
  expired: false,
};

export const profileHandlers: Handlers<'profile.get' | 'profile.refresh'> = {
  'profile.get': (ctx: Ctx) => ctx.profile?.status() ?? NOT_CONFIGURED,
  'profile.refresh': (ctx: Ctx) => ctx.profile?.refresh() ?? NOT_CONFIGURED,
};
