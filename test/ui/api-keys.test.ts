/// <reference lib="dom" />
/**
 * The API keys page against a real Sluice: create a read-only key for one project, see its value once
 * (copied with the button, gone after "Done" and on reload), use it against the API (reads pass, writes
 * get 403 naming the scope), revoke it after a confirmation, and see the API refuse it at once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../src/api/scopes.js';
import { hasChromium, type Harness, signIn, startHarness } from './helpers.js';

describe.skipIf(!hasChromium)('web UI: personal API keys', () => {
  let h: Harness;
  let base: string;
  let projectId: number;
  let value: string;

  beforeAll(async () => {
    h = await startHarness();
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
    await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const shot = (name: string) => h.page.screenshot({ path: join(h.shots, `${name}.png`), fullPage: true });
  const row = (label: string) => h.page.locator('[data-testid=key-row]', { hasText: label });
  const withKey = (key: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('lists the admin key, marked as the key in use, from the top bar', async () => {
    const { page } = h;
    await signIn(page, base);
    await page.click('[data-testid=nav-api-keys]');
    await page.waitForURL(new RegExp(`/projects/${projectId}/api-keys$`));
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    const admin = row('admin (created on first start)');
    await admin.waitFor();
    expect(await admin.textContent()).toContain('this key');
    expect(await admin.textContent()).toContain('* (everything)');
    expect(await admin.locator('[data-testid=key-status]').textContent()).toBe('Active');
  });

  it('offers exactly the scopes the API knows, and refuses a key without a label', async () => {
    const { page } = h;
    await page.click('[data-testid=new-key]');
    const offered = await page.locator('[data-testid=key-form] input[type=checkbox][data-testid^="scope-"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(offered.sort()).toEqual([...ALL_SCOPES].sort());
    await page.click('[data-testid=create-key]');
    expect(await page.locator('[data-testid=key-form-error]').textContent()).toContain('Give the key a label');
  });

  it('creates a read-only key for one project and shows its value once, with a copy button', async () => {
    const { page } = h;
    await page.fill('#key-label', 'Dashboard reader');
    expect(await page.locator('[data-testid=key-form-error]').count()).toBe(0);
    await page.check('[data-testid="scope-hog_function:read"]');
    // Write includes read: ticking write ticks (and locks) read.
    await page.check('[data-testid="scope-project:write"]');
    expect(await page.isChecked('[data-testid="scope-project:read"]')).toBe(true);
    await page.uncheck('[data-testid="scope-project:write"]');
    await page.check('[data-testid=projects-some]');
    await page.check(`[data-testid=project-${projectId}]`);
    await shot('api-key-form');
    await page.click('[data-testid=create-key]');

    const shown = page.locator('[data-testid=new-key-value] input');
    await shown.waitFor();
    value = await shown.inputValue();
    expect(value).toMatch(/^phx_[A-Za-z0-9]{47}$/);
    await page.click('[data-testid=new-key-value-copy]');
    await page.getByRole('button', { name: /Copy API key/ }).getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    await shot('api-key-created');

    const created = row('Dashboard reader');
    await created.waitFor();
    const text = (await created.textContent())!;
    expect(text).toContain('hog_function:read');
    expect(text).toContain('project:read');
    expect(text).not.toContain('project:write');
    expect(text).toContain('Default project');
    expect(text).toContain(`…${value.slice(-4)}`);
    expect(text).toContain('Never');

    await page.click('[data-testid=created-key-done]');
    await page.locator('[data-testid=created-key]').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(value);
    await page.reload();
    await row('Dashboard reader').waitFor();
    expect(await page.content()).not.toContain(value);
  });

  it('lets the key read but not write, and shows when it was last used', async () => {
    const read = await withKey(value, 'GET', `/api/projects/${projectId}/hog_functions/`);
    expect(read.status).toBe(200);
    const write = await withKey(value, 'POST', `/api/projects/${projectId}/hog_functions/`, { name: 'nope', template_id: 'template-webhook' });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ code: 'permission_denied', required_scope: 'hog_function:write' });
    const keys = await withKey(value, 'GET', '/api/personal_api_keys/');
    expect(keys.status).toBe(403);

    const { page } = h;
    await page.reload();
    await expect.poll(async () => row('Dashboard reader').locator('td').nth(5).textContent()).toBe('just now');
  });

  it('revokes the key only after confirmation, and the API refuses it at once', async () => {
    const { page } = h;
    const target = row('Dashboard reader');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await target.locator('[data-testid=revoke-key]').click();
    expect(await target.locator('[data-testid=key-status]').textContent()).toBe('Active');
    expect((await withKey(value, 'GET', `/api/projects/${projectId}/hog_functions/`)).status).toBe(200);

    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await target.locator('[data-testid=revoke-key]').click();
    await expect.poll(() => target.getAttribute('data-revoked')).toBe('true');
    expect(asked).toContain('Revoke “Dashboard reader”?');
    expect(await target.locator('[data-testid=key-status]').textContent()).toBe('Revoked');
    expect(await target.locator('[data-testid=revoke-key]').count()).toBe(0);
    await shot('api-key-revoked');

    const refused = await withKey(value, 'GET', `/api/projects/${projectId}/hog_functions/`);
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toContain('revoked');
  });
});
