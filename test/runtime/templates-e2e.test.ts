/**
 * The webhook, Slack and Discord templates through the whole pipeline: posthog-node → capture →
 * persons → matcher → queue → worker → the real HTTP fetch executor → a local HTTP server.
 * Slack and Discord only accept their own https hosts, so a thin fetcher in front of the real one
 * sends those requests to the local server over plain HTTP, keeping path, headers and body.
 */
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchExecutor, type FetchExecutor } from '../../src/runtime/fetch.js';
import type { TestSluice } from '../ingest/helpers.js';
import { createDestination, startRuntimeSluice, startSink, TOKEN, type Sink } from './helpers.js';

const VENDOR_HOSTS = ['https://hooks.slack.com', 'https://discord.com'];

function routeVendorsTo(sink: Sink, real: FetchExecutor): FetchExecutor {
  return {
    fetch: (request) => {
      const vendor = VENDOR_HOSTS.find((host) => request.url.startsWith(`${host}/`));
      const url = vendor ? sink.url + request.url.slice(vendor.length) : request.url;
      return real.fetch({ ...request, url });
    },
    close: () => real.close(),
  };
}

describe('webhook, Slack and Discord templates end to end', () => {
  let sluice: TestSluice;
  let sink: Sink;
  let real: FetchExecutor;

  beforeAll(async () => {
    sink = await startSink((request) => {
      if (request.path.startsWith('/services/')) return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
      if (request.path.startsWith('/api/webhooks/')) return { status: 204, body: '' };
      return { status: 200 };
    });
    real = createFetchExecutor({ allowList: '127.0.0.1' });
    sluice = await startRuntimeSluice({ runtime: { fetcher: routeVendorsTo(sink, real) } });
  });
  afterAll(async () => {
    await sluice.stop();
    await real.close();
    await sink.close();
  });

  it('delivers each template its matching event with the vendor request shape', async () => {
    await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: { url: { value: `${sink.url}/webhook` }, body: { value: { event: '{event.event}', email: '{person.properties.email}' } } },
      filters: { events: [{ id: 'order placed', type: 'events' }] },
    });
    await createDestination(sluice, {
      template_id: 'template-slack-webhook',
      inputs: {
        webhook_url: { value: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX' },
        text: { value: '{person.properties.email} signed up' },
      },
      filters: { events: [{ id: 'signed up', type: 'events' }] },
    });
    await createDestination(sluice, {
      template_id: 'template-discord',
      inputs: {
        webhook_url: { value: 'https://discord.com/api/webhooks/123456/token-abc' },
        content: { value: 'New order from {person.properties.email}' },
      },
      filters: { events: [{ id: 'order placed', type: 'events' }] },
    });

    const client = new PostHog(TOKEN, { host: sluice.url, flushAt: 1, flushInterval: 0 });
    client.identify({ distinctId: 'ada', properties: { email: 'ada@example.com' } });
    client.capture({ distinctId: 'ada', event: 'signed up' });
    client.capture({ distinctId: 'ada', event: 'order placed' });
    client.capture({ distinctId: 'ada', event: 'ignored event' });
    await client.shutdown();

    await sink.waitFor(3, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.requests).toHaveLength(3);
    const byPath = (prefix: string) => sink.requests.filter((r) => r.path.startsWith(prefix));

    const [webhook] = byPath('/webhook');
    expect(webhook!.json).toEqual({ event: 'order placed', email: 'ada@example.com' });

    const [slack] = byPath('/services/T000/B000/XXXXXXXX');
    expect(slack!.method).toBe('POST');
    expect(slack!.headers['content-type']).toBe('application/json');
    expect((slack!.json as { text: string }).text).toBe('ada@example.com signed up');

    const [discord] = byPath('/api/webhooks/123456/token-abc');
    expect(discord!.method).toBe('POST');
    expect((discord!.json as { content: string }).content).toBe('New order from ada@example.com');
  });
});
