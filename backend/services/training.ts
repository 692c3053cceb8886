// 练习模式 (PPL-2): a logged-in operator switches their own session to the training ledger and
// back, explicitly (backend/training.ts). Runs at the real station (services/auth.ts keeps these
// channels there even for a session in training).
import { YizhanError } from '../../shared/errors';
import type { Ctx, Session } from '../context';
import type { Handlers } from '../handler';

function sessionOf(ctx: Ctx, channel: string): Session {
  const s = ctx.sessionKey ? ctx.sessions.get(ctx.sessionKey) : undefined;
  // The process's own calls have no session to switch.
  if (!s) throw new YizhanError('NOT_LOGGED_IN', { channel });
  return s;
}

export const trainingHandlers: Handlers<'training.enter' | 'training.leave'> = {
  'training.enter': async (ctx, _a, channel) => {
    const s = sessionOf(ctx, channel);
    if (!ctx.training) throw new YizhanError('TRAINING_UNAVAILABLE', { variant: 'none' });
    if (!s.training) s.training = { operatorId: await ctx.training.enter(ctx) };
    return { training: true };
  },
  'training.leave': (ctx, _a, channel) => {
    const s = sessionOf(ctx, channel);
    s.training = undefined;
    return { training: false };
  },
};
