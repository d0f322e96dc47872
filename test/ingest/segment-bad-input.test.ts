import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestSluice, TOKEN, type TestSluice } from './helpers.js';

const basic = (key: string) => ({ 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
const json = { 'content-type': 'application/json' };

describe('the Segment-spec API answers as Segment does and refuses bad input with a 4xx and a reason', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    sluice = await startTestSluice({ limits: { maxBodyBytes: 256 * 1024, maxEventBytes: 16 * 1024, maxEventsPerRequest: 50 } });
  });
  afterAll(async () => {
    await sluice.stop();
  });

  const stored = async (distinctId: string) => {
    await sluice.settle();
    return (await sluice.store.readEvents(0, 10_000)).filter((e) => e.distinct_id === distinctId);
  };

  it('answers {"success": true} on every call path, with or without a trailing slash', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['track', { event: 'Clicked' }],
      ['identify', { traits: { a: 1 } }],
      ['page', { name: 'Home' }],
      ['screen', { name: 'Main' }],
      ['group', { groupId: 'g-raw' }],
      ['alias', { previousId: 'raw-prev' }],
    ];
    for (const [type, fields] of calls) {
      for (const slash of ['', '/']) {
        const res = await post(`${sluice.url}/v1/${type}${slash}`, JSON.stringify({ userId: 'raw-user', ...fields }), basic(TOKEN));
        expect(res.status, `${type}${slash}`).toBe(200);
        expect(res.json).toEqual({ success: true });
      }
    }
    const events = (await stored('raw-user')).map((e) => e.event);
    expect(new Set(events)).toEqual(new Set(['Clicked', '$identify', '$pageview', '$screen', '$groupidentify', '$create_alias']));
  });

  it('takes the one-letter paths and text/plain bodies of Segment\'s browser library', async () => {
    const text = { 'content-type': 'text/plain' };
    const single = await post(`${sluice.url}/v1/t`, JSON.stringify({ writeKey: TOKEN, type: 'track', event: 'Browser Click', anonymousId: 'raw-browser' }), text);
    expect(single.status).toBe(200);
    const batched = await post(`${sluice.url}/v1/b`, JSON.stringify({ batch: [{ writeKey: TOKEN, type: 'page', anonymousId: 'raw-browser', name: 'Docs' }] }), text);
    expect(batched.status).toBe(200);
    expect((await stored('raw-browser')).map((e) => e.event)).toEqual(['Browser Click', '$pageview']);
  });

  it('takes RudderStack\'s import and beacon paths, with the beacon\'s write key in the query string', async () => {
    const body = JSON.stringify({ batch: [{ type: 'track', event: 'Beacon Click', anonymousId: 'raw-beacon' }] });
    const beacon = await post(`${sluice.url}/beacon/v1/batch?writeKey=${TOKEN}`, body, { 'content-type': 'text/plain' });
    expect(beacon.status).toBe(200);
    const imported = await post(`${sluice.url}/v1/import`, body, basic(TOKEN));
    expect(imported.status).toBe(200);
    expect((await stored('raw-beacon')).map((e) => e.event)).toEqual(['Beacon Click', 'Beacon Click']);
    const wrong = await post(`${sluice.url}/beacon/v1/batch?writeKey=phc_wrong`, body, { 'content-type': 'text/plain' });
    expect(wrong.status).toBe(401);
  });

  it('answers a browser preflight and allows the calling origin', async () => {
    const preflight = await fetch(`${sluice.url}/v1/t`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    const res = await fetch(`${sluice.url}/v1/t`, { method: 'POST', headers: { origin: 'https://shop.test', 'content-type': 'text/plain' }, body: JSON.stringify({ writeKey: TOKEN, event: 'x', anonymousId: 'raw-cors' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.test');
  });

  it('answers only once the events are stored', async () => {
    const res = await post(`${sluice.url}/v1/track`, JSON.stringify({ event: 'Durable', userId: 'raw-durable' }), basic(TOKEN));
    expect(res.status).toBe(200);
    // No settle or drain: the 200 itself means committed.
    const events = await sluice.store.readEvents(0, 10_000);
    expect(events.filter((e) => e.distinct_id === 'raw-durable').map((e) => e.event)).toEqual(['Durable']);
  });

  it('corrects the client clock with sentAt', async () => {
    // The client clock is years behind: the event happened 10 s before it was sent, by that clock.
    const body = { sentAt: '2020-01-01T00:00:10.000Z', batch: [{ type: 'track', event: 'Skewed', userId: 'raw-skew', timestamp: '2020-01-01T00:00:00.000Z' }] };
    const before = Date.now();
    expect((await post(`${sluice.url}/v1/batch`, JSON.stringify(body), basic(TOKEN))).status).toBe(200);
    const [event] = await stored('raw-skew');
    const at = Date.parse(event!.timestamp);
    expect(at).toBeGreaterThanOrEqual(before - 10_000 - 1_000);
    expect(at).toBeLessThanOrEqual(Date.now() - 10_000 + 1_000);
  });

  it('takes the write key from the body and a gzip body', async () => {
    const body = gzipSync(JSON.stringify({ writeKey: TOKEN, batch: [{ type: 'track', event: 'Zipped', anonymousId: 'raw-gzip' }] }));
    const res = await post(`${sluice.url}/v1/batch/`, body, { ...json, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect((await stored('raw-gzip')).map((e) => e.event)).toEqual(['Zipped']);
  });

  it('refuses a wrong or missing write key with 401', async () => {
    const event = JSON.stringify({ batch: [{ type: 'track', event: 'x', userId: 'u' }] });
    const wrong = await post(`${sluice.url}/v1/batch`, event, basic('phc_wrong'));
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ code: 'invalid_api_key' });
    expect(wrong.json.detail).toMatch(/write key is not valid/);
    // Refused before the body is read: an oversize body with a wrong key is still a 401.
    const early = await post(`${sluice.url}/v1/batch`, 'x'.repeat(300 * 1024), basic('phc_wrong'));
    expect(early.status).toBe(401);
    expect(early.json.detail).toMatch(/write key is not valid/);
    const missing = await post(`${sluice.url}/v1/batch`, event, json);
    expect(missing.status).toBe(401);
    expect(missing.json.detail).toMatch(/no write key.*Basic auth username.*writeKey/);
    const both = await post(`${sluice.url}/v1/batch`, JSON.stringify({ writeKey: 'phc_other', batch: [] }), basic(TOKEN));
    expect(both.status).toBe(400);
    expect(both.json.detail).toMatch(/different write keys/);
  });

  it('refuses a malformed batch with 400', async () => {
    const cases: [string, RegExp][] = [
      ['{"batch": [', /not valid JSON/],
      ['[{"type": "track"}]', /must be a JSON object/],
      ['{"batch": {"type": "track"}}', /"batch" must be an array/],
      ['{"events": []}', /"batch" must be an array of Segment messages, not missing/],
      ['{"batch": []}', /no events/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(`${sluice.url}/v1/batch`, body, basic(TOKEN));
      expect(res.status, body).toBe(400);
      expect(res.json.detail).toMatch(reason);
    }
  });

  it('rejects an event without userId or anonymousId alone, and the whole request when it is the only one', async () => {
    const mixed = await post(
      `${sluice.url}/v1/batch`,
      JSON.stringify({ batch: [{ type: 'track', event: 'Kept', userId: 'raw-mixed' }, { type: 'track', event: 'Lost' }, { type: 'warp', userId: 'raw-mixed' }] }),
      basic(TOKEN),
    );
    expect(mixed.status).toBe(200);
    expect(mixed.json).toMatchObject({
      success: true,
      rejected: [
        { index: 1, code: 'missing_distinct_id', detail: 'a track call needs a "userId" or an "anonymousId"' },
        { index: 2, code: 'invalid_event' },
      ],
    });
    expect((await stored('raw-mixed')).map((e) => e.event)).toEqual(['Kept']);

    const alone = await post(`${sluice.url}/v1/track`, JSON.stringify({ event: 'Lost' }), basic(TOKEN));
    expect(alone.status).toBe(400);
    expect(alone.json).toMatchObject({ code: 'missing_distinct_id' });
  });

  it('refuses an oversize body with 413, a gzip bomb included', async () => {
    const big = JSON.stringify({ batch: [{ type: 'track', event: 'x', userId: 'u', properties: { blob: 'x'.repeat(300 * 1024) } }] });
    const plain = await post(`${sluice.url}/v1/batch`, big, basic(TOKEN));
    expect(plain.status).toBe(413);
    const bomb = gzipSync(JSON.stringify({ batch: [{ type: 'track', event: 'x', userId: 'u', properties: { blob: ' '.repeat(10 * 1024 * 1024) } }] }));
    const zipped = await post(`${sluice.url}/v1/batch`, bomb, { ...basic(TOKEN), 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(413);
    const many = JSON.stringify({ batch: Array.from({ length: 51 }, () => ({ type: 'track', event: 'x', userId: 'u' })) });
    const tooMany = await post(`${sluice.url}/v1/batch`, many, basic(TOKEN));
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.code).toBe('too_many_events');
    const oneEvent = await post(`${sluice.url}/v1/track`, JSON.stringify({ event: 'x', userId: 'u', properties: { blob: 'x'.repeat(20 * 1024) } }), basic(TOKEN));
    expect(oneEvent.status).toBe(413);
    expect(oneEvent.json.code).toBe('event_too_large');
  });

  it('refuses a deeply nested event with 400 and keeps serving', async () => {
    // Built as text: the test's own JSON.stringify would overflow first.
    const deep = '{"d":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const res = await post(`${sluice.url}/v1/track`, `{"event": "deep", "userId": "raw-deep", "properties": ${deep}}`, basic(TOKEN));
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('event_too_deep');
    const traits = await post(`${sluice.url}/v1/identify`, `{"userId": "raw-deep", "context": ${deep}}`, basic(TOKEN));
    expect(traits.status).toBe(400);
    const ok = await post(`${sluice.url}/v1/track`, JSON.stringify({ event: 'shallow', userId: 'raw-deep' }), basic(TOKEN));
    expect(ok.status).toBe(200);
  });
});
