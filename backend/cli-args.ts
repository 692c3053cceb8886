// Command-line flags shared by `npm start` and `npm run web`.
import path from 'node:path';

export interface CliArgs {
  dataDir: string;
  port: number;
  /** The postal platform's URL (`--platform` or YIZHAN_PLATFORM); none: run one embedded. */
  platform: string | undefined;
  /** `--demo` (YIZHAN_DEMO=1): on a data folder with no station, the demo station at once,
   *  without the first-run choice (the tests, scripts). A folder already set up is unchanged. */
  demo: boolean;
}

export const DEFAULT_PORT = 5173;

export function parseCliArgs(argv: string[]): CliArgs {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`${flag}=`));
    return eq?.slice(flag.length + 1);
  };
  const dataDir = path.resolve(
    get('--data') ?? process.env['YIZHAN_DATA'] ?? path.join(process.cwd(), '.data', 'station'),
  );
  const portText = get('--port') ?? process.env['YIZHAN_PORT'] ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port: ${portText}`);
  const platform = get('--platform') ?? (process.env['YIZHAN_PLATFORM'] || undefined);
  if (platform !== undefined && !/^https?:\/\/[^\s]+$/.test(platform))
    throw new Error(`bad --platform: ${platform}`);
  const demo = argv.includes('--demo') || process.env['YIZHAN_DEMO'] === '1';
  return { dataDir, port, platform, demo };
}
