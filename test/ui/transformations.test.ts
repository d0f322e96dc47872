/// <reference lib="dom" />
/**
 * Browser tests of transformations in the web UI, against a real Sluice: the Transformations list in the
 * order they run, moved up and down; the shared function page with filters but no masking; and the test
 * panel showing the example event before and after side by side as a diff — for the transformation on
 * its own, and for the project's whole chain with the unsaved code in its place. Screenshots go to
 * $SLUICE_UI_SCREENSHOTS (or a temp dir).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, hasChromium, type Harness, signIn, startHarness, typeInEditor } from './helpers.js';

interface Fn {
  id: string;
  name: string;
  type?: string;
  execution_order?: number | null;
}

const TAG = "let e := event\ne.properties.tagged := true\nreturn e";

describe.skipIf(!hasChromium)('web UI: transformations', () => {
  let h: Harness;
  let base: string;
  let projectId: number;
  let hashing: Fn;
  let tagging: Fn;

  beforeAll(async () => {
    h = await startHarness();
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const shot = (name: string) => h.page.screenshot({ path: join(h.shots, `${name}.png`), fullPage: false });
  const create = (body: Record<string, unknown>) => apiCall<Fn>(h.sluice, 'POST', `/api/projects/${projectId}/hog_functions/`, { type: 'transformation', ...body });
  const names = () => h.page.locator('[data-testid=transformation-row] .dest-name').allTextContents();
  const storedOrder = async () =>
    (await apiCall<{ results: Fn[] }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/?type=transformation`)).results.map((f) => f.name);

  it('shows Transformations in the navigation, with an empty state', async () => {
    const { page } = h;
    await signIn(page, base);
    await page.click('[data-testid=nav-transformations]');
    await page.waitForURL(new RegExp(`/projects/${projectId}/transformations$`));
    await page.getByText('No transformations yet').waitFor();
    expect(await page.locator('nav.topnav a.active').textContent()).toBe('Transformations');
    expect(await page.locator('[data-testid=import-from-posthog]').count()).toBe(0);
  });

  it('lists transformations in the order they run and moves one up', async () => {
    const { page } = h;
    hashing = await create({ name: 'Hash emails', template_id: 'template-pii-hashing', inputs: { salt: { value: 'ui-test-salt' } } });
    tagging = await create({ name: 'Tag events', hog: TAG });
    await page.reload();
    await page.locator('[data-testid=transformation-row]').nth(1).waitFor();
    expect(await names()).toEqual(['Hash emails', 'Tag events']);
    expect(await page.locator('[data-testid=order]').allTextContents()).toEqual(['1', '2']);
    await page.getByRole('button', { name: 'Move Tag events up' }).click();
    await expect.poll(storedOrder).toEqual(['Tag events', 'Hash emails']);
    await expect.poll(names).toEqual(['Tag events', 'Hash emails']);
    await shot('transformations');
    // And back, so the chain below runs hashing first.
    await page.getByRole('button', { name: 'Move Tag events down' }).click();
    await expect.poll(storedOrder).toEqual(['Hash emails', 'Tag events']);
  });

  it('opens a transformation with filters and the identity switch, but no masking or invocations', async () => {
    const { page } = h;
    await page.goto(`${base}/projects/${projectId}/transformations/${hashing.id}`);
    await page.locator('#trigger-title').waitFor();
    expect(await page.locator('.crumbs').textContent()).toContain('Transformations');
    expect(await page.locator('#masking-title').count()).toBe(0);
    expect(await page.locator('[data-testid=allow-identity-changes]').count()).toBe(1);
    expect(await page.locator('[data-testid=mock-switch]').count()).toBe(0);
    const tabs = (await page.getByRole('tab').allTextContents()).map((t) => t.trim());
    expect(tabs).not.toContain('Invocations');
  });

  it('shows the event before and after side by side as a diff', async () => {
    const { page } = h;
    const example = { event: { event: 'signed up', distinct_id: 'user-1', properties: { email: 'ann@example.com', plan: 'growth' } } };
    await typeInEditor(page, 'test-event', JSON.stringify(example, null, 2));
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=event-diff]').waitFor();
    expect(await page.getAttribute('[data-testid=test-result]', 'data-status')).toBe('success');
    const email = page.locator('[data-testid=diff-row][data-path="properties.email"]');
    expect(await email.getAttribute('data-change')).toBe('changed');
    expect(await email.locator('.diff-before').textContent()).toBe('"ann@example.com"');
    expect(await email.locator('.diff-after').textContent()).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await page.locator('[data-testid=diff-row][data-path="properties.plan"]').getAttribute('data-change')).toBe('same');
    expect(await page.textContent('[data-testid=diff-summary]')).toBe('1 field changed.');
    expect(await page.textContent('[data-testid=test-panel]')).not.toContain('ui-test-salt');
    await page.locator('[data-testid=test-panel]').scrollIntoViewIfNeeded();
    await shot('transformation-diff');
  });

  it('runs the whole chain with the unsaved code in its place', async () => {
    const { page } = h;
    // An unsaved edit: also set `checked`; the chain then adds `tagged` after it.
    await page.getByRole('tab', { name: 'Source code' }).click();
    const edited = `${(await apiCall<{ hog: string }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${hashing.id}/`)).hog.replace('return returnEvent', "returnEvent.properties.checked := true\nreturn returnEvent")}`;
    await typeInEditor(page, 'hog-editor', edited);
    await page.click('[data-testid=chain-switch]');
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=chain-outcomes]').waitFor();
    expect(await page.locator('[data-testid=chain-outcomes] li strong').allTextContents()).toEqual(['Hash emails', 'Tag events']);
    expect(await page.locator('[data-testid=diff-row][data-path="properties.checked"]').getAttribute('data-change')).toBe('added');
    expect(await page.locator('[data-testid=diff-row][data-path="properties.tagged"]').getAttribute('data-change')).toBe('added');
    await shot('transformation-chain');
    // Nothing was saved.
    expect((await apiCall<{ hog: string }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/${hashing.id}/`)).hog).not.toContain('checked');
  });

  it('shows a dropped event and a failing transformation clearly', async () => {
    const { page } = h;
    const dropper = await create({ name: 'Drop all', hog: 'return null', enabled: false });
    await page.goto(`${base}/projects/${projectId}/transformations/${dropper.id}`);
    await page.click('[data-testid=run-test]');
    await expect.poll(() => page.textContent('[data-testid=diff-summary]').catch(() => null)).toContain('The event is dropped');

    await page.getByRole('tab', { name: 'Source code' }).click();
    await typeInEditor(page, 'hog-editor', "let e := event\ne.distinct_id := 'someone-else'\nreturn e");
    await page.click('[data-testid=run-test]');
    await expect.poll(() => page.getAttribute('[data-testid=test-result]', 'data-status').catch(() => null)).toBe('error');
    expect(await page.textContent('[data-testid=test-result] .errors')).toContain('allow_identity_changes');
    expect(await page.textContent('[data-testid=diff-summary]')).toBe('The event is unchanged.');
    expect(tagging.id).toBeTruthy();
  });
});
