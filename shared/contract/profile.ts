// The station profile channels (issue 11 item 4): what the platform granted this station, as
// the last good signed profile says, and fetching a new one on demand. Assembled into
// `channels` in ./index.ts; it never imports ./index.ts.
import { noArgs } from '../schemas';
import type { StationProfile } from '../station-profile';

export interface ProfileStatusDto {
  /** The last good profile, or null: not activated, or no platform configured. */
  profile: StationProfile | null;
  /** When the station last tried, and what came of it. */
  lastAttemptAt: string | null;
  lastOutcome: 'ok' | 'refused' | 'unreachable' | 'not_configured' | null;
  /** Why the last profile was refused (bad_signature, not_newer, …) or the platform's code. */
  lastProblem: string | null;
  /** The kept profile's validity has run out: the station should fetch one. */
  expired: boolean;
}

export const profileChannels = {
  'profile.get': { input: noArgs, output: {} as ProfileStatusDto },
  'profile.refresh': { input: noArgs, output: {} as ProfileStatusDto },
} as const;
