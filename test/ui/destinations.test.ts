/// <reference lib="dom" />
/**
 * End-to-end browser tests of the web UI against a real Sluice: sign in, create a webhook destination
 * from the template, test it with mocks, save and enable it, send an event, see the delivery in logs
 * and metrics; validation and compile errors where they belong; secrets never in the page; narrow
 * screens. Health and replay against a really failing destination are in health.test.ts. Screenshots go
 * to $SLUICE_UI_SCREENSHOTS (or a temp dir).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, apiCall, hasChromium, type Harness, PROJECT_TOKEN, type Received, startHarness, startReceiver, typeInEditor } from './helpers.js';

describe.skipIf(!hasChromium)('web UI', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  let projectId: number;
  let destinationId: string;

  beforeAll(async () => {
    h = await startHarness();
    receiver = await startReceiver();
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await new Promise((r) => receiver?.server.close(r));
  });

  const shot = (name: string) => h.page.screenshot({ path: join(h.shots, `${name}.png`), fullPage: false });

  it('refuses a wrong key with the API error, then signs in with the right one', async () => {
    const { page } = h;
    await page.goto(`${base}/`);
    await page.fill('#api-key', 'phx_wrong');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid=signin-error]')).toContain('personal API key is not valid');
    await shot('signin');
    await page.fill('#api-key', API_KEY);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/projects/${projectId}/destinations$`));
    await page.getByText('No destinations yet').waitFor();
    // The admin key lasts for the browser session only: never in localStorage.
    expect(await page.evaluate(() => sessionStorage.getItem('sluice.apiKey'))).toBe(API_KEY);
    expect(await page.evaluate(() => localStorage.getItem('sluice.apiKey'))).toBeNull();
  });

  it('serves the SPA on deep links without shadowing the API or capture', async () => {
    const deep = await fetch(`${base}/projects/${projectId}/destinations/abc?tab=logs`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
    const api = await fetch(`${base}/api/projects/`);
    expect(api.status).toBe(401);
    expect((await fetch(`${base}/_health`)).status).toBe(200);
    const icon = await fetch(`${base}/static/icons/webhook.svg`);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
    const batch = await fetch(`${base}/batch/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: PROJECT_TOKEN, batch: [] }) });
    expect(batch.headers.get('content-type')).toContain('application/json');
  });

  it('serves the UI with a strict Content-Security-Policy, a fresh style nonce per page, and no framing', async () => {
    const [first, second] = await Promise.all([fetch(`${base}/`), fetch(`${base}/projects/${projectId}/destinations`)]);
    const policy = first.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(await first.text()).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('finds the webhook template in the gallery, with search and category kept in the URL', async () => {
    const { page } = h;
    await page.click('[data-testid=new-destination]');
    await page.waitForURL(/\/destinations\/new$/);
    await page.locator('[data-testid=gallery] a').first().waitFor();
    await shot('gallery');
    await page.fill('input[aria-label="Search templates"]', 'zzzz-nothing');
    await page.getByText('No templates match').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Custom', exact: true }).click();
    await page.waitForURL(/category=Custom/);
    await page.fill('input[aria-label="Search templates"]', 'webhook');
    await page.waitForURL(/search=webhook/);
    await page.click('[data-testid=template-template-webhook]');
    await page.waitForURL(/\/destinations\/new\/template-webhook/);
    await page.locator('#input-url').waitFor();
    // Defaults from the template are filled in.
    expect(await page.inputValue('#input-method')).toBe('POST');
    expect(await page.inputValue('#destination-name')).toBe('HTTP Webhook');
  });

  it('shows a required-field error on the field and in the summary', async () => {
    const { page } = h;
    await page.click('[data-testid=save]');
    await page.locator('[data-testid="error-inputs.url"]').waitFor();
    expect(await page.textContent('[data-testid=error-summary]')).toContain('required');
    // The first error gets the focus.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('input-url');
  });

  it('validates templates live, and lands a server error beside its field', async () => {
    const { page } = h;
    await page.fill('#input-url', `${receiver.url}/hook/{event.name`);
    await expect.poll(() => page.locator('[data-testid="error-inputs.url"]').textContent()).toMatch(/Unclosed|at 1:/);
    // Saving anyway: the API answers 400 with attr inputs.url.value, shown on the same field.
    await page.click('[data-testid=save]');
    await expect.poll(() => page.textContent('[data-testid=error-summary]')).toContain('at 1:');
    expect(await page.locator('[data-field="inputs.url"] .field-error').count()).toBe(1);
    await shot('validation-error');
    // Editing clears it.
    await page.fill('#input-url', `${receiver.url}/hook/{event.event}`);
    await expect.poll(() => page.locator('[data-testid="error-inputs.url"]').count()).toBe(0);
  });

  it('tests the unsaved form with mocked HTTP and shows the mocked request', async () => {
    const { page } = h;
    expect(await page.isChecked('#mock-http')).toBe(true);
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=test-result]').waitFor();
    expect(await page.getAttribute('[data-testid=test-result]', 'data-status')).toBe('success');
    const request = await page.textContent('[data-testid=test-request]');
    expect(request).toContain(`${receiver.url}/hook/$pageview`);
    expect(request).toContain('POST');
    expect(await page.textContent('[data-testid=test-result]')).toContain('Mocked: nothing sent');
    expect(receiver.requests).toHaveLength(0);
    // Turning mocks off warns.
    await page.click('[data-testid=mock-switch]');
    await page.locator('[data-testid=live-warning]').waitFor();
    await page.click('[data-testid=mock-switch]');
    await page.locator('[data-testid=test-panel]').scrollIntoViewIfNeeded();
    await shot('test-panel');
  });

  it('underlines a compile error in the Hog editor and blocks saving until fixed; edits survive tab switches', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: /Source code/ }).click();
    await page.waitForURL(/tab=code/);
    await typeInEditor(page, 'hog-editor', '\nlet broken := (\n', 'append');
    await page.locator('[data-testid=hog-editor] .cm-lintRange-error').first().waitFor();
    // The editor's injected <style> carries the page's nonce, so its theme applies under the CSP.
    expect(await page.locator('[data-testid=hog-editor] .cm-editor').evaluate((el) => getComputedStyle(el).flexDirection)).toBe('column');
    expect(h.cspViolations).toEqual([]);
    await expect.poll(() => page.textContent('[data-testid=compile-status]')).toMatch(/1 problem/);
    expect(await page.textContent('[data-testid=problems]')).toMatch(/\d+:\d+/);
    await shot('code-error');
    await page.click('[data-testid=save]');
    expect(page.url()).toContain('/new/template-webhook');
    // Fix it: undo the typing.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Z');
    await expect.poll(() => page.textContent('[data-testid=compile-status]'), { timeout: 10_000 }).toContain('Compiles');
    await page.getByRole('tab', { name: 'Configuration' }).click();
    expect(await page.inputValue('#input-url')).toBe(`${receiver.url}/hook/{event.event}`);
  });

  it('creates and enables the destination; the URL switches to its id', async () => {
    const { page } = h;
    expect(await page.textContent('[data-testid=save]')).toBe('Create & enable');
    // Log requests and responses, so successful deliveries leave log lines.
    await page.getByText('Log requests and responses').click();
    expect(await page.isChecked('#input-debug')).toBe(true);
    await page.focus('#destination-name');
    await page.fill('#destination-name', 'Orders webhook');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/destinations\/[0-9a-f-]{36}$/);
    destinationId = page.url().split('/').pop()!;
    await page.locator('[data-testid=health-badge]').waitFor();
    expect(await page.getAttribute('[data-testid=health-badge]', 'data-state')).toBe('healthy');
    expect(await page.textContent('[data-testid=save]')).toBe('Save');
    expect(await page.isDisabled('[data-testid=save]')).toBe(true);
    const saved = await apiCall<{ enabled: boolean; name: string }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${destinationId}/`);
    expect(saved).toMatchObject({ enabled: true, name: 'Orders webhook' });
    await shot('destination');
  });

  it('delivers a real event and shows it in logs and metrics', async () => {
    const { page } = h;
    const r = await fetch(`${base}/batch/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: PROJECT_TOKEN, batch: [{ event: '$pageview', distinct_id: 'ui-user-1', properties: { $current_url: 'https://shop.example/checkout' } }] }),
    });
    expect(r.status).toBe(200);
    await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const delivered = receiver.requests[0] as Received;
    expect(delivered.url).toBe('/hook/$pageview');
    expect(JSON.parse(delivered.body).event.distinct_id).toBe('ui-user-1');

    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.waitForURL(/tab=logs/);
    await page.locator('[data-testid=log-row]').first().waitFor({ timeout: 20_000 });
    await shot('logs');
    // Filter by the invocation of the first row.
    const invocationButton = page.locator('[data-testid=log-row] button[title="Show only this invocation"]').first();
    if ((await invocationButton.count()) > 0) {
      await invocationButton.click();
      await page.waitForURL(/invocation=/);
      await page.locator('[data-testid=log-row]').first().waitFor();
    }

    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.waitForURL(/tab=metrics/);
    await expect.poll(async () => (await page.locator('[data-testid=metric-succeeded] .tile-value').count()) > 0 ? page.textContent('[data-testid=metric-succeeded] .tile-value') : null, { timeout: 20_000 }).toBe('1');
    await page.getByRole('button', { name: 'By day' }).click();
    await page.waitForURL(/interval=day/);
    await page.locator('[data-testid=metric-succeeded]').waitFor();
    await page.getByRole('button', { name: 'By hour' }).click();
    await page.locator('svg.chart').first().waitFor();
    await shot('metrics');

    await page.getByRole('tab', { name: 'Invocations' }).click();
    await page.locator('[data-testid=invocations-tab]').waitFor();
    await page.getByText('Nothing failed or parked').waitFor();

    // The list shows the destination with its 24 h sparkline counting the delivery.
    await page.getByRole('link', { name: 'Destinations', exact: true }).first().click();
    await page.locator('[data-testid=destination-row]').first().waitFor();
    await expect.poll(() => page.locator('[data-testid=destination-row] .spark-counts .ok').textContent(), { timeout: 20_000 }).toBe('1');
    await shot('destinations');
  });

  it('keeps the list search in the URL and offers Clear filters', async () => {
    const { page } = h;
    await page.fill('input[aria-label="Search destinations"]', 'no-such-thing');
    await page.waitForURL(/search=no-such-thing/);
    await page.getByText('No destinations match').waitFor();
    await page.reload();
    expect(await page.inputValue('input[aria-label="Search destinations"]')).toBe('no-such-thing');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('[data-testid=destination-row]').first().waitFor();
  });

  it('never puts a stored secret in the page; Replace then Cancel keeps it', async () => {
    const { page } = h;
    const secret = 'sk_live_ultra_secret_4242';
    const created = await apiCall<{ id: string }>(h.sluice, 'POST', `/api/projects/${projectId}/hog_functions/`, {
      name: 'Secret hook',
      template_id: 'template-webhook',
      hog: "fetch(inputs.url, {'method': 'POST', 'headers': {'Authorization': f'Bearer {inputs.token}'}})",
      inputs_schema: [
        { key: 'url', type: 'string', label: 'URL', required: true },
        { key: 'token', type: 'string', label: 'API token', secret: true, required: true },
      ],
      inputs: { url: { value: `${receiver.url}/secret` }, token: { value: secret } },
    });
    await page.goto(`${base}/projects/${projectId}/destinations/${created.id}`);
    await page.locator('[data-testid=secret-token]').waitFor();
    expect(await page.textContent('[data-testid=secret-token]')).toContain('Secret stored');
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('button', { name: 'Replace API token' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-testid=secret-token]').waitFor();
    // A test run uses the stored secret and redacts it.
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=test-result]').waitFor();
    expect(await page.content()).not.toContain(secret);
    // Saving untouched keeps it.
    await page.fill('#destination-description', 'with a token');
    await page.click('[data-testid=save]');
    await expect.poll(() => page.isDisabled('[data-testid=save]')).toBe(true);
    expect(await page.content()).not.toContain(secret);
    await page.click('[data-testid=mock-switch]');
    await page.click('[data-testid=run-test]');
    await expect.poll(() => receiver.requests.some((r) => r.url === '/secret')).toBe(true);
    expect(receiver.requests.find((r) => r.url === '/secret')!.headers.authorization).toBe(`Bearer ${secret}`);
    expect(await page.content()).not.toContain(secret);
    await page.click('[data-testid=mock-switch]');
  });

  it('lays out on a narrow screen without horizontal scrolling', async () => {
    const { page } = h;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/projects/${projectId}/destinations`);
    await page.locator('[data-testid=destination-row]').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('narrow-destinations');
    await page.goto(`${base}/projects/${projectId}/destinations/${destinationId}`);
    await page.locator('#input-url').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('narrow-destination');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('signs out when the key is revoked (401) and shows the sign-in page', async () => {
    const { page } = h;
    await page.evaluate(() => sessionStorage.setItem('sluice.apiKey', 'phx_revoked'));
    await page.goto(`${base}/projects/${projectId}/destinations`);
    await page.locator('#api-key').waitFor();
  });
});
