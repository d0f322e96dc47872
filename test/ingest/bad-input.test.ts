import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestSluice, TOKEN, type TestSluice } from './helpers.js';

describe('capture refuses bad input with a 4xx and a reason', () => {
  let sluice: TestSluice;

  beforeAll(async () => {
    sluice = await startTestSluice({ limits: { maxBodyBytes: 256 * 1024, maxEventBytes: 16 * 1024 } });
  });
  afterAll(async () => {
    await sluice.stop();
  });

  const batch = (events: unknown[], token = TOKEN) => JSON.stringify({ api_key: token, batch: events });

  it('refuses an unknown project token with 401', async () => {
    const res = await post(`${sluice.url}/batch`, batch([{ event: 'x', distinct_id: 'a' }], 'phc_wrong'));
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    expect(res.json.detail).toMatch(/token/);
  });

  it('refuses a request without any token with 401', async () => {
    const res = await post(`${sluice.url}/batch`, JSON.stringify({ batch: [{ event: 'x', distinct_id: 'a' }] }));
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('missing_api_key');
  });

  it('refuses malformed JSON with 400 and says so', async () => {
    const res = await post(`${sluice.url}/batch`, '{"api_key": "phc_test_token", "batch": [');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ type: 'validation_error', code: 'invalid_payload' });
    expect(res.json.detail).toMatch(/not valid JSON/);
  });

  it('refuses a truncated gzip body with 400', async () => {
    const gz = gzipSync(batch([{ event: 'x', distinct_id: 'a' }]));
    const res = await post(`${sluice.url}/e`, gz.subarray(0, gz.length - 10), { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/gzip body could not be decompressed/);
  });

  it('refuses an event without a name or a distinct_id', async () => {
    const noName = await post(`${sluice.url}/capture`, JSON.stringify({ api_key: TOKEN, distinct_id: 'a' }));
    expect(noName.status).toBe(400);
    expect(noName.json.code).toBe('missing_event_name');
    const noId = await post(`${sluice.url}/capture`, JSON.stringify({ api_key: TOKEN, event: 'x' }));
    expect(noId.status).toBe(400);
    expect(noId.json.code).toBe('missing_distinct_id');
    const emptyId = await post(`${sluice.url}/capture`, JSON.stringify({ api_key: TOKEN, event: 'x', distinct_id: '' }));
    expect(emptyId.status).toBe(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = batch([{ event: 'x', distinct_id: 'a', properties: { blob: 'x'.repeat(300 * 1024) } }]);
    const res = await post(`${sluice.url}/batch`, big);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('payload_too_large');
  });

  it('refuses a gzip bomb once it decompresses past the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const res = await post(`${sluice.url}/e`, bomb, { 'content-type': 'text/plain' });
    expect(res.status).toBe(413);
    expect(res.json.detail).toMatch(/decompressed body is larger/);
  });

  it('refuses a single event over the event size limit with 413', async () => {
    const res = await post(`${sluice.url}/capture`, JSON.stringify({ api_key: TOKEN, event: 'x', distinct_id: 'a', properties: { blob: 'y'.repeat(20 * 1024) } }));
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('event_too_large');
  });

  it('stores the valid events of a batch and reports the one invalid event', async () => {
    const res = await post(
      `${sluice.url}/batch`,
      batch([
        { event: 'good 1', distinct_id: 'mixed' },
        { event: 'bad', properties: {} },
        { event: 'good 2', distinct_id: 'mixed' },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.json.status).toBe(1);
    expect(res.json.rejected).toEqual([{ index: 1, code: 'missing_distinct_id', detail: 'event has no distinct_id' }]);
    await sluice.settle();
    const names = (await sluice.store.readEvents(0, 1000)).map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(['good 1', 'good 2']));
    expect(names).not.toContain('bad');
  });

  it('refuses a batch whose every event is invalid with 400 listing the reasons', async () => {
    const res = await post(`${sluice.url}/batch`, batch([{ event: 'a' }, { distinct_id: 'b' }]));
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('invalid_payload');
    expect(res.json.rejected).toHaveLength(2);
  });

  it('refuses an empty batch and a body that is not an object', async () => {
    expect((await post(`${sluice.url}/batch`, batch([]))).status).toBe(400);
    expect((await post(`${sluice.url}/batch`, '"just a string"')).status).toBe(400);
    expect((await post(`${sluice.url}/batch`, '')).status).toBe(400);
  });

  it('keeps processing persons after a bad request', async () => {
    await post(`${sluice.url}/batch`, '{not json');
    const ok = await post(`${sluice.url}/batch`, batch([{ event: 'after', distinct_id: 'after-1', properties: { $set: { ok: true } } }]));
    expect(ok.status).toBe(200);
    await sluice.settle();
    const person = await sluice.store.getPersonByDistinctId(sluice.boot.project.id, 'after-1');
    expect(person!.properties.ok).toBe(true);
  });
});
