// Training mode (练习模式, PPL-2): a login session switches, explicitly, to a separate training
// ledger with its own float and a simulated central system (backend/training.ts). Every call of
// that session then goes there; nothing it does reaches the real ledger, the real platform, the
// monitor upload, or the printer without 「练习」. Leaving returns the session to the real counter.
// Assembled into `channels` in ./index.ts; it never imports ./index.ts.
import { noArgs } from '../schemas';

export interface TrainingStateDto {
  /** This client's session is in training mode. */
  training: boolean;
}

export const trainingChannels = {
  /** Enter training mode (this session only); a logged-in operator, trained on a service or not. */
  'training.enter': { input: noArgs, output: {} as TrainingStateDto },
  /** Back to the real counter (this session only). */
  'training.leave': { input: noArgs, output: {} as TrainingStateDto },
} as const;
