/**
 * First load of the dashboard (issue 11, "Measured"): JavaScript shipped (gzip) and time to
 * interactive on loopback, for the signed-out landing (`/` → sign in) and a signed-in home
 * (Remove backgrounds), each in a fresh browser context (cold HTTP cache) per run.
 *
 *   npm run bench:web -- [--runs 5] [--build] [--dist dist/apps/web] [--json]
 *
 * Real parts: the dashboard's production build (built with Vite when the folder is missing, or with
 * `--build`), served by the real API (ROLE=api: no worker, no inference service; `models` answers
 * an empty list) on an embedded PostgreSQL, in Debian's headless Chromium through playwright-core.
 *
 * Definitions (see first-load-figures.ts):
 * - time to interactive: from navigation start until the page's main control (the "Sign in" button;
 *   the "Choose images" button) is visible and enabled — checked every animation frame — and then
 *   the main thread has had no long task (> 50 ms, PerformanceObserver 'longtask') for 500 ms;
 *   a long task that ends after the control appeared moves the figure to its end.
 * - JavaScript shipped: every JavaScript response whose download ended by that moment, gzip. The
 *   API sends scripts uncompressed (express.static), so each is gzipped here with zlib level 9 (as
 *   Vite's build report does); a response the server compressed counts as sent.
 * - DOMContentLoaded and load: the navigation timing entry's domContentLoadedEventEnd and loadEventEnd.
 * One unmeasured warm-up load of each page comes first (the server's first reads of the files).
 * Exit 1 when the largest first load is over 200 kB gzip, or a split-off chunk (admin console,
 * credits page with the usage charts) was loaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Response } from 'playwright-core';
import { findFreePort } from '@cutout/embedded-db';
import { log, startBenchApi, whole } from '../../api/bench/bench-api';
import { TestClient } from '../../api/testing/graphql-client';
import {
  BUDGET_BYTES,
  formatSpread,
  kB,
  ms,
  shippedBy,
  spread,
  timeToInteractive,
  verdict,
  type ScriptFile,
  type Spread,
} from './first-load-figures';

const ROOT = path.resolve(__dirname, '../../..');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As apps/web/e2e/harness.ts launches it. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1280, height: 800 };
const PASSWORD = 'a long enough passphrase';
/** Chunks that must stay out of every first load: Vite names them after their module. */
const SPLIT_CHUNKS = [
  { label: 'admin console', pattern: /^admin-page-.*\.js$/ },
  { label: 'charts (credits page with the usage charts)', pattern: /^credits-page-.*\.js$/ },
];

interface PageSpec {
  name: string;
  path: string;
  /** The main control: a <button> with exactly this text. */
  control: string;
  signedIn: boolean;
}

const PAGES: PageSpec[] = [
  { name: 'signed-out landing (/ → /sign-in)', path: '/', control: 'Sign in', signedIn: false },
  { name: 'signed-in home (/, Remove backgrounds)', path: '/', control: 'Choose images', signedIn: true },
];

interface RunFigures {
  tti: number;
  /** When the main control was first visible and enabled. */
  controlAt: number;
  domContentLoaded: number;
  load: number;
  scripts: ScriptFile[];
  /** Every script the page loaded in the run (also after it was interactive). */
  allScripts: string[];
  pageErrors: string[];
}

interface FirstLoadState {
  controlAt?: number;
  longTaskEnds: number[];
}

