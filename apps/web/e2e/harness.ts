import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Cookie, type Locator, type Page } from 'playwright-core';
import { findFreePort } from '@cutout/embedded-db';
import { startInferenceProcess, type InferenceProcess } from '../../api/testing/inference-process';
import { aSubjectImage } from '../../api/testing/test-images';
import { startTestApi, type TestApi } from '../../api/testing/test-api';

const ROOT = path.resolve(__dirname, '../../..');
/** Where screenshots go (CI keeps them as artefacts). */
export const SCREENSHOT_DIR = path.join(ROOT, 'dist/e2e-screenshots');
/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export interface E2e {
  t: TestApi;
  /** The dashboard's origin, e.g. http://127.0.0.1:41234 (also the API's PUBLIC_URL). */
  origin: string;
  browser: Browser;
  inference: InferenceProcess;
  /** A fresh browser context (no cookies, no storage) on a page of the dashboard. */
  open(pathname?: string, options?: { viewport?: ViewportName }): Promise<Visit>;
  close(): Promise<void>;
}

export interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every request the page made, in order (absolute URLs). */
  requests: string[];
  /** Requests to anything but the dashboard's own origin (they are aborted, and a test fails on any). */
  offsite(): string[];
  /** Uncaught exceptions thrown in the page (a test fails on any). */
  pageErrors(): string[];
  /** The context's cookies for the origin. */
  cookies(): Promise<Cookie[]>;
  /** Everything in localStorage and sessionStorage, as key lists. */
  storage(): Promise<{ local: string[]; session: string[] }>;
}

/**
 * One real system per test file: the inference service with the tiny model, the real API (its
 * own database and data folder) serving the dashboard build from globalSetup, and Chromium.
 */
export async function startE2e(env: Record<string, string> = {}): Promise<E2e> {
  const webDist = process.env.CUTOUT_E2E_WEB_DIST;
  if (!webDist)
    throw new Error('CUTOUT_E2E_WEB_DIST is not set: run through apps/web/e2e/jest.config.js (its globalSetup builds the dashboard)');
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  const inference = await startInferenceProcess({ model: 'tiny' });
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  let t: TestApi | undefined;
  let browser: Browser | undefined;
  try {
    t = await startTestApi({ PORT: String(port), PUBLIC_URL: origin, WEB_DIST_DIR: webDist, INFERENCE_URLS: inference.address, ...env });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    await t?.close();
    await inference.close();
    throw error;
  }
  const api = t;
  const chrome = browser;
  const contexts: BrowserContext[] = [];

  return {
    t: api,
    origin,
    browser: chrome,
    inference,
    async open(pathname = '/', options = {}) {
      const context = await chrome.newContext({ viewport: VIEWPORTS[options.viewport ?? 'desktop'], baseURL: origin });
      contexts.push(context);
      const requests: string[] = [];
      const offsite: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        requests.push(url);
        if (isOwn(url, origin)) return route.continue();
        offsite.push(url);
        return route.abort('blockedbyclient');
      });
      // WebSockets (graphql-ws) do not pass through route(): they are checked here.
      context.on('page', (p) => p.on('websocket', (ws) => (isOwn(ws.url(), origin) ? undefined : offsite.push(ws.url()))));
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
      page.on('websocket', (ws) => (isOwn(ws.url(), origin) ? undefined : offsite.push(ws.url())));
      await page.goto(pathname);
      return {
        context,
        page,
        requests,
        offsite: () => [...offsite],
        pageErrors: () => [...pageErrors],
        cookies: () => context.cookies(origin),
        storage: () => page.evaluate(() => ({ local: Object.keys(window.localStorage), session: Object.keys(window.sessionStorage) })),
      };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await chrome.close();
      await api.close();
      await inference.close();
    },
  };
}

/** Same origin (http or ws), or a URL that never leaves the page (data:, blob:, about:). */
export function isOwn(url: string, origin: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  const u = new URL(url);
  const o = new URL(origin);
  return u.host === o.host && (u.protocol === o.protocol || u.protocol === (o.protocol === 'https:' ? 'wss:' : 'ws:'));
}

