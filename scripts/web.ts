// `npm run web -- --data <dir> --port <port>`: the backend and the built UI over loopback HTTP.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBackend, DEMO_STATION } from '../backend/backend';
import { loadOrCreateStationKey } from '../backend/services/station-key';
import { provisionDemoStation, startEmbeddedPlatform, type EmbeddedPlatform } from './embedded-platform';
import { newToken, startHttpServer } from '../backend/transport/http';
import { parseCliArgs } from '../backend/cli-args';

export const RENDERER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'out',
  'renderer',
);

export async function runWeb(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv);
  // No --platform: the postal platform runs embedded (SQLite, simulated billers) beside the
  // demo station, and the station talks to it over HTTP like any station.
  let embedded: EmbeddedPlatform | undefined;
  let openingVoucher;
  // YIZHAN_DEMO_GATEWAY=1: the older in-process stand-in instead (the browser e2e specs, which
  // type vouchers and bank references of their own, still run on it).
  const standIn = process.env['YIZHAN_DEMO_GATEWAY'] === '1' && !args.platform;
  if (!args.platform && !standIn) {
    embedded = await startEmbeddedPlatform(args.dataDir);
    const key = loadOrCreateStationKey(args.dataDir);
    openingVoucher = await provisionDemoStation(embedded, {
      institutionNo: DEMO_STATION.institutionNo,
      name: DEMO_STATION.name,
      holder: DEMO_STATION.holder.name,
      publicKeyPem: key.publicKeyPem,
    });
  }
  const platformUrl = args.platform ?? embedded?.url;
  const backend = await createBackend({
    dataDir: args.dataDir,
    ...(platformUrl ? { platformUrl } : {}),
    platformDemo: embedded !== undefined,
    ...(openingVoucher ? { demoOpeningVoucher: openingVoucher } : {}),
  });
  const token = process.env['YIZHAN_TOKEN'] || newToken();
  const staticDir = fs.existsSync(path.join(RENDERER_DIR, 'index.html')) ? RENDERER_DIR : undefined;
  const { url, close } = await startHttpServer({ call: backend.call, token, port: args.port, staticDir });
  const st = await backend.call('station.get', undefined);
  const name = st.ok ? (st.data as { name: string }).name : '';
  console.log(`驿站 Yizhan — browser mode${backend.gateway.demo ? ' (演示 demo gateway)' : ''}`);
  console.log(`  station:  ${name}`);
  console.log(`  data:     ${args.dataDir}`);
  console.log(
    `  platform: ${platformUrl ?? 'none (in-process demo gateway)'}${embedded ? ' (embedded, 演示 simulated billers)' : ''}`,
  );
  if (embedded)
    console.log(
      `  console:  ${embedded.url}/office/  dashboard: ${embedded.url}/?token=${embedded.adminToken}`,
    );
  if (embedded?.firstAdmin)
    console.log(
      `  office admin: ${embedded.firstAdmin.username} / ${embedded.firstAdmin.password} (one-time password)`,
    );
  if (!staticDir) console.log('  UI not built: run `npm run build:renderer` (the API works without it)');
  console.log(`  open:     ${url}`);
  const stop = () => {
    void close()
      .then(() => backend.close())
      .then(() => embedded?.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runWeb(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
