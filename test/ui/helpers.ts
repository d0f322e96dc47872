/**
 * Browser-test harness: a real Sluice in-process on a temp dir and a random port, a local HTTP
 * receiver the destinations deliver to, and Debian's Chromium driven by playwright-core.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startSluice, type RunningSluice, type SluiceOptions } from '../../src/cli/start.js';

export const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const API_KEY = 'phx_ui_test_key';
export const PROJECT_TOKEN = 'phc_ui_test_token';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds the UI once if `dist/ui` is missing (`npm test` builds it already). */
export function ensureUiBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/ui/index.html'))) execSync('npm run build:ui', { cwd: ROOT, stdio: 'inherit' });
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function startReceiver(): Promise<{ url: string; requests: Received[]; server: Server; status: { code: number } }> {
  const requests: Received[] = [];
  const status = { code: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status.code, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server, status };
}

export interface Harness {
  sluice: RunningSluice;
  context: BrowserContext;
  page: Page;
  shots: string;
  /** Console reports of anything the page's Content-Security-Policy blocked. */
  cspViolations: string[];
  close(): Promise<void>;
}

/** `runtime` is passed to Sluice as is (the health tests use a small health policy). */
export async function startHarness(options: { runtime?: SluiceOptions['runtime'] } = {}): Promise<Harness> {
  ensureUiBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
  const sluice = await startSluice({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    logger: false,
    synchronous: 'normal',
    env: { SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_BOOTSTRAP_PROJECT_TOKEN: PROJECT_TOKEN, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1' },
    ...(options.runtime ? { runtime: options.runtime } : {}),
  });
  const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Chromium reports what the Content-Security-Policy blocked as console errors: any is a failure.
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const shots = process.env.SLUICE_UI_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'sluice-shots-'));
  mkdirSync(shots, { recursive: true });
  return {
    sluice,
    context,
    page,
    shots,
    cspViolations,
    async close() {
      await context.close();
      await sluice.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`uncaught errors in the page: ${errors.join('; ')}`);
      if (cspViolations.length > 0) throw new Error(`Content-Security-Policy violations: ${cspViolations.join('; ')}`);
    },
  };
}

export async function apiCall<T>(sluice: RunningSluice, method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${sluice.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Signs in through the form (the key is kept in sessionStorage afterwards). */
export async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('#api-key', API_KEY);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/projects\/\d+\/destinations/);
}

/** Replaces a CodeMirror editor's text through the keyboard, as a user would. */
export async function typeInEditor(page: Page, testId: string, text: string, mode: 'replace' | 'append' = 'replace'): Promise<void> {
  const content = page.locator(`[data-testid="${testId}"] .cm-content`);
  await content.click();
  if (mode === 'replace') {
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
  } else await page.keyboard.press('Control+End');
  await page.keyboard.insertText(text);
}
