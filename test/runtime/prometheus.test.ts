import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSluice } from '../../src/cli/start.js';
import { parseMetricsSettings, SluiceMetrics, uuidv7Ms } from '../../src/observability/prometheus.js';
import type { Store } from '../../src/store/store.js';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, startRuntimeSluice, startSink, TOKEN, waitUntil, type Sink } from './helpers.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const BASE_ENV = { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_BOOTSTRAP_API_KEY: API_KEY, SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1' };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

async function scrape(url: string, token?: string): Promise<{ status: number; contentType: string | null; text: string }> {
  const res = await fetch(`${url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

async function capture(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

function webhookTo(sluice: TestSluice, url: string, event: string): Promise<string> {
  return createDestination(sluice, { template_id: 'template-webhook', inputs: { url: { value: url } }, filters: { events: [{ id: event, type: 'events' }] } });
}

describe('Prometheus metrics on the main port (SLUICE_METRICS_TOKEN)', () => {
  let sluice: TestSluice;
  let sink: Sink;
  let flaky: Sink;

  beforeAll(async () => {
    sluice = await startRuntimeSluice({ env: { ...BASE_ENV, SLUICE_METRICS_TOKEN: METRICS_TOKEN } });
    sink = await startSink();
    flaky = await startSink((_request, index) => ({ status: index === 0 ? 503 : 200 }));
  });
  afterAll(async () => {
    await sink.close();
    await flaky.close();
    await sluice.stop();
  });

  it('refuses a missing or wrong token with 401, and answers the right one', async () => {
    expect((await scrape(sluice.url)).status).toBe(401);
    const wrong = await scrape(sluice.url, 'metrics-token-wrong-wrong-wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('SLUICE_METRICS_TOKEN');
    expect((await scrape(sluice.url, API_KEY)).status).toBe(401);
    const right = await scrape(sluice.url, METRICS_TOKEN);
    expect(right.status).toBe(200);
    expect(right.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parse(right.text);
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts captured and rejected events per endpoint, deliveries per destination and outcome, retries, and shows lag and health', async () => {
    const id = await webhookTo(sluice, sink.url, 'ping');
    const flakyId = await webhookTo(sluice, flaky.url, 'flaky');
    const before = parse((await scrape(sluice.url, METRICS_TOKEN)).text);

    // /batch: two pings, one other event (filtered), one flaky (retried once) and one invalid event (no name).
    await sendEvents(sluice, [
      { event: 'ping', distinct_id: 'u1' },
      { event: 'ping', distinct_id: 'u2' },
      { event: 'other', distinct_id: 'u1' },
      { event: 'flaky', distinct_id: 'u1' },
      { distinct_id: 'u3' },
    ]);
    // /e with one event, and the Segment API's /v1/track (write key in Basic auth).
    await capture(sluice.url, '/e', { api_key: TOKEN, event: 'ping', distinct_id: 'u4' });
    await capture(sluice.url, '/v1/track', { event: 'ping', userId: 'u5' }, { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}` });
    await sink.waitFor(4);
    await flaky.waitFor(2, 10_000);

    const samples = await waitUntil('both destinations to finish in the metrics', async () => {
      const all = parse((await scrape(sluice.url, METRICS_TOKEN)).text);
      const done = value(all, 'sluice_deliveries_total', { destination_id: id, outcome: 'succeeded' }) === 4 && value(all, 'sluice_deliveries_total', { destination_id: flakyId, outcome: 'succeeded' }) === 1;
      return done ? all : null;
    });

    // Capture, by route pattern.
    expect(value(samples, 'sluice_events_captured_total', { endpoint: '/batch' })).toBe(4);
    expect(value(samples, 'sluice_events_rejected_total', { endpoint: '/batch' })).toBe(1);
    expect(value(samples, 'sluice_events_captured_total', { endpoint: '/e' })).toBe(1);
    expect(value(samples, 'sluice_events_captured_total', { endpoint: '/v1/track' })).toBe(1);
    expect(value(samples, 'sluice_capture_requests_total', { endpoint: '/batch', status_code: '200' })).toBe(1);
    expect(value(samples, 'sluice_capture_requests_total', { endpoint: '/v1/track', status_code: '200' })).toBe(1);
    expect(samples.some((s) => s.labels.endpoint?.includes('?') || s.labels.endpoint?.includes('api_key'))).toBe(false);

    // Deliveries, by destination and outcome.
    expect(value(samples, 'sluice_deliveries_total', { destination_id: id, outcome: 'triggered' })).toBe(4);
    expect(value(samples, 'sluice_deliveries_total', { destination_id: id, outcome: 'filtered' })).toBe(2);
    expect(value(samples, 'sluice_deliveries_total', { destination_id: id, outcome: 'failed' })).toBeUndefined();
    expect(value(samples, 'sluice_delivery_latency_seconds_count', { destination_id: id, outcome: 'succeeded' })).toBe(4);
    expect(value(samples, 'sluice_delivery_latency_seconds_bucket', { destination_id: id, outcome: 'succeeded', le: '+Inf' })).toBe(4);
    expect(value(samples, 'sluice_fetch_duration_seconds_count', { destination_id: id, result: 'ok' })).toBe(4);
    expect(value(samples, 'sluice_vm_duration_seconds_count', { destination_id: id })).toBe(4);

    // The flaky destination: one 503 retried, then delivered.
    expect(value(samples, 'sluice_invocation_retries_total', { destination_id: flakyId })).toBe(1);
    expect(value(samples, 'sluice_fetch_duration_seconds_count', { destination_id: flakyId, result: 'failed' })).toBe(1);
    expect(value(samples, 'sluice_fetch_duration_seconds_count', { destination_id: flakyId, result: 'ok' })).toBe(1);
    expect(value(samples, 'sluice_delivery_latency_seconds_sum', { destination_id: flakyId, outcome: 'succeeded' })).toBeGreaterThan(0.3);

    // Work done in delivery threads is counted in this thread (their effects are replayed here).
    const threads = sluice.runtime.deliveryThreads;
    if (threads) expect(threads.ranPerThread.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);

    // Pipeline stages in this process: every stored event through persons and matching, and their CPU.
    for (const stage of ['persons', 'matching']) {
      const events = (value(samples, 'sluice_stage_events_total', { stage }) ?? 0) - (value(before, 'sluice_stage_events_total', { stage }) ?? 0);
      expect(events, stage).toBe(6);
      const cpu = value(samples, 'sluice_stage_cpu_seconds_total', { stage });
      expect(cpu, stage).toBeGreaterThanOrEqual(value(before, 'sluice_stage_cpu_seconds_total', { stage }) ?? 0);
    }

    // Scrape-time gauges.
    expect(value(samples, 'sluice_pipeline_lag_events', { partition: '0', stage: 'persons' })).toBe(0);
    expect(value(samples, 'sluice_pipeline_lag_events', { partition: '0', stage: 'matching' })).toBe(0);
    expect(value(samples, 'sluice_invocations', { state: 'queued' })).toBe(0);
    expect(value(samples, 'sluice_invocations', { state: 'running' })).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'sluice_invocations', { state: 'parked' })).toBe(0);
    expect(value(samples, 'sluice_worker_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'sluice_destination_health', { destination_id: id, state: 'healthy' })).toBe(1);
    for (const state of ['degraded', 'disabled_temporarily', 'disabled_permanently']) {
      expect(value(samples, 'sluice_destination_health', { destination_id: id, state })).toBe(0);
    }
    expect(value(samples, 'sluice_destination_health', { destination_id: flakyId, state: 'healthy' })).toBe(1);
  });

  it('counts refused capture requests by status code', async () => {
    const res = await fetch(`${sluice.url}/batch?token=phc_nobody`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"batch":[]}' });
    expect(res.status).toBe(401);
    const samples = parse((await scrape(sluice.url, METRICS_TOKEN)).text);
    expect(value(samples, 'sluice_capture_requests_total', { endpoint: '/batch', status_code: '401' })).toBe(1);
  });
});

