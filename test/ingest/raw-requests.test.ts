import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestSluice, TOKEN, type TestSluice } from './helpers.js';

/** Requests shaped the way posthog-js 1.x sends them from a browser (see docs/shared facts). */
describe('capture of posthog-js style requests', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    sluice = await startTestSluice();
  });
  afterAll(async () => {
    await sluice.stop();
  });

  async function eventsNamed(name: string) {
    await sluice.settle();
    return (await sluice.store.readEvents(0, 100_000)).filter((e) => e.event === name);
  }

  it('accepts a gzip body sent as text/plain without Content-Encoding, recognised by its magic bytes', async () => {
    const body = gzipSync(
      JSON.stringify({
        api_key: TOKEN,
        batch: [{ uuid: '0190b1d6-0000-7000-8000-000000000001', event: 'js gzip', properties: { distinct_id: 'browser-1', token: TOKEN, $current_url: 'https://x.test/' }, timestamp: new Date().toISOString() }],
      }),
    );
    const res = await post(`${sluice.url}/e/?ip=1&_=${Date.now()}&ver=1.449.0`, body, { 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 1 });
    const [event] = await eventsNamed('js gzip');
    expect(event!.distinct_id).toBe('browser-1');
    expect(event!.properties.token).toBeUndefined();
    const person = await sluice.store.getPersonByDistinctId(sluice.boot.project.id, 'browser-1');
    expect(person!.properties.$initial_current_url).toBe('https://x.test/');
  });

  it('accepts gzip announced by ?compression=gzip-js', async () => {
    const body = gzipSync(JSON.stringify([{ event: 'gzip-js flag', distinct_id: 'b2', properties: { token: TOKEN } }]));
    const res = await post(`${sluice.url}/e/?compression=gzip-js`, body, { 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    expect(await eventsNamed('gzip-js flag')).toHaveLength(1);
  });

  it('accepts a base64 payload in a form data= field', async () => {
    const data = Buffer.from(JSON.stringify({ event: 'form b64', distinct_id: 'b3', properties: { token: TOKEN } })).toString('base64');
    const res = await post(`${sluice.url}/e/`, new URLSearchParams({ data, compression: 'base64' }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    expect(await eventsNamed('form b64')).toHaveLength(1);
  });

  it('accepts URL-encoded JSON in a form data= field', async () => {
    const data = JSON.stringify({ event: 'form json', distinct_id: 'b4', api_key: TOKEN });
    const res = await post(`${sluice.url}/track`, new URLSearchParams({ data }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(await eventsNamed('form json')).toHaveLength(1);
  });

  it('accepts a GET with a base64 data= query parameter', async () => {
    const data = Buffer.from(JSON.stringify({ event: 'get pixel', distinct_id: 'b5', token: TOKEN })).toString('base64');
    const res = await fetch(`${sluice.url}/e/?data=${encodeURIComponent(data)}`);
    expect(res.status).toBe(200);
    expect(await eventsNamed('get pixel')).toHaveLength(1);
  });

  it('answers CORS preflight and adds the allow-origin header to capture responses', async () => {
    const pre = await fetch(`${sluice.url}/e/`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const res = await post(`${sluice.url}/e/`, JSON.stringify({ event: 'cors', distinct_id: 'c', api_key: TOKEN }), {
      'content-type': 'text/plain',
      origin: 'https://shop.example',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('serves every capture path with and without a trailing slash', async () => {
    for (const path of ['/batch', '/capture', '/e', '/i/v0/e', '/track']) {
      for (const suffix of ['', '/']) {
        const res = await post(`${sluice.url}${path}${suffix}`, JSON.stringify({ event: `path ${path}${suffix}`, distinct_id: 'p', api_key: TOKEN }));
        expect(res.status, `${path}${suffix}`).toBe(200);
      }
    }
  });

  it('corrects the client clock with sent_at like PostHog', async () => {
    const clientNow = Date.now() - 3_600_000; // the client clock is an hour behind
    const body = { api_key: TOKEN, sent_at: new Date(clientNow).toISOString(), batch: [{ event: 'skewed', distinct_id: 's', timestamp: new Date(clientNow - 5_000).toISOString() }] };
    await post(`${sluice.url}/batch`, JSON.stringify(body));
    const [event] = await eventsNamed('skewed');
    const delta = Date.now() - Date.parse(event!.timestamp);
    expect(delta).toBeGreaterThan(4_000);
    expect(delta).toBeLessThan(15_000);
  });

  it('stores a retried request only once', async () => {
    const body = JSON.stringify({ api_key: TOKEN, batch: [{ event: 'retried', distinct_id: 'r', uuid: '0190b1d6-0000-7000-8000-0000000000aa' }] });
    expect((await post(`${sluice.url}/batch`, body)).status).toBe(200);
    expect((await post(`${sluice.url}/batch`, body)).status).toBe(200);
    expect(await eventsNamed('retried')).toHaveLength(1);
  });
});