/** Runs in the page before any of its scripts: records long tasks and when the main control is usable. */
function watchFirstLoad(control: string): void {
  const state: FirstLoadState = { longTaskEnds: [] };
  (window as unknown as { __firstLoad: FirstLoadState }).__firstLoad = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTaskEnds.push(entry.startTime + entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    const usable = Array.from(document.querySelectorAll('button')).some(
      (b) => b.textContent?.trim() === control && !b.disabled && b.checkVisibility({ visibilityProperty: true, opacityProperty: true }),
    );
    if (usable) state.controlAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

const isScript = (res: Response) => res.request().resourceType() === 'script' || /javascript/.test(res.headers()['content-type'] ?? '');

async function measureScript(res: Response): Promise<ScriptFile & { compressedByServer: boolean }> {
  const body = await res.body();
  const encoding = res.headers()['content-encoding'];
  const compressedByServer = encoding === 'gzip';
  const gzip = compressedByServer ? (await res.request().sizes()).responseBodySize : gzipSync(body, { level: 9 }).length;
  return { path: new URL(res.url()).pathname, raw: body.length, gzip, compressedByServer };
}

let serverCompressed = false;

async function loadOnce(browser: Browser, base: string, spec: PageSpec, sessionCookie?: string): Promise<RunFigures> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    if (sessionCookie) {
      const [name, value] = [sessionCookie.slice(0, sessionCookie.indexOf('=')), sessionCookie.slice(sessionCookie.indexOf('=') + 1)];
      await context.addCookies([{ name, value, url: base }]);
    }
    await context.addInitScript(watchFirstLoad, spec.control);
    const page = await context.newPage();
    const measured: Promise<ScriptFile & { compressedByServer: boolean }>[] = [];
    const pageErrors: string[] = [];
    page.on('response', (res) => void (isScript(res) && measured.push(measureScript(res))));
    page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
    await page.goto(base + spec.path, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __firstLoad: FirstLoadState }).__firstLoad.controlAt !== undefined, null, {
      timeout: 60_000,
    });
    let tti: number | undefined;
    let controlAt = 0;
    while (tti === undefined) {
      const s = await page.evaluate(() => ({
        ...(window as unknown as { __firstLoad: FirstLoadState }).__firstLoad,
        now: performance.now(),
      }));
      tti = timeToInteractive(s.controlAt, s.longTaskEnds, s.now);
      controlAt = s.controlAt ?? 0;
      if (tti === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return {
        domContentLoaded: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        responseEnd: resources.map((r) => [new URL(r.name).pathname, r.responseEnd] as [string, number]),
      };
    });
    const scripts = await Promise.all(measured);
    if (scripts.some((s) => s.compressedByServer)) serverCompressed = true;
    return {
      tti,
      controlAt,
      domContentLoaded: timing.domContentLoaded,
      load: timing.load,
      scripts: shippedBy(scripts, new Map(timing.responseEnd), tti),
      allScripts: scripts.map((s) => s.path),
      pageErrors,
    };
  } finally {
    await context.close();
  }
}

/** A verified user who accepted the current privacy policy, signed in through the API: its session cookie. */
async function aSessionCookie(base: string): Promise<string> {
  const client = new TestClient(base);
  const email = `first-load-${Date.now()}@example.com`;
  const { policy } = await client.ok(`{ policy(kind: PRIVACY) { version } }`);
  await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, {
    i: { email, password: PASSWORD, acceptedPolicyVersion: policy.version },
  });
  let token: string | undefined;
  for (let i = 0; i < 100 && !token; i++) {
    const mails = (await (await fetch(`${base}/dev/mailbox`)).json()) as { to: string; text: string }[];
    const text = mails.find((m) => m.to === email)?.text;
    token = text && /[?&]token=([^\s"&]+)/.exec(text)?.[1];
    if (!token) await new Promise((r) => setTimeout(r, 100));
  }
  if (!token) throw new Error(`no verification mail for ${email} in the dev mailbox`);
  await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
    i: { token: decodeURIComponent(token), password: PASSWORD },
  });
  await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: PASSWORD } });
  if (!client.cookie) throw new Error('signing in set no session cookie');
  return client.cookie;
}