describe('Prometheus metrics on a separate port (SLUICE_METRICS_PORT)', () => {
  let sluice: TestSluice;
  let sink: Sink;

  beforeAll(async () => {
    // In the main thread (no delivery threads): the VM's memory comes with this build's runner.
    sluice = await startRuntimeSluice({ env: { ...BASE_ENV, SLUICE_METRICS_PORT: '0' }, runtime: { deliveryThreads: 0 } });
    sink = await startSink();
  });
  afterAll(async () => {
    await sink.close();
    await sluice.stop();
  });

  it('answers without auth on its own port, and not at all on the main port without a token', async () => {
    expect(sluice.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await scrape(sluice.url)).status).toBe(404);
    expect((await scrape(sluice.url, METRICS_TOKEN)).status).toBe(404);
    expect((await fetch(`${sluice.metricsUrl}/other`)).status).toBe(404);

    const id = await webhookTo(sluice, sink.url, 'ping');
    await sendEvents(sluice, [{ event: 'ping', distinct_id: 'u1' }]);
    await sink.waitFor(1);
    const samples = await waitUntil('the delivery in the metrics', async () => {
      const res = await scrape(sluice.metricsUrl!);
      expect(res.status).toBe(200);
      const all = parse(res.text);
      return value(all, 'sluice_deliveries_total', { destination_id: id, outcome: 'succeeded' }) === 1 ? all : null;
    });
    expect(value(samples, 'sluice_events_captured_total', { endpoint: '/batch' })).toBe(1);
    expect(value(samples, 'sluice_vm_duration_seconds_count', { destination_id: id })).toBe(1);
    expect(value(samples, 'sluice_vm_memory_bytes_count', { destination_id: id })).toBe(1);
    expect(value(samples, 'sluice_vm_memory_bytes_sum', { destination_id: id })).toBeGreaterThan(0);
    expect(value(samples, 'sluice_destination_health', { destination_id: id, state: 'healthy' })).toBe(1);
    expect(value(samples, 'sluice_delivery_threads_alive')).toBe(0);
  });
});

