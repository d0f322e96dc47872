/**
 * The hostile-code corpus against a real `sluice start` (child process, SQLite, two delivery threads):
 * every case runs as a test run and through real delivery. Each must fail alone with a clear error while
 * `/_health` keeps answering within a second, and a normal destination keeps delivering afterwards.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exited, freePort, startCli, waitHealthy } from '../helpers/cli.js';
import { API_KEY, startSink, TOKEN, waitUntil, type Sink } from '../runtime/helpers.js';
import { CAPTURE_LOOP_HOG, HOSTILE_CASES, type HostileCase } from './corpus.js';

const HEADERS = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

/** Probes `/_health` every 100 ms; every probe must answer 200 within a second. */
class HealthProbe {
  readonly failures: string[] = [];
  probes = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;

  constructor(private readonly url: string) {}

  start(): void {
    this.timer = setInterval(() => void this.probe(), 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async probe(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    const started = Date.now();
    try {
      const res = await fetch(`${this.url}/_health`, { signal: AbortSignal.timeout(1_000) });
      if (res.status !== 200) this.failures.push(`status ${res.status}`);
    } catch (error) {
      this.failures.push(`no answer within 1 s after ${Date.now() - started} ms: ${(error as Error).message}`);
    } finally {
      this.probes++;
      this.inFlight = false;
    }
  }
}

async function api<T = Record<string, unknown>>(url: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? { headers: { authorization: HEADERS.authorization } } : { headers: HEADERS, body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text === '' ? {} : JSON.parse(text)) as T };
}

async function capture(url: string, event: string, properties: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${url}/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: TOKEN, batch: [{ uuid: randomUUID(), event, distinct_id: 'hostile', properties }] }),
  });
  expect(res.status).toBe(200);
}

function eventFilter(name: string, config: Record<string, unknown>): Record<string, unknown> {
  const filters = (config.filters ?? {}) as Record<string, unknown>;
  return { ...filters, events: [{ id: name, type: 'events' }] };
}

/** Code cases fetch `inputs.url`: in real delivery it points at the sink, so every fetch succeeds. */
function towardsSink(config: Record<string, unknown>, url: string): Record<string, unknown> {
  const inputs = config.inputs as Record<string, unknown> | undefined;
  return inputs && 'url' in inputs ? { inputs: { ...inputs, url: { value: url } } } : {};
}

interface InvocationRow {
  state: string;
  error: string | null;
  attempts: number;
}

describe('hostile destinations against a running Sluice', () => {
  let dataDir: string;
  let sink: Sink;
  let server: ChildProcess;
  let url: string;
  let probe: HealthProbe;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-hostile-'));
    sink = await startSink();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = startCli(dataDir, port, { SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1', SLUICE_DELIVERY_THREADS: '2' });
    await waitHealthy(url, server);
    probe = new HealthProbe(url);
    probe.start();
  }, 60_000);

  afterAll(async () => {
    probe?.stop();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await exited(server);
    }
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('as test runs', () => {
    it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s fails the test run with a clear error', async (_name, hostile: HostileCase) => {
      const { status, json } = await api<{ status: string; errors: string[] }>(url, '/api/projects/1/hog_functions/new/invocations/', {
        method: 'POST',
        body: { configuration: { name: hostile.name, ...hostile.config }, mock_async_functions: true },
      });
      expect(status).toBe(200);
      expect(json.status).not.toBe('success');
      expect(json.errors.join('\n')).toMatch(hostile.error);
    });
  });

  describe('through real delivery', () => {
    it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s fails only its own event', async (_name, hostile: HostileCase) => {
      const eventName = `hostile ${randomUUID()}`;
      const created = await api<{ id: string }>(url, '/api/projects/1/hog_functions/', {
        method: 'POST',
        body: { name: hostile.name, enabled: true, ...hostile.config, ...towardsSink(hostile.config, sink.url), filters: eventFilter(eventName, hostile.config) },
      });
      expect(created.status).toBe(201);
      const id = created.json.id;
      await capture(url, eventName);

      if (hostile.fails === 'invocation') {
        const failed = await waitUntil(`a failed invocation of ${hostile.name}`, async () => {
          const { json } = await api<{ results: InvocationRow[] }>(url, `/api/projects/1/hog_functions/${id}/invocations/`);
          return json.results.find((i) => i.state === 'failed');
        });
        expect(failed.error).toMatch(hostile.error);
      } else {
        await waitUntil(`a filtering_failed metric of ${hostile.name}`, async () => {
          const { json } = await api<{ totals: Record<string, number> }>(url, `/api/projects/1/hog_functions/${id}/metrics/?name=filtering_failed`);
          return (json.totals.filtering_failed ?? 0) >= 1;
        });
        const { json: logs } = await api<{ results: { message: string }[] }>(url, `/api/projects/1/hog_functions/${id}/logs/`);
        expect(logs.results.map((l) => l.message).join('\n')).toMatch(hostile.error);
      }
      await api(url, `/api/projects/1/hog_functions/${id}/`, { method: 'DELETE' });
    });

    it('bounds postHogCapture amplification: one event cannot grow into more than a hundred', async () => {
      const created = await api<{ id: string }>(url, '/api/projects/1/hog_functions/', {
        method: 'POST',
        body: {
          name: 'capture loop',
          enabled: true,
          hog: CAPTURE_LOOP_HOG,
          filters: { events: [{ id: 'hostile loop', type: 'events' }] },
        },
      });
      expect(created.status).toBe(201);
      const id = created.json.id;
      await capture(url, 'hostile loop');
      const invocations = async () => (await api<{ results: InvocationRow[] }>(url, `/api/projects/1/hog_functions/${id}/invocations/?limit=1000`)).json.results;
      // Quiet: nothing queued or running, and the count unchanged over a second.
      let last = -1;
      await waitUntil('the capture loop to stop', async () => {
        const rows = await invocations();
        // Parked counts as settled: 100 failures of 100 tokens each may disable the destination by health.
        const settled = rows.every((r) => ['succeeded', 'failed', 'parked', 'skipped'].includes(r.state)) && rows.length === last;
        last = rows.length;
        if (!settled) await new Promise((r) => setTimeout(r, 1_000));
        return settled;
      }, 60_000);
      const rows = await invocations();
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.length).toBeLessThanOrEqual(101);
      expect(rows.some((r) => r.state === 'failed')).toBe(true);
      await api(url, `/api/projects/1/hog_functions/${id}/`, { method: 'DELETE' });
    }, 90_000);

    it('keeps delivering normal events afterwards, and answered /_health within a second throughout', async () => {
      const created = await api<{ id: string }>(url, '/api/projects/1/hog_functions/', {
        method: 'POST',
        body: {
          template_id: 'template-webhook',
          enabled: true,
          inputs: { url: { value: sink.url }, body: { value: { uuid: '{event.uuid}' } } },
          filters: { events: [{ id: 'normal', type: 'events' }] },
        },
      });
      expect(created.status).toBe(201);
      await capture(url, 'normal');
      await sink.waitFor(1, 30_000);
      expect(server.exitCode).toBeNull();
      expect(probe.probes).toBeGreaterThan(10);
      expect(probe.failures).toEqual([]);
    });
  });
});
