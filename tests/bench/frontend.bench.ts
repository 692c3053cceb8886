/// <reference lib="dom" />
// Front-end figures (issue 13, Performance): what the operator waits for when the counter opens.
//  - initial JS: the scripts index.html loads before anything is drawn (entry + modulepreloads),
//    gzip-compressed as the build reports them; chunks loaded on demand are listed apart;
//  - first contentful paint and "counter ready" (the float is shown and the account field has the
//    cursor) in Debian's Chromium over browser mode (scripts/web.ts, whatever server it runs),
//    median of several cold loads (a fresh browser context each, so nothing is cached). Since the
//    login (issue 12) the counter shows only to a logged-in tab: the bench logs the demo holder in
//    through the API once and each load starts with that session in the tab's storage (a reload
//    of a logged-in tab); "login ready" (the PIN field has the cursor) is measured apart;
//  - the same two with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate).
// Needs the built renderer: `npm run build:renderer` (built here when out/renderer is missing).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { median, type BenchResult, type BenchSuite } from './harness';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(REPO, 'out', 'renderer');
const CHROMIUM = process.env['YIZHAN_CHROMIUM'] ?? '/usr/bin/chromium';
const TOKEN = 'bench-token-0123456789';
const PIN = '2468';
const LOADS = Number(process.env['YIZHAN_BENCH_LOADS'] ?? 7);
const SUITE = 'frontend';

const TARGET_INITIAL_KB = 350;
const TARGET_FCP_MS = 600;
const TARGET_READY_MS = 800;
const TARGET_READY_SLOW_MS = 2000;

const gzipKB = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length / 1024;

/** The scripts index.html pulls in before the first paint: its module entry and modulepreloads. */
export function initialScripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) out.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) out.add(m[1]!);
  return [...out].map((p) => path.join(OUT, p.replace(/^\.\//, '')));
}

function sizes(): BenchResult[] {
  if (!fs.existsSync(path.join(OUT, 'index.html'))) {
    execFileSync('npm', ['run', 'build:renderer'], { cwd: REPO, stdio: 'inherit' });
  }
  const html = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
  const initial = initialScripts(html);
  const all = fs
    .readdirSync(path.join(OUT, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(OUT, 'assets', f));
  const initialKB = initial.reduce((s, f) => s + gzipKB(f), 0);
  const rawKB = initial.reduce((s, f) => s + fs.statSync(f).size / 1024, 0);
  const lazyKB = all.filter((f) => !initial.includes(f)).reduce((s, f) => s + gzipKB(f), 0);
  return [
    {
      suite: SUITE,
      name: 'initial JS (gzip)',
      value: initialKB,
      unit: 'KB',
      target: `≤ ${TARGET_INITIAL_KB} KB`,
      pass: initialKB <= TARGET_INITIAL_KB,
      note: `${initial.length} file(s), ${rawKB.toFixed(0)} KB uncompressed; ${all.length - initial.length} chunk(s) on demand, ${lazyKB.toFixed(0)} KB gzip`,
    },
  ];
}

async function startStation(): Promise<{ url: string; session: string; stop: () => void }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-bench-fe-'));
  const child: ChildProcess = spawn(
    'npx',
    ['tsx', 'scripts/web.ts', '--demo', '--data', dataDir, '--port', '0'],
    {
      cwd: REPO,
      env: { ...process.env, YIZHAN_TOKEN: TOKEN },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /open:\s+(\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`web.ts exited (${code}):\n${out}`)));
  });
  // The demo holder logs in (setting the PIN at this first login): the session the loads use.
  const res = await fetch(`${new URL(url).origin}/api/auth.login`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operatorId: 'op-holder', pin: PIN, newPin: PIN }),
  });
  const login = (await res.json()) as { ok: boolean; data?: { session: string } };
  if (!login.ok || !login.data) throw new Error(`bench login: ${JSON.stringify(login)}`);
  return {
    url,
    session: login.data.session,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // gone
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Runs in the page before its own scripts: notes the first moment the float is shown and the
// account field holds the cursor (checked on every DOM change and focus move), and the first
// moment the login screen's PIN field holds it.
const READY_PROBE = `(() => {
  const check = () => {
    if (window.__counterReady) return;
    const pin = document.querySelector('[data-testid="login-pin"]');
    if (pin && document.activeElement === pin && !window.__loginReady) window.__loginReady = performance.now();
    const f = document.querySelector('[data-testid="float-balance"]');
    const a = document.querySelector('[data-testid="account-input"]');
    if (f && /\\d/.test(f.textContent || '') && a && document.activeElement === a) {
      window.__counterReady = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('focusin', check, true);
})();`;

interface Load {
  fcp: number;
  ready: number;
  /** Main-thread CPU time the page used until ready (CDP TaskDuration): unlike wall-clock
   *  figures it hardly moves when other programs load the machine. */
  cpu: number;
}

/** The session the tab starts with (the key renderer/src/api.ts keeps it under). */
const sessionScript = (session: string) =>
  `try { sessionStorage.setItem('yizhan.session', ${JSON.stringify(session)}); } catch {}`;

async function oneLoad(
  browser: Browser,
  url: string,
  cpuRate: number,
  session: string | undefined,
  probe: '__counterReady' | '__loginReady' = '__counterReady',
): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  try {
    const page = await context.newPage();
    if (session) await page.addInitScript(sessionScript(session));
    await page.addInitScript(READY_PROBE);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (cpuRate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });
    await page.goto(url);
    const ready = await page
      .waitForFunction((k) => (window as unknown as Record<string, number | undefined>)[k], probe, {
        timeout: 120_000,
      })
      .then((h) => h.jsonValue() as Promise<number>);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const cpu = (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000;
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    );
    return { fcp, ready, cpu };
  } finally {
    await context.close();
  }
}