describe('metrics settings', () => {
  it('are off by default and take a token, a port and a host', () => {
    expect(parseMetricsSettings({})).toEqual({ token: null, port: null, host: '127.0.0.1' });
    expect(parseMetricsSettings({ SLUICE_METRICS_TOKEN: ` ${METRICS_TOKEN} `, SLUICE_METRICS_PORT: '9464', SLUICE_METRICS_HOST: '0.0.0.0' }, 8040)).toEqual({
      token: METRICS_TOKEN,
      port: 9464,
      host: '0.0.0.0',
    });
  });

  it('refuse what cannot be right, naming the setting', () => {
    expect(() => parseMetricsSettings({ SLUICE_METRICS_TOKEN: 'short' })).toThrow(/SLUICE_METRICS_TOKEN must be at least 16 characters/);
    expect(() => parseMetricsSettings({ SLUICE_METRICS_TOKEN: 'with a space in the middle' })).toThrow(/SLUICE_METRICS_TOKEN must be printable ASCII/);
    expect(() => parseMetricsSettings({ SLUICE_METRICS_TOKEN: API_KEY + '_long_enough', SLUICE_BOOTSTRAP_API_KEY: API_KEY + '_long_enough' })).toThrow(/SLUICE_METRICS_TOKEN must be a token of its own/);
    expect(() => parseMetricsSettings({ SLUICE_METRICS_PORT: 'ninety' })).toThrow(/SLUICE_METRICS_PORT must be a port number/);
    expect(() => parseMetricsSettings({ SLUICE_METRICS_PORT: '70000' })).toThrow(/SLUICE_METRICS_PORT must be a port number/);
    expect(() => parseMetricsSettings({ SLUICE_METRICS_PORT: '8040' }, 8040)).toThrow(/SLUICE_METRICS_PORT must differ from the main port/);
    expect(() => parseMetricsSettings({ SLUICE_METRICS_HOST: '0.0.0.0' })).toThrow(/SLUICE_METRICS_HOST is set but SLUICE_METRICS_PORT is not/);
  });

  it('stop a start with a bad setting before anything listens', async () => {
    await expect(startSluice({ dataDir: ':memory:', port: 0, host: '127.0.0.1', env: { ...BASE_ENV, SLUICE_METRICS_PORT: '-1' } })).rejects.toThrow(/SLUICE_METRICS_PORT/);
  });
});