/**
 * Screenshots of the page as it is, at desktop (1280×800) and phone (390×844) width, full page,
 * into dist/e2e-screenshots/<name>-desktop.png and -phone.png. The viewport is restored after.
 * At phone width the page is also checked (after its screenshot is saved, to look at): no serious
 * axe violation, nothing wider than the screen (`document.documentElement.scrollWidth` ≤ 390,
 * the widest culprits named otherwise), the header's tools on one row, no stacked table heading
 * spilling out of its cell and no table scrolling sideways in its box. Tests run axe at their own
 * width before calling this, so every page captured is checked at both widths. At both widths
 * the rows of tables laid out as rows keep their cells' first lines of text on one line (a
 * button's label level with its row's text).
 */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  const problems: string[] = [];
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    // One frame for layout (and anything reacting to the resize) to settle.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const file = path.join(SCREENSHOT_DIR, `${name}-${viewport}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    files.push(file);
    for (const row of await misalignedRows(page))
      problems.push(`at ${viewport} width, a table row's cells start on different lines (${row})`);
    if (viewport === 'phone') {
      const violations = await seriousA11yViolations(page);
      if (violations.length) problems.push(`serious axe violations: ${JSON.stringify(violations, null, 2)}`);
      const width = await pageWidth(page);
      if (width.scrollWidth > size.width)
        problems.push(`the page is ${width.scrollWidth} px wide, wider than the screen; widest: ${width.widest.join('; ')}`);
      const header = await headerRows(page);
      if (header.rows > 1)
        problems.push(
          `the header's team, balance and account sit on ${header.rows} rows (centres at ${header.centres.join(', ')} px), not one`,
        );
      for (const cell of await spillingLabels(page)) problems.push(`a stacked table's heading spills out of its cell (${cell})`);
      // A table that scrolls sideways hides columns (and their buttons) with nothing on screen saying so.
      for (const table of await sidewaysTables(page))
        problems.push(`the table "${table.name}" is ${table.scrollWidth} px wide in a ${table.clientWidth} px box: it scrolls sideways`);
    }
  }
  if (before) await page.setViewportSize(before);
  if (problems.length) throw new Error(`${name} (see ${files.join(' and ')}):\n${problems.join('\n')}`);
  return files;
}

/** How many rows the header's tools (team switcher, balance, account menu) take: their distinct vertical centres. */
async function headerRows(page: Page): Promise<{ rows: number; centres: number[] }> {
  return page.evaluate(() => {
    const tools = Array.from(document.querySelectorAll('.header-tools > *')).filter((el) => el.getClientRects().length > 0);
    const centres = [
      ...new Set(
        tools.map((el) => {
          const box = el.getBoundingClientRect();
          return Math.round(box.top + box.height / 2);
        }),
      ),
    ];
    // Items of one row are centred on it, give or take a few pixels: a row is centres within 8 px.
    const rows = centres.sort((a, b) => a - b).filter((c, i) => i === 0 || c - centres[i - 1] > 8).length;
    return { rows, centres };
  });
}

/** Stacked table cells (see styles.css `.stackable`) whose column heading is taller than the cell: it spills onto the next line. */
async function spillingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.stackable > tbody > tr > td[data-label]:not([data-label=""])'))
      .filter((td) => td.getClientRects().length > 0 && getComputedStyle(td).display !== 'table-cell')
      .filter((td) => parseFloat(getComputedStyle(td, '::before').height) > td.getBoundingClientRect().height + 0.5)
      .map((td) => `${td.dataset['label']}: ${td.textContent?.trim().slice(0, 40)}`),
  );
}

/**
 * Rows of tables laid out as rows whose cells' first lines of text are more than 3 px apart (the
 * bottom of each cell's first visible character; fonts of a row differ by a pixel or two there).
 */
async function misalignedRows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const firstLineBottom = (cell: Element): number | undefined => {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const at = text.search(/\S/);
        if (at < 0 || node.parentElement?.closest('.visually-hidden')) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const rect = range.getClientRects()[0];
        if (rect && rect.height > 0) return rect.bottom;
      }
      return undefined;
    };
    return Array.from(document.querySelectorAll('tr'))
      .filter((tr) => tr.getClientRects().length > 0 && getComputedStyle(tr).display === 'table-row')
      .flatMap((tr) => {
        const lines = Array.from(tr.cells)
          .map((cell) => ({ cell, bottom: firstLineBottom(cell) }))
          .filter((c): c is { cell: HTMLTableCellElement; bottom: number } => c.bottom !== undefined);
        const bottoms = lines.map((c) => c.bottom);
        if (lines.length < 2 || Math.max(...bottoms) - Math.min(...bottoms) <= 3) return [];
        return [lines.map((c) => `"${c.cell.textContent?.trim().slice(0, 24)}" at ${Math.round(c.bottom)}`).join(', ')];
      });
  });
}

/** The table boxes (TableWrap's regions) whose table is wider than they are. */
async function sidewaysTables(page: Page): Promise<{ name: string; scrollWidth: number; clientWidth: number }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.table-wrap'))
      .filter((wrap) => wrap.getClientRects().length > 0 && wrap.scrollWidth > wrap.clientWidth + 1)
      .map((wrap) => ({ name: wrap.getAttribute('aria-label') ?? '', scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth })),
  );
}

