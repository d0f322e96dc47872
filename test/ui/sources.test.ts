/// <reference lib="dom" />
/**
 * Browser tests of webhook sources in the web UI, against a real Sluice: the Sources list beside
 * Destinations with each source's webhook URL and a copy button, the source page reusing the destination
 * page without trigger sections, and the test panel running an example request to show the events it
 * would capture and the answer it would give. Bad test input (malformed JSON, headers that are not an
 * object, an oversize body) is refused with a clear message. Screenshots go to $SLUICE_UI_SCREENSHOTS
 * (or a temp dir).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, hasChromium, type Harness, signIn, startHarness, typeInEditor } from './helpers.js';

/** Answers 400 without a customer; otherwise captures one event and answers 202. */
const SOURCE_HOG = `let body := request.body
if (empty(body.customer)) {
  return {'httpStatus': 400, 'body': {'error': 'customer is required'}}
}
print('payment from', body.customer)
postHogCapture({'event': 'payment_succeeded', 'distinct_id': body.customer, 'properties': {'amount': body.amount, 'via': request.headers['x-demo']}})
return {'httpStatus': 202, 'body': {'received': true}}`;

interface Fn {
  id: string;
  type?: string;
  name: string;
  webhook_url?: string | null;
}

describe.skipIf(!hasChromium)('web UI: webhook sources', () => {
  let h: Harness;
  let base: string;
  let projectId: number;
  let source: Fn;

  beforeAll(async () => {
    h = await startHarness();
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
    await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const shot = (name: string) => h.page.screenshot({ path: join(h.shots, `${name}.png`), fullPage: false });
  const sourcePage = () => `${base}/projects/${projectId}/sources/${source.id}`;

  it('shows Sources beside Destinations in the navigation, with an empty state', async () => {
    const { page } = h;
    await signIn(page, base);
    await page.click('[data-testid=nav-sources]');
    await page.waitForURL(new RegExp(`/projects/${projectId}/sources$`));
    await page.getByText('No sources yet').waitFor();
    expect(await page.locator('nav.topnav a.active').textContent()).toBe('Sources');
    expect(await page.locator('nav.topnav').textContent()).toContain('Destinations');
  });

  it('lists a source created through the API with its health and webhook URL, and copies the URL', async () => {
    const { page } = h;
    source = await apiCall<Fn>(h.sluice, 'POST', `/api/projects/${projectId}/hog_functions/`, { type: 'source_webhook', name: 'Payments webhook', hog: SOURCE_HOG, enabled: true });
    expect(source.type).toBe('source_webhook');
    expect(source.webhook_url).toMatch(new RegExp(`/public/webhooks/${source.id}$`));
    await page.reload();
    const row = page.locator('[data-testid=source-row]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Payments webhook');
    expect(await row.locator('[data-testid=health-badge]').getAttribute('data-state')).toBe('healthy');
    expect(await row.locator('input[role=switch]').isChecked()).toBe(true);
    expect(await row.locator('[data-testid=webhook-url] input').inputValue()).toBe(source.webhook_url);
    await row.locator('[data-testid=webhook-url-copy]').click();
    // "Copied" shows only once the clipboard accepted the text.
    await expect.poll(() => row.locator('[data-testid=webhook-url-copy]').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(source.webhook_url);
    await shot('sources');
  });

  it('keeps sources out of the destinations list', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Destinations', exact: true }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/destinations$`));
    await page.getByText('No destinations yet').waitFor();
    expect(await page.locator('[data-testid=source-row], [data-testid=destination-row]').count()).toBe(0);
  });

  it('opens the source on the shared page without trigger, masking or invocations sections', async () => {
    const { page } = h;
    await page.goto(sourcePage());
    await page.locator('[data-testid=webhook-card]').waitFor();
    expect(await page.locator('[data-testid=source-webhook-url] input').inputValue()).toBe(source.webhook_url);
    expect(await page.locator('.crumbs').textContent()).toContain('Sources');
    expect(await page.locator('#trigger-title').count()).toBe(0);
    expect(await page.locator('#masking-title').count()).toBe(0);
    const tabs = await page.getByRole('tab').allTextContents();
    expect(tabs.map((t) => t.trim())).toEqual(['Configuration', 'Source code', 'Logs', 'Metrics', 'Health']);
    expect(await page.locator('[data-testid=mock-switch]').count()).toBe(0);
    expect(await page.locator('[data-testid=test-event]').count()).toBe(0);
  });

  it('tests an example request and shows the captured events and the response', async () => {
    const { page } = h;
    await page.locator('[data-testid=test-body] .cm-content').waitFor();
    expect(await page.locator('[data-testid=test-body] .cm-content').textContent()).toBe('{}');
    await typeInEditor(page, 'test-body', JSON.stringify({ customer: 'cus_42', amount: 1999 }, null, 2));
    await typeInEditor(page, 'test-headers', JSON.stringify({ 'Content-Type': 'application/json', 'X-Demo': 'ui-test' }));
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=test-result]').waitFor();
    expect(await page.getAttribute('[data-testid=test-result]', 'data-status')).toBe('success');
    expect(await page.textContent('[data-testid=captured-count]')).toBe('1 event would be captured');
    const captured = await page.textContent('[data-testid=captured-event]');
    expect(captured).toContain('payment_succeeded');
    expect(captured).toContain('cus_42');
    expect(captured).toContain('ui-test');
    expect(await page.textContent('[data-testid=test-response]')).toContain('HTTP 202');
    expect(await page.textContent('[data-testid=test-response]')).toContain('received');
    expect(await page.textContent('[data-testid=test-result]')).toContain('payment from cus_42');
    await page.locator('[data-testid=test-panel]').scrollIntoViewIfNeeded();
    await shot('source-test-panel');

    // The code's own refusal shows as its answer, with nothing captured.
    await typeInEditor(page, 'test-body', '{"amount": 5}');
    await page.click('[data-testid=run-test]');
    await expect.poll(() => page.textContent('[data-testid=test-response]').catch(() => null)).toContain('HTTP 400');
    expect(await page.textContent('[data-testid=captured-count]')).toBe('0 events would be captured');
  });

  it('refuses a malformed body, headers that are not an object and an oversize body with a clear message', async () => {
    const { page } = h;
    await typeInEditor(page, 'test-body', '{"customer": ');
    await page.click('[data-testid=run-test]');
    await expect.poll(() => page.textContent('[data-testid=test-panel] [role=alert]').catch(() => null)).toContain('Invalid JSON in the request body');
    expect(await page.locator('[data-testid=test-result]').count()).toBe(0);

    await typeInEditor(page, 'test-body', '{"customer": "cus_1"}');
    await typeInEditor(page, 'test-headers', '["x-demo"]');
    await page.click('[data-testid=run-test]');
    await expect.poll(() => page.textContent('[data-testid=test-panel] [role=alert]').catch(() => null)).toContain('must be a JSON object');

    await typeInEditor(page, 'test-headers', '{}');
    await typeInEditor(page, 'test-body', JSON.stringify({ customer: 'cus_1', padding: 'x'.repeat(2 * 1024 * 1024) }));
    await page.click('[data-testid=run-test]');
    await expect.poll(() => page.textContent('[data-testid=test-panel] .banner-bad').catch(() => null), { timeout: 20_000 }).toMatch(/could not run.*\S/s);
    expect(await page.locator('[data-testid=test-result]').count()).toBe(0);
  });

  it('saves an edit from the page, and shows a real request to the webhook URL in logs and metrics', async () => {
    const { page } = h;
    await page.goto(sourcePage());
    await page.fill('#destination-name', 'Payments webhook (live)');
    await page.click('[data-testid=save]');
    await page.getByText('Saved.').waitFor();
    const stored = await apiCall<Fn>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${source.id}/`);
    expect(stored.name).toBe('Payments webhook (live)');
    expect(stored.type).toBe('source_webhook');

    // The advertised URL uses the configured public address; this test server listens elsewhere.
    const r = await fetch(`${base}/public/webhooks/${source.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-demo': 'live' }, body: JSON.stringify({ customer: 'cus_7', amount: 500 }) });
    expect(r.status).toBe(202);

    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.waitForURL(/tab=logs/);
    await expect.poll(async () => (await page.locator('[data-testid=logs-tab]').textContent()) ?? '', { timeout: 20_000 }).toContain('payment from cus_7');
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.waitForURL(/tab=metrics/);
    await page.locator('[data-testid=metrics-tab]').waitFor();
  });

  it('offers only source templates in the New source gallery', async () => {
    const { page } = h;
    await page.goto(`${base}/projects/${projectId}/sources/new`);
    await page.getByRole('heading', { name: 'New source' }).waitFor();
    const templates = await apiCall<{ results: { id: string; type?: string }[] }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_function_templates/?type=source_webhook`);
    const ids = templates.results.filter((t) => t.type === 'source_webhook').map((t) => t.id);
    if (ids.length > 0) await page.locator('[data-testid=gallery] a').first().waitFor();
    const hrefs = await page.locator('[data-testid=gallery] a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBe(ids.length);
    for (const href of hrefs) expect(href).toMatch(new RegExp(`/projects/${projectId}/sources/new/`));
    expect(await page.locator('[data-testid=template-template-webhook]').count()).toBe(0);
    await shot('source-gallery');
  });


  it('creates a source from the generic webhook template and shows its URL once created', async () => {
    const { page } = h;
    await page.click('[data-testid=template-template-source-webhook]');
    await page.waitForURL(/\/sources\/new\/template-source-webhook$/);
    await page.getByText('The public URL appears here once the source is created.').waitFor();
    // The panel starts from the template's example request (its first fixture).
    await page.locator('[data-testid=test-body] .cm-content', { hasText: 'order placed' }).waitFor();
    await typeInEditor(page, 'test-body', '{"event": "signed_up", "distinct_id": "user-9", "properties": {"plan": "pro"}}');
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=test-result]').waitFor();
    expect(await page.getAttribute('[data-testid=test-result]', 'data-status')).toBe('success');
    expect(await page.textContent('[data-testid=captured-event]')).toContain('signed_up');
    expect(await page.textContent('[data-testid=save]')).toBe('Create & enable');
    await page.click('[data-testid=save]');
    await page.waitForURL(new RegExp(`/projects/${projectId}/sources/[0-9a-f-]{36}$`));
    const id = /sources\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    expect(await page.locator('[data-testid=source-webhook-url] input').inputValue()).toMatch(new RegExp(`/public/webhooks/${id}$`));
    const stored = await apiCall<Fn>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${id}/`);
    expect(stored.type).toBe('source_webhook');
    await page.getByRole('link', { name: 'Sources', exact: true }).first().click();
    await expect.poll(() => page.locator('[data-testid=source-row]').count()).toBe(2);
  });
});
