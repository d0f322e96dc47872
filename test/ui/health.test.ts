/// <reference lib="dom" />
/**
 * Health and replay in the browser against a really failing destination: a webhook destination made in
 * the UI delivers to a local server answering 400 to everything (the template throws on >= 400), so
 * every invocation fails. Sluice runs with a small health bucket (1 000 tokens, 100 per failed
 * invocation, degraded at <= 800, disabled below 0), so 2 failures degrade it and 11 disable it. Nothing
 * is faked in the page: the UI reads `status`, `GET …/health/`, and calls `POST …/enable/` and
 * `POST …/replay/`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import { apiCall, hasChromium, type Harness, PROJECT_TOKEN, signIn, startHarness, startReceiver } from './helpers.js';

interface Status {
  state: string;
  since: string | null;
  reason: string | null;
  until: string | null;
}

describe.skipIf(!hasChromium)('web UI: health and replay of a failing destination', () => {
  let h: Harness;
  let sink: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  let projectId: number;
  let id: string;

  beforeAll(async () => {
    h = await startHarness({ runtime: { health: { policy: healthPolicy({ bucketSize: 1_000, refillPerSecond: 0.5 }) } } });
    sink = await startReceiver();
    sink.status.code = 400;
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
    await signIn(h.page, base);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await new Promise((r) => sink?.server.close(r));
  });

  const shot = (name: string) => h.page.screenshot({ path: join(h.shots, `${name}.png`), fullPage: false });
  const status = async () => (await apiCall<{ status: Status }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${id}/`)).status;
  let sent = 0;
  async function sendPageviews(n: number): Promise<void> {
    const batch = Array.from({ length: n }, () => ({ event: '$pageview', distinct_id: `shopper-${++sent}`, properties: { $current_url: `https://shop.example/p/${sent}` } }));
    const r = await fetch(`${base}/batch/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: PROJECT_TOKEN, batch }) });
    expect(r.status).toBe(200);
  }

  it('creates a webhook destination in the UI; it starts healthy with no history', async () => {
    const { page } = h;
    await page.goto(`${base}/projects/${projectId}/destinations/new/template-webhook`);
    await page.fill('#input-url', `${sink.url}/orders`);
    await page.fill('#destination-name', 'Warehouse webhook');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/destinations\/[0-9a-f-]{36}$/);
    id = page.url().split('/').pop()!;
    await page.getByRole('tab', { name: 'Health' }).click();
    await page.waitForURL(/tab=health/);
    await page.locator('[data-testid=health-history-empty]').waitFor();
    expect(await page.getAttribute('[data-testid=health-state]', 'data-state')).toBe('healthy');
    expect(await page.getAttribute('[data-testid=health-badge]', 'data-state')).toBe('healthy');
    expect(await page.locator('[data-testid=re-enable]').count()).toBe(0);
  });

  it('sees the Health tab turn Degraded while it is open, with the change in the history', async () => {
    const { page } = h;
    await sendPageviews(3);
    await expect.poll(() => page.getAttribute('[data-testid=health-state]', 'data-state'), { timeout: 30_000 }).toBe('degraded');
    expect(sink.requests.length).toBeGreaterThanOrEqual(2);
    expect(sink.requests.every((r) => r.url === '/orders')).toBe(true);
    // The page header's badge follows.
    expect(await page.getAttribute('[data-testid=health-badge]', 'data-state')).toBe('degraded');
    expect(await page.textContent('[data-testid=health-badge]')).toContain('Degraded');
    const change = page.locator('[data-testid=health-change]').first();
    await change.waitFor();
    expect(await change.getAttribute('data-to')).toBe('degraded');
    expect(await change.textContent()).toMatch(/Healthy.*Degraded/);
    expect(await change.textContent()).toContain('status 400');
    expect(await page.textContent('[data-testid=health-reason]')).toContain('status 400');
    // The API agrees.
    expect((await status()).state).toBe('degraded');
  });

  it('shows Degraded in the list', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Destinations', exact: true }).first().click();
    const row = page.locator('[data-testid=destination-row]', { hasText: 'Warehouse webhook' });
    await row.waitFor();
    expect(await row.locator('[data-testid=health-badge]').getAttribute('data-state')).toBe('degraded');
    expect(await row.locator('[data-testid=health-badge]').textContent()).toContain('Degraded');
  });

  it('sees it disabled temporarily, with the banner, the list under Needs attention, then re-enables it to Degraded', async () => {
    const { page } = h;
    await page.goto(`${base}/projects/${projectId}/destinations/${id}?tab=health`);
    await page.locator('[data-testid=health-tab]').waitFor();
    // 3 failures so far cost 300; 8 more empty the bucket. Events sent once it is disabled are parked.
    await sendPageviews(12);
    await expect.poll(() => page.getAttribute('[data-testid=health-state]', 'data-state'), { timeout: 40_000 }).toBe('disabled_temporarily');
    expect(await page.textContent('[data-testid=health-tab]')).toContain('Re-enables at');
    // The health tab explains it itself; the other tabs carry a banner pointing to it.
    expect(await page.locator('[data-testid=disabled-banner]').count()).toBe(0);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[data-testid=disabled-banner]').waitFor();
    expect(await page.textContent('[data-testid=disabled-banner]')).toMatch(/Disabled until \d/);
    await page.getByRole('button', { name: 'Open health' }).click();
    await page.waitForURL(/tab=health/);
    await page.locator('[data-testid=health-history]').waitFor();
    await expect.poll(() => page.locator('[data-testid=health-change]').count()).toBe(2);
    expect(await page.locator('[data-testid=health-change]').first().getAttribute('data-to')).toBe('disabled_temporarily');
    expect(await page.textContent('[data-testid=save]')).toBe('Save & re-enable');
    const s = await status();
    expect(s.state).toBe('disabled_temporarily');
    expect(Date.parse(s.until!) - Date.now()).toBeGreaterThan(8 * 60_000);
    await shot('health');

    // The list puts it first under "Needs attention".
    await page.goto(`${base}/projects/${projectId}/destinations?status=attention`);
    const row = page.locator('[data-testid=destination-row]').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Warehouse webhook');
    expect(await row.locator('[data-testid=health-badge]').getAttribute('data-state')).toBe('disabled_temporarily');
    await shot('destinations-attention');

    // Re-enable through the real enable/ endpoint: back to Degraded, which must prove itself.
    await page.goto(`${base}/projects/${projectId}/destinations/${id}?tab=health`);
    const enableCall = page.waitForResponse((r) => r.url().endsWith(`/hog_functions/${id}/enable/`) && r.request().method() === 'POST');
    await page.click('[data-testid=re-enable]');
    expect((await enableCall).status()).toBe(200);
    await expect.poll(() => page.getAttribute('[data-testid=health-state]', 'data-state')).toBe('degraded');
    expect(await page.locator('[data-testid=disabled-banner]').count()).toBe(0);
    expect(await page.locator('[data-testid=re-enable]').count()).toBe(0);
    expect(await page.getAttribute('[data-testid=health-badge]', 'data-state')).toBe('degraded');
    await expect.poll(() => page.locator('[data-testid=health-change]').count()).toBe(3);
    expect(await page.locator('[data-testid=health-change]').first().textContent()).toContain('Re-enabled by a user');
    expect(await page.textContent('[data-testid=save]')).toBe('Save');
    expect((await status()).state).toBe('degraded');
  });

  it('replays the failed and parked invocations from the Invocations tab once the sink answers 200', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Invocations' }).click();
    await page.waitForURL(/tab=invocations/);
    const rows = page.locator('[data-testid=invocations-tab] tbody tr');
    await rows.first().waitFor();
    const expected = await apiCall<{ count: number }>(h.sluice, 'POST', `/api/projects/${projectId}/hog_functions/${id}/replay/`, { dry_run: true, states: ['failed', 'parked'] });
    expect(expected.count).toBeGreaterThanOrEqual(11);
    await expect.poll(() => rows.count()).toBe(expected.count);
    expect(await page.locator('[data-testid=invocations-tab] tbody .badge', { hasText: 'failed' }).count()).toBeGreaterThanOrEqual(11);
    expect(await page.locator('[data-testid=invocations-tab] tbody').textContent()).toContain('failed with status 400');

    // The destination is fixed: the sink accepts now.
    sink.status.code = 200;
    const before = sink.requests.length;
    const dryRun = page.waitForRequest((r) => r.url().endsWith('/replay/') && r.method() === 'POST');
    await page.click('[data-testid=replay]');
    expect(JSON.parse((await dryRun).postData()!)).toEqual({ dry_run: true, states: ['failed', 'parked'] });
    await page.locator('[data-testid=replay-count]').waitFor();
    expect(await page.getAttribute('[data-testid=replay-count]', 'data-count')).toBe(String(expected.count));
    expect(await page.textContent('[data-testid=replay-run]')).toBe(`Replay ${expected.count}`);
    await shot('invocations');
    // A dry run changes nothing.
    expect(sink.requests.length).toBe(before);

    await page.click('[data-testid=replay-run]');
    await expect.poll(() => page.textContent('[data-testid=replay-message]')).toContain(`${expected.count} invocations queued for replay`);
    await expect.poll(() => sink.requests.length - before, { timeout: 30_000 }).toBe(expected.count);
    // Each once: one request per distinct shopper, none twice.
    const replayed = sink.requests.slice(before).map((r) => (JSON.parse(r.body) as { event: { distinct_id: string } }).event.distinct_id);
    expect(new Set(replayed).size).toBe(expected.count);
    await page.getByText('Nothing failed or parked', { exact: true }).waitFor({ timeout: 15_000 });
    const all = await apiCall<{ results: { state: string }[] }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${id}/invocations/?state=failed,parked`);
    expect(all.results).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.requests.length - before).toBe(expected.count);
  });
});
