// `npm run web -- --data <dir> --port <port>`: the backend and the built UI over loopback HTTP.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStationRuntime } from './station-runtime';
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
  const runtime = await startStationRuntime(args);
  const { backend, embedded, platformUrl } = runtime;
  const token = process.env['YIZHAN_TOKEN'] || newToken();
  const staticDir = fs.existsSync(path.join(RENDERER_DIR, 'index.html')) ? RENDERER_DIR : undefined;
  const { url, close } = await startHttpServer({
    call: (channel, args, client) => backend.callAs(client, channel, args),
    token, port: args.port, staticDir });
  const st = await backend.call('station.get', undefined);
  const name = st.ok ? (st.data as { name: string }).name : '';
  console.log(`驿站 Yizhan — browser mode${backend.gateway.demo ? ' (演示 simulated billers)' : ''}`);
  console.log(`  station:  ${name}`);
  console.log(`  data:     ${args.dataDir}`);
  console.log(`  platform: ${platformUrl}${embedded ? ' (embedded, 演示 simulated billers)' : ''}`);
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
      .then(() => runtime.close())
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
