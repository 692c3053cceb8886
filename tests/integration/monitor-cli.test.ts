// `npm run monitor` as a real process: binds 127.0.0.1, takes tokens from flags or the
// environment, makes and prints one otherwise, keeps data across restarts.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateStationKeyPair } from '../../backend/monitor-signing';
import { startServerProcess } from '../helpers/server-process';

const MAIN = path.resolve(__dirname, '../../platform/main.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-monitor-cli-'));
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL'); // a failed assertion must not leave a server behind
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startMonitorProcess(args: string[], env: Record<string, string> = {}) {
  return startServerProcess(MAIN, ['--data', dir, '--port', '0', '--log-level', 'warn', ...args], {
    name: 'monitor',
    env: { ...process.env, YIZHAN_MONITOR_ADMIN_TOKEN: '', ...env },
    onSpawn: (child) => {
      running.add(child);
      child.on('exit', () => running.delete(child));
    },
  });
}

/** The admin (`token`) registers a station with a new key at the monitor at `url`. */
function registerStation(url: string, token: string, institutionNo: string, name: string) {
  return fetch(`${url}/v1/stations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      institutionNo,
      name,
      openingDate: '2025-01-01',
      publicKey: generateStationKeyPair().publicKeyPem,
    }),
  });
}

describe('npm run monitor', () => {
  it('MON-2: starts on 127.0.0.1 with a random admin token it prints, and stops cleanly', async () => {
    const p = await startMonitorProcess([]);
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = /管理令牌（本次随机生成）：(\S+)/.exec(p.output())?.[1];
    expect(token).toBeTruthy();
    const health = await fetch(`${p.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await registerStation(p.url, token!, 'CLI00001', '命令行测试站')).status).toBe(201);
    expect(await p.stop()).toBe(0);
  });

  it('MON-2: the admin token comes from the environment, and the data survive a restart', async () => {
    const token = 'env-admin-token-0123456789abcdef';
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const first = await startMonitorProcess([], { YIZHAN_MONITOR_ADMIN_TOKEN: token });
    expect(first.output()).not.toContain(token);
    expect((await registerStation(first.url, token, 'CLI00002', '重启测试站')).status).toBe(201);
    expect(await first.stop()).toBe(0);
    const second = await startMonitorProcess([], { YIZHAN_MONITOR_ADMIN_TOKEN: token });
    const r = await fetch(`${second.url}/v1/stations/CLI00002/standing`, { headers });
    expect(r.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  it('MON-2: a short token is refused at start', async () => {
    await expect(startMonitorProcess(['--admin-token', 'short'])).rejects.toThrow(/at least 16/);
  });
});