async function loads(
  browser: Browser,
  url: string,
  cpuRate: number,
  session: string | undefined,
  probe?: '__counterReady' | '__loginReady',
): Promise<Load[]> {
  await oneLoad(browser, url, cpuRate, session, probe); // warm-up: the server's first reads, the browser's first process
  const out: Load[] = [];
  for (let i = 0; i < LOADS; i++) out.push(await oneLoad(browser, url, cpuRate, session, probe));
  return out;
}

export const suite: BenchSuite = async () => {
  const results = sizes();
  const { url, session, stop } = await startStation();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const fast = await loads(browser, url, 1, session);
    const slow = await loads(browser, url, 4, session);
    const login = await loads(browser, url, 1, undefined, '__loginReady');
    const med = (xs: number[]) => median([...xs].sort((a, b) => a - b));
    const spread = (xs: number[]) =>
      `${LOADS} cold loads, min ${Math.min(...xs).toFixed(0)} / max ${Math.max(...xs).toFixed(0)} ms`;
    const fcp = fast.map((l) => l.fcp);
    const ready = fast.map((l) => l.ready);
    const slowFcp = slow.map((l) => l.fcp);
    const slowReady = slow.map((l) => l.ready);
    const cpu = fast.map((l) => l.cpu);
    const loginReady = login.map((l) => l.ready);
    /** The median of the cold loads' figures `xs`, against `< targetMs` where there is a target. */
    const medianOf = (name: string, xs: number[], targetMs?: number, note = spread(xs)): BenchResult => ({
      suite: SUITE,
      name,
      value: med(xs),
      unit: 'ms',
      ...(targetMs === undefined ? {} : { target: `< ${targetMs} ms`, pass: med(xs) < targetMs }),
      note,
    });
    results.push(
      medianOf('first contentful paint (median)', fcp, TARGET_FCP_MS),
      medianOf('counter ready: float shown, account field focused (median)', ready, TARGET_READY_MS),
      medianOf(
        'main-thread CPU time until ready (median)',
        cpu,
        undefined,
        `${spread(cpu)}; compare this between builds when the machine is busy`,
      ),
      medianOf('first contentful paint, CPU slowed 4× (median)', slowFcp),
      medianOf('counter ready, CPU slowed 4× (median)', slowReady, TARGET_READY_SLOW_MS),
      medianOf('login screen ready: PIN field focused, no session (median)', loginReady),
    );
  } finally {
    await browser.close();
    stop();
  }
  return results;
};
