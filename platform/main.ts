// npm run platform -- --data <dir> --port <port> [--pg <postgresql://…>] [--host 127.0.0.1]
//                     [--admin-token T] [--read-token T] [--log-level info]
// The store: embedded SQLite in --data by default; PostgreSQL with --pg <url> or YIZHAN_PG.
// Tokens may also come from YIZHAN_MONITOR_ADMIN_TOKEN / YIZHAN_MONITOR_READ_TOKEN; without an
// admin token a random one is made and printed (it changes at every start). On an empty store
// the first office admin is made and its one-time password printed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPlatform } from './app';
import { MIN_TOKEN_CHARS, randomToken } from './auth';
import { createAdmin, ensureFirstAdmin } from './office/routes';
import { loadOrCreatePlatformKey } from './provisioning/profile';
import { openPgPlatformStore } from './store/pg';
import { openSqlitePlatformStore } from './store/sqlite';
import type { PlatformStore } from './store/types';

const DEFAULT_PORT = 8787;
/** Pending bill payments are re-driven at the biller this often. */
const RECOVER_EVERY_MS = 30_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: path.join('.data', 'monitor') },
      pg: { type: 'string' },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      'admin-token': { type: 'string' },
      'read-token': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      // The Ed25519 key station profiles are signed with (made on first start, mode 0600).
      'key-file': { type: 'string' },
      // One more office admin with a random password printed once (the first one's is lost).
      'create-admin': { type: 'string' },
      // Behind a TLS reverse proxy: mark the office session cookies Secure.
      'secure-cookies': { type: 'boolean', default: false },
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

  const pgUrl = values.pg ?? (process.env['YIZHAN_PG'] || undefined);
  const store: PlatformStore = pgUrl
    ? await openPgPlatformStore(pgUrl)
    : openSqlitePlatformStore(path.resolve(values.data));
  const keyFile = path.resolve(values['key-file'] ?? path.join(values.data, 'platform-ed25519.pem'));
  const platformKey = loadOrCreatePlatformKey(keyFile);
  const { app, billSwitch } = buildPlatform({
    platformKey,
    store,
    tokens: { admin, read },
    logger: { level: values['log-level'] },
    secureCookies: values['secure-cookies'],
  });
  const firstAdmin = await ensureFirstAdmin(store, new Date());
  const extraAdmin = values['create-admin']
    ? await createAdmin(store, values['create-admin'], new Date())
    : undefined;
  const address = await app.listen({ host: values.host, port });
  const where = pgUrl
    ? `PostgreSQL ${new URL(pgUrl).host}${new URL(pgUrl).pathname}`
    : `数据目录：${path.resolve(values.data)}`;
  // One write (atomic on a pipe), first line plain for scripts: "listening <url>".
  const lines = [`listening ${address}`, `邮政便民驿站管理系统已启动：${address}  ${where}`];
  if (!given) lines.push(`管理令牌（本次随机生成）：${admin}`, `仪表板：${address}/?token=${admin}`);
  if (firstAdmin)
    lines.push(
      `首个管理员：${firstAdmin.username}  一次性密码：${firstAdmin.password}（登录后请修改）  ${address}/office/`,
    );
  if (extraAdmin)
    lines.push(
      `新管理员：${extraAdmin.username}  一次性密码：${extraAdmin.password}（登录后请修改）  ${address}/office/`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);

  const recover = setInterval(
    () => void billSwitch.recoverPending().catch(() => undefined),
    RECOVER_EVERY_MS,
  );
  void billSwitch.recoverPending().catch(() => undefined);

  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    clearInterval(recover);
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  process.stderr.write(`平台启动失败：${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
