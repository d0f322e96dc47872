/// <reference lib="dom" />
/**
 * "Import from PostHog" in the web UI, against a real Sluice: paste a realistic PostHog export, preview it
 * (a dry run that changes nothing), import it, see which destinations wait for their secrets, and import
 * again as a no-op. Malformed JSON is refused with a message that says so.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posthogExport } from '../importer/posthog-export.js';
import { apiCall, hasChromium, type Harness, signIn, startHarness } from './helpers.js';

describe.skipIf(!hasChromium)('web UI: import from PostHog', () => {
  let h: Harness;
  let base: string;
  let projectId: number;
  const exported = JSON.stringify({ results: posthogExport() }, null, 2);

  beforeAll(async () => {
    h = await startHarness();
    base = h.sluice.url;
    projectId = h.sluice.boot.project.id;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  const shot = (name: string) => h.page.screenshot({ path: join(h.shots, `${name}.png`), fullPage: true });
  const count = async () => (await apiCall<{ results: unknown[] }>(h.sluice, 'GET', `/api/projects/${projectId}/hog_functions/?type=destination`)).results.length;

  it('opens from the destinations list and refuses malformed JSON with a clear message', async () => {
    const { page } = h;
    await signIn(page, base);
    await page.click('[data-testid=import-from-posthog]');
    await page.waitForURL(new RegExp(`/projects/${projectId}/destinations/import$`));
    await page.getByRole('heading', { name: 'Import from PostHog' }).waitFor();
    await page.fill('[data-testid=import-json]', '{"results": [');
    await page.click('[data-testid=import-preview]');
    expect(await page.locator('[data-testid=import-error]').textContent()).toContain('This is not valid JSON');
    await page.fill('[data-testid=import-json]', '{"name": "not a function"}');
    await page.click('[data-testid=import-preview]');
    expect(await page.locator('[data-testid=import-error]').textContent()).toContain('expected PostHog hog functions');
  });

  it('previews without writing, then imports, listing the destinations that need their secrets', async () => {
    const { page } = h;
    // A PostHog export is large: load it as a file, the way a user brings one across.
    await page.setInputFiles('[data-testid=import-file]', { name: 'hog_functions.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForFunction(() => (document.querySelector('[data-testid=import-json]') as HTMLTextAreaElement).value.length > 1000);
    await page.click('[data-testid=import-preview]');
    const report = page.locator('[data-testid=import-report]');
    await report.getByText('Preview: nothing was changed yet.').waitFor();
    expect(await report.textContent()).toContain('33 will be created');
    expect(await count()).toBe(0);

    await page.click('[data-testid=import-run]');
    await report.getByText('Import finished.').waitFor();
    expect(await report.textContent()).toContain('33 created');
    expect(await count()).toBe(33);
    const needing = page.locator('[data-testid=import-row]', { hasText: 'Needs its secrets' });
    expect(await needing.count()).toBeGreaterThan(0);
    await shot('import-report');

    // The link from a row needing secrets opens that destination.
    await needing.first().getByRole('link', { name: 'set them' }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/destinations/[0-9a-f-]{36}`));
  });

  it('imports the same export again as a no-op', async () => {
    const { page } = h;
    await page.goto(`${base}/projects/${projectId}/destinations/import`);
    await page.setInputFiles('[data-testid=import-file]', { name: 'hog_functions.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForFunction(() => (document.querySelector('[data-testid=import-json]') as HTMLTextAreaElement).value.length > 1000);
    await page.click('[data-testid=import-run]');
    const report = page.locator('[data-testid=import-report]');
    await report.getByText('Import finished.').waitFor();
    expect(await report.textContent()).toContain('33 unchanged');
    expect(await count()).toBe(33);
  });
});