describe('SluiceMetrics hooks', () => {
  it('count parked, skipped and retried runs, VM memory, and show the runtime health states', async () => {
    const store = {
      partitionLag: async (consumers: string[]) =>
        consumers.flatMap((consumer) => [0, 1].map((partition) => ({ consumer, partition, events: (consumer === 'persons' ? 20 : 30) + partition }))),
      countInvocations: async ({ states }: { states: string[] }) => ({ queued: 7, running: 2, parked: 3 })[states[0]!] ?? 0,
      listDestinationHealth: async () => [{ destinationId: 'd-stored', state: 'disabled_permanently' }],
    } as unknown as Store;
    const metrics = new SluiceMetrics({
      store,
      runtime: () => ({
        worker: { busy: 5 },
        health: { stateOf: (id: string) => (id === 'd-live' ? 'degraded' : 'disabled_permanently') },
        registry: { enabledIds: () => ['d-live'], unloadable: () => [{ destinationId: 'd-broken' }] },
        deliveryThreads: { alive: 2 },
      }),
    });
    const createdAt = Date.UTC(2025, 0, 1);
    const id = `${createdAt.toString(16).padStart(12, '0').slice(0, 8)}-${createdAt.toString(16).padStart(12, '0').slice(8)}-7abc-8def-0123456789ab`;
    expect(uuidv7Ms(id)).toBe(createdAt);
    metrics.metric(1, 'd-live', 'parked', 2);
    metrics.metric(1, 'd-live', 'retried', 1);
    metrics.metric(1, 'd-live', 'fetch', 1);
    metrics.ran({ id, destinationId: 'd-live' }, 'skipped', createdAt + 10);
    metrics.ran({ id, destinationId: 'd-live' }, 'failed', createdAt + 1_500);
    metrics.ran({ id: 'not-a-uuid', destinationId: 'd-live' }, 'succeeded', createdAt);
    metrics.observe(1, 'd-live', { kind: 'hog', ms: 3, bytes: 2048 });
    metrics.observe(1, 'd-live', { kind: 'fetch', ms: 10_001, result: 'timeout' });
    metrics.captureObserver('/public/webhooks/:id', 2, 0);

    const samples = parse(await metrics.render());
    const d = { destination_id: 'd-live' };
    expect(value(samples, 'sluice_invocations_parked_total', d)).toBe(2);
    expect(value(samples, 'sluice_invocation_retries_total', d)).toBe(1);
    expect(value(samples, 'sluice_deliveries_total', { ...d, outcome: 'skipped' })).toBe(1);
    expect(samples.some((s) => s.labels.outcome === 'fetch')).toBe(false);
    expect(value(samples, 'sluice_delivery_latency_seconds_sum', { ...d, outcome: 'failed' })).toBe(1.5);
    expect(value(samples, 'sluice_delivery_latency_seconds_count', { ...d, outcome: 'succeeded' })).toBeUndefined();
    expect(value(samples, 'sluice_vm_memory_bytes_bucket', { ...d, le: '1024' })).toBe(0);
    expect(value(samples, 'sluice_vm_memory_bytes_bucket', { ...d, le: '4096' })).toBe(1);
    expect(value(samples, 'sluice_fetch_duration_seconds_bucket', { ...d, result: 'timeout', le: '10' })).toBe(0);
    expect(value(samples, 'sluice_events_captured_total', { endpoint: '/public/webhooks/:id' })).toBe(2);
    expect(value(samples, 'sluice_pipeline_lag_events', { partition: '0', stage: 'persons' })).toBe(20);
    expect(value(samples, 'sluice_pipeline_lag_events', { partition: '1', stage: 'persons' })).toBe(21);
    expect(value(samples, 'sluice_pipeline_lag_events', { partition: '1', stage: 'matching' })).toBe(31);
    expect(value(samples, 'sluice_invocations', { state: 'queued' })).toBe(7);
    expect(value(samples, 'sluice_invocations', { state: 'parked' })).toBe(3);
    expect(value(samples, 'sluice_worker_queue_depth')).toBe(5);
    expect(value(samples, 'sluice_destination_config_invalid', { destination_id: 'd-broken' })).toBe(1);
    expect(value(samples, 'sluice_destination_config_invalid', d)).toBeUndefined();
    expect(value(samples, 'sluice_delivery_threads_alive')).toBe(2);
    expect(value(samples, 'sluice_destination_health', { ...d, state: 'degraded' })).toBe(1);
    expect(value(samples, 'sluice_destination_health', { ...d, state: 'healthy' })).toBe(0);
    expect(value(samples, 'sluice_destination_health', { destination_id: 'd-stored', state: 'disabled_permanently' })).toBe(1);
  });
});
