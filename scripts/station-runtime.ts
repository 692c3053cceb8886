// How every run mode starts the station (`npm start` in Electron's utility process or in browser
// mode, `npm run web`): the backend talking to the postal platform — the one at --platform
// (YIZHAN_PLATFORM), or, without one, the platform run embedded beside the demo station
// (SQLite, simulated billers, scripts/embedded-platform.ts), reached over HTTP like any platform.
import { createBackend, DEMO_STATION, type Backend } from '../backend/backend';
import type { CliArgs } from '../backend/cli-args';
import { loadOrCreateStationKey } from '../backend/services/station-key';
import { provisionDemoStation, startEmbeddedPlatform, type EmbeddedPlatform } from './embedded-platform';
import { embeddedTrainingCentral } from './training-central';

export interface StationRuntime {
  backend: Backend;
  platformUrl: string;
  /** The platform run beside the station, when no --platform was given. */
  embedded: EmbeddedPlatform | undefined;
  close(): Promise<void>;
}

export async function startStationRuntime(
  args: Pick<CliArgs, 'dataDir' | 'platform'>,
): Promise<StationRuntime> {
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
  const backend = await createBackend({
    dataDir: args.dataDir,
    platformUrl,
    platformDemo: embedded !== undefined,
    // 练习模式 (PPL-2): a separate training ledger on a simulated central system, opened at
    // the first training.enter.
    training: embeddedTrainingCentral(),
    ...(openingVoucher ? { demoOpeningVoucher: openingVoucher } : {}),
  });
  return {
    backend,
    platformUrl,
    embedded,
    async close() {
      backend.close();
      await embedded?.close();
    },
  };
}
