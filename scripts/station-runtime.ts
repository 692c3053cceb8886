// How every run mode starts the station (`npm start` in Electron's utility process or in browser
// mode, `npm run web`). A data folder with no station yet starts in the set-up state: the
// transport answers only the setup channels, and the first-run screen offers the demo station or
// a real one (issue 12 item 1). `--demo` (YIZHAN_DEMO=1) skips the choice for the demo.
//  - The demo station talks to the postal platform run embedded beside it (SQLite, simulated
//    billers, scripts/embedded-platform.ts), which provisions and activates it — or to the one at
//    --platform (YIZHAN_PLATFORM).
//  - A real station is activated at the platform whose address the operator types
//    (backend/setup.ts); later starts connect to the address it keeps as a setting, unless
//    --platform names another for the run.
import { createBackend, DEMO_STATION, type Backend } from '../backend/backend';
import type { CliArgs } from '../backend/cli-args';
import { failureReply, type Client } from '../backend/handlers';
import { activateStation, stationChoice } from '../backend/setup';
import { loadOrCreateStationKey } from '../backend/services/station-key';
import { isChannel, parseArgs, type SetupStatusDto } from '../shared/contract';
import { YizhanError, type ApiReply } from '../shared/errors';
import { provisionDemoStation, startEmbeddedPlatform, type EmbeddedPlatform } from './embedded-platform';
import { embeddedTrainingCentral } from './training-central';

export interface RunningStation {
  backend: Backend;
  platformUrl: string;
  /** The platform run beside the demo station, when no --platform was given. */
  embedded: EmbeddedPlatform | undefined;
}

export interface StationRuntime {
  /** The running station; undefined while the data folder waits for the first-run choice. */
  readonly station: RunningStation | undefined;
  /** Resolves once the station runs (at once on a folder already set up). */
  readonly ready: Promise<RunningStation>;
  /** Every call from a transport: the setup channels while not set up, then the backend's. */
  callAs(client: Client, channel: string, args: unknown): Promise<ApiReply<unknown>>;
  close(): Promise<void>;
}

type RuntimeArgs = Pick<CliArgs, 'dataDir' | 'platform'> & Partial<Pick<CliArgs, 'demo'>>;

async function startDemo(args: RuntimeArgs): Promise<RunningStation> {
  let embedded: EmbeddedPlatform | undefined;
  let openingVoucher;
  let platformUrl = args.platform;
  if (!platformUrl) {
    embedded = await startEmbeddedPlatform(args.dataDir);
    platformUrl = embedded.url;
    openingVoucher = await provisionDemoStation(embedded, {
      institutionNo: DEMO_STATION.institutionNo,
      name: DEMO_STATION.name,
      holder: DEMO_STATION.holder.name,
      dataDir: args.dataDir,
      privateKeyPem: loadOrCreateStationKey(args.dataDir)
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
      greenCardMasked: DEMO_STATION.greenCardMasked,
    });
  }
  try {
    const backend = await createBackend({
      dataDir: args.dataDir,
      platformUrl,
      platformDemo: embedded !== undefined,
      training: embeddedTrainingCentral(),
      ...(openingVoucher ? { demoOpeningVoucher: openingVoucher } : {}),
    });
    return { backend, platformUrl, embedded };
  } catch (e) {
    await embedded?.close();
    throw e;
  }
}

async function startReal(dataDir: string, platformUrl: string, overridden: boolean): Promise<RunningStation> {
  const backend = await createBackend({
    dataDir,
    platformUrl,
    platformOverridden: overridden,
    demoStation: false,
    // 练习模式 (PPL-2): a separate training ledger on a simulated central system, opened at
    // the first training.enter.
    training: embeddedTrainingCentral(),
  });
  return { backend, platformUrl, embedded: undefined };
}

export async function startStationRuntime(args: RuntimeArgs): Promise<StationRuntime> {
  let running: RunningStation | undefined;
  let resolveReady!: (s: RunningStation) => void;
  const ready = new Promise<RunningStation>((r) => (resolveReady = r));
  const started = (s: RunningStation) => {
    running = s;
    resolveReady(s);
    return s;
  };

  const choice = stationChoice(args.dataDir);
  if (choice.kind === 'demo' || (choice.kind === 'none' && args.demo)) started(await startDemo(args));
  else if (choice.kind === 'real') {
    const url = args.platform ?? choice.platformUrl;
    if (!url)
      throw new Error(
        `the station in ${args.dataDir} has no platform address: start it with --platform <url>`,
      );
    started(await startReal(args.dataDir, url, args.platform !== undefined));
  }

  /** The first-run choice being made (one at a time). */
  let choosing: Promise<unknown> | undefined;
  const setupStatus = (): SetupStatusDto => ({ state: 'setup', platformUrl: args.platform ?? null });

  const choose = async (run: () => Promise<RunningStation>): Promise<SetupStatusDto> => {
    if (choosing) throw new YizhanError('IN_PROGRESS', { reason: 'setup' });
    const p = run().then(started);
    choosing = p;
    try {
      await p;
      return { state: 'ready', platformUrl: null };
    } finally {
      choosing = undefined;
    }
  };

  /** A call while the folder waits for the first-run choice: only the setup channels answer. */
  const setupCall = async (channel: string, raw: unknown): Promise<ApiReply<unknown>> => {
    try {
      if (!isChannel(channel))
        throw new YizhanError('NOT_FOUND', { channel: channel.slice(0, 60), variant: 'channel' });
      let data: SetupStatusDto;
      if (channel === 'setup.status') {
        parseArgs(channel, raw);
        data = setupStatus();
      } else if (channel === 'setup.demo') {
        parseArgs(channel, raw);
        data = await choose(() => startDemo(args));
      } else if (channel === 'setup.activate') {
        const a = parseArgs(channel, raw);
        data = await choose(async () => {
          await activateStation(args.dataDir, a);
          return startReal(args.dataDir, stationChoiceUrl(args.dataDir), false);
        });
      } else throw new YizhanError('SETUP_REQUIRED', { channel });
      return { ok: true, data };
    } catch (e) {
      return failureReply(channel, e);
    }
  };

  return {
    get station() {
      return running;
    },
    ready,
    callAs: (client, channel, a) =>
      running ? running.backend.callAs(client, channel, a) : setupCall(channel, a),
    async close() {
      await choosing?.catch(() => undefined);
      if (!running) return;
      running.backend.close();
      await running.embedded?.close();
    },
  };
}

/** The address a station just activated keeps (backend/setup.ts stored it). */
function stationChoiceUrl(dataDir: string): string {
  const c = stationChoice(dataDir);
  if (c.kind !== 'real' || !c.platformUrl) throw new Error('activation stored no platform address');
  return c.platformUrl;
}
