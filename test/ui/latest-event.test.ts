/// <reference lib="dom" />
/**
 * The test panel's "Latest matching event": it replaces the synthetic example with the project's latest
 * captured event that the destination's saved filters match, person included, and the test runs on it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, hasChromium, type Harness, PROJECT_TOKEN, signIn, startHarness } from './helpers.js';

describe.skipIf(!hasChromium)('web UI: the latest matching event in the test panel', () => {
  let h: Harness;
  let base: string;
  let projectId: number;

  beforeAll(async () => {
    h = await startHarness();
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
    const batch = [
      { event: 'order_placed', distinct_id: 'buyer-1', properties: { total: 5, $set: { email: 'small@example.com' } } },
      { event: 'order_placed', distinct_id: 'buyer-2', properties: { total: 250, $set: { email: 'big@example.com' } } },
      { event: 'order_placed', distinct_id: 'buyer-3', properties: { total: 7 } },
    ];
    const r = await fetch(`${base}/batch/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: PROJECT_TOKEN, batch }) });
    expect(r.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('loads the newest event the saved filters match, with its person, and runs the test on it', async () => {
    const { page } = h;
    const created = await apiCall<{ id: string }>(h.sluice, 'POST', `/api/projects/${projectId}/hog_functions/`, {
      name: 'Big orders',
      hog: "print(f'order of {event.properties.total} by {person.properties.email}')",
      inputs_schema: [],
      inputs: {},
      filters: { events: [{ id: 'order_placed', type: 'events', properties: [{ key: 'total', value: '100', operator: 'gt', type: 'event' }] }] },
    });
    await signIn(page, base);
    // The person profile is written after capture: wait until the API sees it, as the panel would.
    await expect
      .poll(async () => (await apiCall<{ results: unknown[] }>(h.sluice, 'GET', `/api/projects/${projectId}/events/?hog_function=${created.id}`)).results.length, { timeout: 20_000 })
      .toBe(1);
    await page.goto(`${base}/projects/${projectId}/destinations/${created.id}`);
    await page.click('[data-testid=latest-event]');
    const editor = page.locator('[data-testid=test-event] .cm-content');
    await expect.poll(() => editor.textContent(), { timeout: 10_000 }).toContain('buyer-2');
    expect(await editor.textContent()).toContain('big@example.com');
    await page.click('[data-testid=run-test]');
    await page.locator('[data-testid=test-result]').waitFor();
    await expect.poll(() => page.locator('[data-testid=test-panel]').textContent(), { timeout: 10_000 }).toContain('order of 250 by big@example.com');
    await page.screenshot({ path: join(h.shots, 'latest-event.png') });
  });
});
