// `npm run web -- --data <dir> --port <port>`: the backend and the built UI over loopback HTTP.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStationRuntime, type RunningStation } from './station-runtime';
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
  // A folder with no station starts in the set-up state: the first-run screen offers the demo
  // (the platform embedded beside it) or a real station activated at its platform.
  const runtime = await startStationRuntime(args);
  const token = process.env['YIZHAN_TOKEN'] || newToken();
  const staticDir = fs.existsSync(path.join(RENDERER_DIR, 'index.html')) ? RENDERER_DIR : undefined;
  const { url, close } = await startHttpServer({
    call: (channel, a, client) => runtime.callAs(client, channel, a),
    token,
    port: args.port,
    staticDir,
  });
  const describe = async ({ backend, embedded, platformUrl }: RunningStation) => {
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
  };
  if (runtime.station) await describe(runtime.station);
  else {
    console.log('驿站 Yizhan — browser mode, first run');
    console.log(`  data:     ${args.dataDir} (no station yet)`);
    console.log('  choose in the browser: 演示站点 (the demo) or 正式站点 (activate a real station)');
    void runtime.ready.then(describe);
  }
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