/** The document's scroll width, and the elements reaching furthest right beyond the viewport (to name the culprit). */
async function pageWidth(page: Page): Promise<{ scrollWidth: number; widest: string[] }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    const widest = Array.from(document.body.querySelectorAll('*'))
      .map((el) => ({ el, right: Math.round(el.getBoundingClientRect().right + window.scrollX) }))
      .filter(({ right }) => right > viewport)
      .sort((a, b) => b.right - a.right)
      .slice(0, 5)
      .map(({ el, right }) => `${describe(el)} (right edge ${right} px, in ${el.parentElement ? describe(el.parentElement) : 'nothing'})`);
    return { scrollWidth: document.documentElement.scrollWidth, widest };
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * axe-core run in the page (its source evaluated there, so no request and no CSP exception):
 * the serious and critical violations, WCAG 2 A/AA and best practices.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: (v.impact ?? null) as string | null,
      help: v.help as string,
      targets: (v.nodes as { target: string[] }[]).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The newest mail to `to` in the dev mailbox (the API's /dev/mailbox) whose subject matches, and its first link. */
export async function linkFromMail(t: TestApi, to: string, subject?: RegExp): Promise<string> {
  const mail = (await t.mailbox()).find((m) => m.to === to && (!subject || subject.test(m.subject)));
  const link = mail && /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no mail with a link for ${to}`);
  return link;
}

export const E2E_PASSWORD = 'a long enough passphrase';
let users = 0;

/** A person who signed up (accepting the current privacy policy) and verified their email, through the API; not signed in anywhere. */
export async function aVerifiedUser(t: TestApi, name = 'person'): Promise<{ email: string; password: string }> {
  const email = `${name}.${++users}.${Date.now().toString(36)}@example.test`;
  const client = t.client();
  const { policy } = await client.ok(`{ policy(kind: PRIVACY) { version } }`);
  await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, {
    i: { email, password: E2E_PASSWORD, acceptedPolicyVersion: policy.version },
  });
  await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
    i: { token: await t.tokenFromMail(email), password: E2E_PASSWORD },
  });
  return { email, password: E2E_PASSWORD };
}

/** Rejects optional cookies on the banner when it shows, then signs in with the form; resolves once the dashboard's main navigation shows. */
export async function signInThroughUi(page: Page, user: { email: string; password: string }): Promise<void> {
  if (new URL(page.url()).pathname !== '/sign-in') await page.goto('/sign-in');
  await page.getByRole('region', { name: 'Cookies on Cutout' }).getByRole('button', { name: 'Reject all' }).click();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * A new verified person (see aVerifiedUser) signed in through the form in a fresh visit, on the
 * Remove backgrounds page with the starting balance (10 credits) shown in the header, and a photo
 * to upload (aPhoto).
 */
export async function signedInToRemove(
  e2e: E2e,
  name: string,
): Promise<{
  user: { email: string; password: string };
  visit: Visit;
  page: Page;
  header: Locator;
  photo: { name: string; mimeType: string; buffer: Buffer };
}> {
  const user = await aVerifiedUser(e2e.t, name);
  const visit = await e2e.open('/sign-in');
  const { page } = visit;
  await signInThroughUi(page, user);
  await page.getByRole('heading', { name: 'Remove backgrounds' }).waitFor();
  const header = page.getByRole('banner');
  await header.getByText('10 credits').waitFor();
  return { user, visit, page, header, photo: await aPhoto() };
}

/**
 * A photo to upload: the smallest JPEG of ../shared/eval/images (E2E_PHOTOS_DIR) when that folder
 * exists (a real photo), else one generated by the API's test helpers (a subject on a background),
 * as on a clean clone in CI.
 */
export async function aPhoto(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const folder = path.resolve(ROOT, process.env.E2E_PHOTOS_DIR ?? '../shared/eval/images');
  if (existsSync(folder)) {
    const [smallest] = readdirSync(folder)
      .filter((f) => /\.jpe?g$/i.test(f))
      .map((f) => ({ f, size: statSync(path.join(folder, f)).size }))
      .sort((a, b) => a.size - b.size);
    if (smallest) return { name: smallest.f, mimeType: 'image/jpeg', buffer: readFileSync(path.join(folder, smallest.f)) };
  }
  return { name: 'subject.jpg', mimeType: 'image/jpeg', buffer: await aSubjectImage('jpeg', 480, 360) };
}
