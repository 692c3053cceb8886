// A throwaway PostgreSQL server for tests and benches: Debian's package (/usr/lib/postgresql/<v>/bin),
// a cluster made by initdb as the `postgres` user in a temp folder (copied from a cached
// template made once per machine), a free port on 127.0.0.1, the unix socket in the temp folder;
// stopped and deleted at the end. YIZHAN_PG_TEST_URL points the tests at a server already
// running instead. Where no server can be started, startPg() prints ONE line saying why and
// returns undefined (the PostgreSQL half of the tests is then skipped).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgServer {
  /** Connection URL of the maintenance database `postgres`. */
  readonly url: string;
  /** A fresh, empty database on this server; its URL. */
  newDatabase(): Promise<string>;
  /** Restart the server (immediate stop, then start): what a crash of PostgreSQL looks like. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** The same database's URL over the server's Unix socket (a platform on the database's own
   *  host); undefined for an external server. */
  unixSocketUrl?(databaseUrl: string): string;
}

export interface StartPgOptions {
  /** Real durability (fsync on, synchronous commit) for benches; tests run without fsync. */
  durable?: boolean;
  quiet?: boolean;
  /** More server settings (`-c name=value` each), e.g. for profiling a bench. */
  settings?: string[];
}

const TEMPLATE_ROOT = path.join(os.tmpdir(), 'yizhan-pg-template');
let dbCounter = 0;

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

function asPostgres(bin: string, args: string[]): void {
  const r = spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `${path.basename(bin)} failed: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 400)}`,
    );
}

function asPostgresAsync(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }, (e, stdout, stderr) =>
      e
        ? reject(
            new Error(
              `${path.basename(bin)} failed: ${(stderr || stdout || e.message).trim().slice(0, 400)}`,
            ),
          )
        : resolve(),
    ),
  );
}

/** A port nothing listens on now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** initdb once per machine (5 s), then each cluster is a copy (fast). */
function template(bin: string): string {
  const dir = path.join(TEMPLATE_ROOT, path.basename(path.dirname(bin)));
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  fs.mkdirSync(TEMPLATE_ROOT, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(TEMPLATE_ROOT, 'init-'));
  execFileSync('chown', ['postgres:postgres', tmp]);
  asPostgres(path.join(bin, 'initdb'), [
    '-D',
    path.join(tmp, 'data'),
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  try {
    fs.renameSync(path.join(tmp, 'data'), dir); // atomic: a racing process keeps its own copy
  } catch {
    /* another process made it first */
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return dir;
}

let skippedSaid = false;

export async function startPg(opts: StartPgOptions = {}): Promise<PgServer | undefined> {
  const external = process.env['YIZHAN_PG_TEST_URL'];
  if (external) return externalServer(external);
  const skip = (why: string): undefined => {
    if (!skippedSaid && !opts.quiet) console.log(`PostgreSQL tests skipped: ${why}`);
    skippedSaid = true;
    return undefined;
  };
  const bin = pgBin();
  if (!bin) return skip('no PostgreSQL server binaries in /usr/lib/postgresql (apt-get install postgresql)');
  if (process.getuid?.() !== 0)
    return skip('the throwaway cluster is made as the postgres user, which needs root');
  let dir: string;
  try {
    const tpl = template(bin);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-pg-'));
    execFileSync('cp', ['-a', tpl, path.join(dir, 'data')]);
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  } catch (e) {
    return skip(`initdb failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=200`,
    `-c shared_buffers=128MB`,
    ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ...(opts.settings ?? []).map((s) => `-c ${s}`),
  ].join(' ');
  const ctl = path.join(bin, 'pg_ctl');
  const data = path.join(dir, 'data');
  const start = (): void =>
    asPostgres(ctl, ['-D', data, '-o', settings, '-w', '-t', '120', '-l', path.join(dir, 'log'), 'start']);
  try {
    start();
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return skip(`the server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    newDatabase: () => createDatabase(url),
    unixSocketUrl: (databaseUrl) => {
      const u = new URL(databaseUrl);
      return `postgresql://postgres@localhost${u.pathname}?host=${encodeURIComponent(dir)}&port=${port}`;
    },
    async restart() {
      // Without blocking this process: whatever runs in it (a platform under load) sees the
      // server go away and come back.
      await asPostgresAsync(ctl, ['-D', data, '-m', 'immediate', 'stop']);
      await asPostgresAsync(ctl, [
        '-D',
        data,
        '-o',
        settings,
        '-w',
        '-t',
        '120',
        '-l',
        path.join(dir, 'log'),
        'start',
      ]);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(ctl, ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `t${process.pid}_${++dbCounter}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function externalServer(url: string): PgServer {
  return {
    url,
    newDatabase: () => createDatabase(url),
    async restart() {
      throw new Error('cannot restart an external server');
    },
    async stop() {},
  };
}