function build(dist: string): void {
  log(`building the dashboard into ${path.relative(ROOT, dist) || dist} …`);
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', '--config', 'apps/web/vite.config.mts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the dashboard build failed (exit ${result.status ?? result.signal})`);
}

function parseArgs(argv: string[]): { runs: number; build: boolean; dist: string; json: boolean } {
  const options = { runs: 5, build: false, dist: path.join(ROOT, 'dist/apps/web'), json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--runs') options.runs = whole('runs', value());
    else if (flag === '--build') options.build = true;
    else if (flag === '--dist') options.dist = path.resolve(value());
    else if (flag === '--json') options.json = true;
    else throw new Error(`unknown option ${argv[i]}; usage: npm run bench:web -- [--runs N] [--build] [--dist DIR] [--json]`);
  }
  return options;
}

interface PageResult {
  page: string;
  control: string;
  runs: number;
  jsGzipBytes: Spread;
  jsRawBytes: Spread;
  ttiMs: Spread;
  controlUsableMs: Spread;
  domContentLoadedMs: Spread;
  loadMs: Spread;
  /** The files of the median run (by JavaScript shipped). */
  files: ScriptFile[];
  pageErrors: string[];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`);
  if (options.build || !existsSync(path.join(options.dist, 'index.html'))) build(options.dist);

  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  log(`starting the API (ROLE=api, embedded PostgreSQL) serving ${options.dist} …`);
  const bench = await startBenchApi('web', { PORT: String(port), PUBLIC_URL: base, WEB_DIST_DIR: options.dist, LOG_LEVEL: 'error' });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const cookie = await aSessionCookie(base);
    const results: PageResult[] = [];
    const loaded = new Set<string>();
    for (const spec of PAGES) {
      const session = spec.signedIn ? cookie : undefined;
      await loadOnce(browser, base, spec, session); // warm-up, not counted
      const runs: RunFigures[] = [];
      for (let i = 0; i < options.runs; i++) {
        const run = await loadOnce(browser, base, spec, session);
        const total = run.scripts.reduce((sum, s) => sum + s.gzip, 0);
        log(`  ${spec.name} run ${i + 1}: ${kB(total)} gzip JS, interactive at ${ms(run.tti)}`);
        run.allScripts.forEach((s) => loaded.add(s));
        runs.push(run);
      }
      const gzipTotals = runs.map((r) => r.scripts.reduce((sum, s) => sum + s.gzip, 0));
      const medianRun = runs[gzipTotals.indexOf(spread(gzipTotals).median)];
      results.push({
        page: spec.name,
        control: spec.control,
        runs: runs.length,
        jsGzipBytes: spread(gzipTotals),
        jsRawBytes: spread(runs.map((r) => r.scripts.reduce((sum, s) => sum + s.raw, 0))),
        ttiMs: spread(runs.map((r) => r.tti)),
        controlUsableMs: spread(runs.map((r) => r.controlAt)),
        domContentLoadedMs: spread(runs.map((r) => r.domContentLoaded)),
        loadMs: spread(runs.map((r) => r.load)),
        files: medianRun.scripts,
        pageErrors: [...new Set(runs.flatMap((r) => r.pageErrors))],
      });
    }

    const assets = readdirSync(path.join(options.dist, 'assets'));
    const split = SPLIT_CHUNKS.map(({ label, pattern }) => {
      const file = assets.find((f) => pattern.test(f));
      if (!file) throw new Error(`no chunk for the ${label} in ${options.dist}/assets (${pattern}): was it renamed or merged?`);
      const body = readFileSync(path.join(options.dist, 'assets', file));
      return { label, file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, loaded: loaded.has(`/assets/${file}`) };
    });
    const worst = Math.max(...results.map((r) => r.jsGzipBytes.max));
    const v = verdict(
      worst,
      split.filter((s) => s.loaded).map((s) => s.file),
    );

    if (options.json) {
      console.log(
        JSON.stringify(
          { budgetBytes: BUDGET_BYTES, gzip: serverCompressed ? 'server' : 'zlib-9', pages: results, split, pass: v.ok },
          null,
          2,
        ),
      );
    } else {
      const how = serverCompressed ? 'as the server sent it' : 'gzipped here with zlib level 9: the API sends scripts uncompressed';
      console.log(
        `Dashboard first load, loopback, desktop ${VIEWPORT.width}×${VIEWPORT.height}, a fresh browser context (cold cache) per run;`,
      );
      console.log(`figures are median [min–max] over ${options.runs} runs; JavaScript ${how}.`);
      for (const r of results) {
        console.log(`\n${r.page} — main control: the "${r.control}" button`);
        console.log(
          `  JavaScript shipped until interactive: ${formatSpread(r.jsGzipBytes, kB)} gzip (${formatSpread(r.jsRawBytes, kB)} raw)`,
        );
        for (const f of r.files) console.log(`    ${f.path.padEnd(44)} ${kB(f.gzip).padStart(9)} gzip  ${kB(f.raw).padStart(9)} raw`);
        console.log(`  time to interactive:                  ${formatSpread(r.ttiMs, ms)}`);
        console.log(`    main control visible and enabled:   ${formatSpread(r.controlUsableMs, ms)}`);
        console.log(`  DOMContentLoaded:                     ${formatSpread(r.domContentLoadedMs, ms)}`);
        console.log(`  load:                                 ${formatSpread(r.loadMs, ms)}`);
        if (r.pageErrors.length) console.log(`  page errors: ${r.pageErrors.join(' | ')}`);
      }
      console.log('\nCode-split chunks (must not be part of any first load):');
      for (const s of split)
        console.log(
          `  ${s.label}: /assets/${s.file} ${kB(s.gzip)} gzip (${kB(s.raw)} raw) — ${s.loaded ? 'LOADED on a first load' : 'not loaded'}`,
        );
      console.log(`\n${v.line}`);
    }
    process.exitCode = v.ok ? 0 : 1;
  } finally {
    await browser?.close();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
