// npm run platform -- --data <dir> --port <port> [--host 127.0.0.1] [--admin-token T] [--read-token T] [--log-level info]
// Tokens may also come from YIZHAN_MONITOR_ADMIN_TOKEN / YIZHAN_MONITOR_READ_TOKEN; without an
// admin token a random one is made and printed (it changes at every start).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MIN_TOKEN_CHARS, randomToken } from './auth';
import { buildMonitor } from './server';
import { createAdmin, ensureFirstAdmin } from './office/routes';
import { openSqlitePlatformStore } from './store/sqlite';

const DEFAULT_PORT = 8787;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: path.join('.data', 'monitor') },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      'admin-token': { type: 'string' },
      'read-token': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      // Another office admin with a random password, printed once (e.g. the first one's is lost).
      'create-admin': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port: not a port: ${values.port}`);
  const given = values['admin-token'] ?? (process.env['YIZHAN_MONITOR_ADMIN_TOKEN'] || undefined); // empty = unset
  const admin = given ?? randomToken();
  const read = values['read-token'] ?? (process.env['YIZHAN_MONITOR_READ_TOKEN'] || undefined);
  for (const [name, token] of [
    ['admin', admin],
    ['read', read],
  ] as const) {
    if (token !== undefined && token.length < MIN_TOKEN_CHARS)
      throw new Error(`${name} token: at least ${MIN_TOKEN_CHARS} characters`);
  }

  const platform = openSqlitePlatformStore(path.resolve(values.data));
  const store = platform;
  // The office's first admin: a random password, printed once (never a fixed one).
  const firstAdmin =
    (await ensureFirstAdmin(platform, new Date())) ??
    (values['create-admin'] ? await createAdmin(platform, values['create-admin'], new Date()) : undefined);
  const app = buildMonitor({
    store: platform.stations,
    platform,
    tokens: { admin, read },
    logger: { level: values['log-level'] },
  });
  const address = await app.listen({ host: values.host, port });
  // One write (atomic on a pipe), first line plain for scripts: "listening <url>".
  const lines = [
    `listening ${address}`,
    `驿站退出监控已启动：${address}  数据目录：${path.resolve(values.data)}`,
  ];
  if (!given) lines.push(`管理令牌（本次随机生成）：${admin}`, `仪表板：${address}/?token=${admin}`);
  if (firstAdmin)
    lines.push(
      `网点业务台：${address}/office/login`,
      `office admin: ${firstAdmin.username} ${firstAdmin.password}`,
      `业务台管理员 ${firstAdmin.username} 的初始密码（只显示这一次，请登录后修改）：${firstAdmin.password}`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  process.stderr.write(`监控启动失败：${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
