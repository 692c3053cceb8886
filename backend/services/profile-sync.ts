// Fetching the station's signed profile from the platform (issue 11 item 4): at start, every
// hour and on demand (`profile.refresh`). Each reply is verified (station-profile.ts) before it
// replaces the last good one; a refused or unreachable fetch keeps what the station had.
import type { PlatformClient } from '../gateway/platform-gateway';
import { PlatformRefusal } from '../gateway/platform-gateway';
import type { ProfileStatusDto } from '../../shared/contract';
import { ProfileKeeper, ProfileRefused } from './station-profile';
import type { StationProfile } from '../../shared/station-profile';
import { randomUUID } from 'node:crypto';

export const PROFILE_REFRESH_MS = 3600_000;

export class ProfileSync {
  readonly keeper: ProfileKeeper;
  private lastAttemptAt: string | null = null;
  private lastOutcome: ProfileStatusDto['lastOutcome'] = null;
  private lastProblem: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: {
      dataDir: string;
      institutionNo: string;
      client: PlatformClient | undefined;
      now: () => Date;
      /** Called with each profile accepted (and the one kept, at start). */
      onProfile?: (p: StationProfile) => void;
    },
  ) {
    this.keeper = new ProfileKeeper(opts.dataDir, opts.institutionNo);
    if (this.keeper.profile) opts.onProfile?.(this.keeper.profile);
  }

  start(timers: boolean): void {
    void this.refresh();
    if (timers) this.timer = setInterval(() => void this.refresh(), PROFILE_REFRESH_MS).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  status(): ProfileStatusDto {
    const p = this.keeper.profile ?? null;
    return {
      profile: p,
      lastAttemptAt: this.lastAttemptAt,
      lastOutcome: this.lastOutcome,
      lastProblem: this.lastProblem,
      expired: p !== null && Date.parse(p.validUntil) <= this.opts.now().getTime(),
    };
  }

  async refresh(): Promise<ProfileStatusDto> {
    const now = this.opts.now();
    this.lastAttemptAt = now.toISOString();
    const client = this.opts.client;
    // Not activated (no pinned platform key) or no platform: nothing to fetch.
    // Activated since this started (the activation wrote the profile file): take it up.
    if (!this.keeper.pinnedKey) {
      this.keeper.reload();
      if (this.keeper.profile) this.opts.onProfile?.(this.keeper.profile);
    }
    if (!client || !this.keeper.pinnedKey) {
      this.lastOutcome = 'not_configured';
      this.lastProblem = null;
      return this.status();
    }
    try {
      const r = await client.call('profile', { requestKey: randomUUID() });
      const p = this.keeper.accept(r.data, now);
      this.opts.onProfile?.(p);
      this.lastOutcome = 'ok';
      this.lastProblem = null;
    } catch (e) {
      if (e instanceof ProfileRefused) {
        // A replay of the profile already kept is not a problem worth showing.
        this.lastOutcome = e.reason === 'not_newer' ? 'ok' : 'refused';
        this.lastProblem = e.reason === 'not_newer' ? null : e.reason;
      } else if (e instanceof PlatformRefusal) {
        this.lastOutcome = 'refused';
        this.lastProblem = e.code;
      } else {
        this.lastOutcome = 'unreachable';
        this.lastProblem = e instanceof Error ? e.message.slice(0, 200) : String(e);
      }
    }
    return this.status();
  }
}
