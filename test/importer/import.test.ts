import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCommand } from '../../src/cli/import.js';
import type { ImportReport } from '../../src/importer/posthog.js';
import { API_KEY, startTestSluice, type TestSluice } from '../ingest/helpers.js';
import { posthogExport, startFakePostHog, type FakePostHog } from './posthog-export.js';

const POSTHOG_KEY = 'phx_fake_posthog_personal_key';

async function api(sluice: TestSluice, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sluice.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Runs `sluice import posthog …` in this process and returns its exit code and output. */
async function runImportCli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await importCommand(['posthog', ...args], {});
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}

describe('importing hog functions from PostHog', () => {
  let sluice: TestSluice;
  let posthog: FakePostHog;
  const sluiceArgs = () => ['--sluice', sluice.url, '--sluice-key', API_KEY];
  const hostArgs = () => ['--host', posthog.url, '--api-key', POSTHOG_KEY, '--posthog-project', '42'];

  beforeAll(async () => {
    sluice = await startTestSluice();
    posthog = await startFakePostHog(POSTHOG_KEY);
  });
  afterAll(async () => {
    await posthog.close();
    await sluice.stop();
  });

  it('dry-runs a PostHog project read page by page, writing nothing', async () => {
    const { code, out } = await runImportCli([...hostArgs(), ...sluiceArgs(), '--dry-run']);
    expect(posthog.requests.length).toBe(4);
    expect(posthog.requests.every((r) => r.authorization === `Bearer ${POSTHOG_KEY}`)).toBe(true);
    expect(out).toContain('Dry run: 33 created, 0 updated, 0 unchanged, 2 skipped, 1 failed');
    expect(out).toContain('would create');
    expect(code).toBe(2);
    expect(await sluice.store.listDestinations(1)).toHaveLength(0);
  });

  it('imports every destination with its own code, inputs, filters, masking and mappings', async () => {
    const { out } = await runImportCli([...hostArgs(), ...sluiceArgs()]);
    expect(out).toContain('33 created, 0 updated, 0 unchanged, 2 skipped, 1 failed');
    expect(out).toMatch(/error\s+Broken code \(PostHog [^)]+\) — hog: /);
    expect(out).toMatch(/skipped\s+GeoIP enrichment .*only destinations are imported/);
    const list = await api(sluice, 'GET', '/api/projects/1/hog_functions/');
    expect(list.json.count).toBe(33);
    const results = list.json.results as Record<string, unknown>[];
    const ads = results.find((d) => d.name === 'Ads conversions 29')!;
    expect(ads.mappings).toHaveLength(2);
    expect((ads.mappings as { name: string }[]).map((m) => m.name)).toEqual(['Purchase', 'Lead']);
    const chat = results.find((d) => d.name === 'Notify #growth')!;
    expect(chat.masking).toMatchObject({ ttl: 3600, hash: '{person.id}' });
    expect(chat.template_id).toBeNull();
    const hook = results.find((d) => d.name === 'Webhook for purchase')!;
    expect(hook.template_id).toBe('template-webhook');
    expect(hook.hog).toBe((posthogExport()[2] as { hog: string }).hog);
    expect(hook.filters).toMatchObject({ events: [{ id: 'purchase', type: 'events' }] });
  });

  it('imports functions whose secrets were not exported disabled, and lists those secrets', async () => {
    const report = (await api(sluice, 'POST', '/api/projects/1/hog_functions/import/?dry_run=true', { results: posthogExport() })).json as unknown as ImportReport;
    const needing = report.results.filter((r) => r.needs_secrets);
    expect(needing.map((r) => r.name)).toEqual([...Array.from({ length: 8 }, (_, i) => `CRM contact sync ${21 + i}`), ...Array.from({ length: 5 }, (_, i) => `Ads conversions ${29 + i}`)]);
    expect(needing[0]!.needs_secrets).toEqual(['inputs.api_key']);
    for (const r of needing) expect((await sluice.store.getDestination(1, r.id!))!.enabled).toBe(false);
    // Disabled in PostHog stays disabled; the rest keep PostHog's enabled.
    const webhooks = report.results.filter((r) => r.name.startsWith('Webhook for'));
    expect(webhooks.map((r) => r.enabled)).toEqual(posthogExport().slice(0, 12).map((f) => f.enabled));
  });

  it('test-runs an imported destination with mocked fetch', async () => {
    const [hook] = (await api(sluice, 'GET', '/api/projects/1/hog_functions/?search=purchase')).json.results as { id: string }[];
    const run = await api(sluice, 'POST', `/api/projects/1/hog_functions/${hook!.id}/invocations/`, {
      globals: { event: { event: 'purchase' }, person: { properties: { email: 'ada@example.com' } } },
    });
    expect(run.status).toBe(200);
    expect(run.json.status).toBe('success');
    expect(run.json.requests).toEqual([
      {
        url: 'https://hooks.example.com/in/3',
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Source': 'posthog' },
        body: { name: 'purchase', user: 'ada@example.com', n: 3 },
      },
    ]);
  });

  it('changes nothing when the same export is imported again', async () => {
    const before = await sluice.store.listDestinations(1);
    const { out } = await runImportCli([...hostArgs(), ...sluiceArgs()]);
    expect(out).toContain('0 created, 0 updated, 33 unchanged, 2 skipped, 1 failed');
    const after = await sluice.store.listDestinations(1);
    expect(after.map((d) => [d.id, d.version])).toEqual(before.map((d) => [d.id, d.version]));
  });

  it('keeps a secret set in Sluice and enables the destination as PostHog has it on the next import', async () => {
    const crm = (await api(sluice, 'GET', '/api/projects/1/hog_functions/?search=CRM contact sync 21')).json.results as { id: string; inputs_schema: unknown[] }[];
    const id = crm[0]!.id;
    const patched = await api(sluice, 'PATCH', `/api/projects/1/hog_functions/${id}/`, { inputs: { api_key: { value: 'crm-secret-1' }, email: { value: '{person.properties.email}' }, properties: { value: { plan: '{person.properties.plan}', source: 'posthog' } } } });
    expect(patched.status).toBe(200);
    const report = (await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', posthogExport())).json as unknown as ImportReport;
    const item = report.results.find((r) => r.id === id)!;
    expect(item).toMatchObject({ status: 'updated', enabled: true });
    expect(item.needs_secrets).toBeUndefined();
    const again = (await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', posthogExport())).json as unknown as ImportReport;
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 33 });
  });

  it('reports a renamed function as an update of the same destination', async () => {
    const functions = posthogExport();
    functions[0]!.name = 'Pageviews to the warehouse';
    const dry = (await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', { results: functions, dry_run: true })).json as unknown as ImportReport;
    expect(dry.counts).toMatchObject({ created: 0, updated: 1, unchanged: 32 });
    expect((await api(sluice, 'GET', '/api/projects/1/hog_functions/?search=warehouse')).json.count).toBe(0);
    const real = (await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', [functions[0]])).json as unknown as ImportReport;
    expect(real.results[0]).toMatchObject({ status: 'updated', name: 'Pageviews to the warehouse' });
    expect((await api(sluice, 'GET', '/api/projects/1/hog_functions/?search=warehouse')).json.count).toBe(1);
  });

  it('imports one function given on its own', async () => {
    const one = { ...posthogExport()[0]!, id: 'single-function-id', name: 'Single' };
    const report = (await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', one)).json as unknown as ImportReport;
    expect(report.results).toEqual([expect.objectContaining({ status: 'created', name: 'Single', posthog_id: 'single-function-id' })]);
  });

  describe('hostile input', () => {
    it.each([
      ['a string', '"hello"'],
      ['a number', '42'],
      ['an object that is not a function', '{"foo": 1}'],
      ['malformed JSON', '{"results": ['],
    ])('refuses %s with a 400', async (_what, body) => {
      const res = await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', body);
      expect(res.status).toBe(400);
    });

    it('refuses more functions than one import may hold with a 400 naming the limit', async () => {
      const res = await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', Array.from({ length: 1001 }, () => ({})));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain('at most 1000 functions');
    });

    it('refuses a body over 20 MB with a 413', async () => {
      const res = await fetch(`${sluice.url}/api/projects/1/hog_functions/import/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ id: 'x', hog: 'a'.repeat(21 * 1024 * 1024) }]),
      });
      expect(res.status).toBe(413);
    });

    it('refuses deeply nested JSON with a 400', async () => {
      const res = await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
      expect(res.status).toBe(400);
    });

    it('refuses a function with deeply nested inputs with a 400 naming the nesting', async () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < 2000; i++) deep = { d: deep };
      const bad = { ...posthogExport()[1]!, id: 'deep-inputs', inputs: { url: { value: 'https://x.example' }, body: { value: deep } } };
      const good = { ...posthogExport()[1]!, id: 'fine-next-to-deep', name: 'Fine' };
      const res = await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', [bad, good]);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain('nested deeper than 64 levels');
      expect((await api(sluice, 'GET', '/api/projects/1/hog_functions/?search=Fine')).json.count).toBe(0);
    });

    it('reports functions without an id, and repeated ids, without stopping the import', async () => {
      const fn = posthogExport()[4]!;
      const res = await api(sluice, 'POST', '/api/projects/1/hog_functions/import/', [{ ...fn, id: undefined }, { ...fn, id: 'twice' }, { ...fn, id: 'twice' }, 7]);
      const report = res.json as unknown as ImportReport;
      expect(report.results.map((r) => r.status)).toEqual(['error', 'created', 'error', 'error']);
    });

    it('refuses to follow a next page on another host with the PostHog key', async () => {
      const { fetchPostHogFunctions } = await import('../../src/importer/posthog-client.js');
      const { createServer } = await import('node:http');
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ results: [], next: 'http://attacker.example/api/projects/42/hog_functions/?offset=10' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      await expect(fetchPostHogFunctions({ host: `http://127.0.0.1:${port}`, apiKey: POSTHOG_KEY, projectId: '42' })).rejects.toThrow(/refusing to send the API key/);
      server.close();
    });
  });
});
