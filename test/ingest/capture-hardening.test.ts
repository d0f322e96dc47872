import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../src/api/server.js';
import { post, startTestSluice, TOKEN, type TestSluice } from './helpers.js';

const json = { 'content-type': 'application/json' };

describe('capture refuses one bad event alone and bad bodies clearly', () => {
  let sluice: TestSluice;
  const OTHER = 'phc_other_project';

  beforeAll(async () => {
    sluice = await startTestSluice();
    await sluice.store.createProject({ name: 'other', apiToken: OTHER });
  });
  afterAll(async () => {
    await sluice.stop();
  });

  async function storedNames(): Promise<string[]> {
    await sluice.settle();
    return (await sluice.store.readEvents(0, 100_000)).map((e) => e.event);
  }

  it('rejects an event nested thousands of levels deep with a reason and stores its neighbours', async () => {
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    const body = `{"api_key":"${TOKEN}","batch":[{"event":"before deep","distinct_id":"d"},{"event":"deep","distinct_id":"d","properties":{"deep":${deep}}},{"event":"after deep","distinct_id":"d"}]}`;
    const res = await post(`${sluice.url}/batch`, body);
    expect(res.status).toBe(200);
    expect(res.json.rejected).toEqual([
      { index: 1, code: 'event_too_deep', detail: 'event is nested deeper than 64 levels (at properties.deep.a.a.a.a…)' },
    ]);
    const names = await storedNames();
    expect(names).toEqual(expect.arrayContaining(['before deep', 'after deep']));
    expect(names).not.toContain('deep');
  });

  it('stores U+0000 as U+FFFD in names, ids, keys, values and element chains, on either backend, beside a concurrent request', async () => {
    // A NUL once made Postgres refuse the whole group commit: every request written with it got a 503.
    const nul = {
      api_key: TOKEN,
      batch: [
        {
          event: 'nul\u0000event',
          distinct_id: 'user\u0000x',
          elements_chain: 'a\u0000:text="x"',
          properties: { 'key\u0000': 'v\u0000', list: ['\u0000', { deep: 'x\u0000y' }], literal: '\\u0000 stays', $set: { ['n\u0000']: 1 } },
        },
      ],
    };
    const [withNul, neighbour] = await Promise.all([
      post(`${sluice.url}/batch`, JSON.stringify(nul)),
      post(`${sluice.url}/capture`, JSON.stringify({ api_key: TOKEN, event: 'nul neighbour', distinct_id: 'n' })),
    ]);
    expect(withNul.status).toBe(200);
    expect(neighbour.status).toBe(200);
    await sluice.settle();
    const stored = (await sluice.store.readEvents(0, 100_000)).find((e) => e.event.startsWith('nul'))!;
    expect(stored.event).toBe('nul\uFFFDevent');
    expect(stored.distinct_id).toBe('user\uFFFDx');
    expect(stored.elements_chain).toBe('a\uFFFD:text="x"');
    expect(stored.properties).toMatchObject({ 'key\uFFFD': 'v\uFFFD', list: ['\uFFFD', { deep: 'x\uFFFDy' }], literal: '\\u0000 stays', $set: { 'n\uFFFD': 1 } });
    expect(await storedNames()).toContain('nul neighbour');
  });

  it('accepts an event exactly at the nesting limit and refuses one level more', async () => {
    // The event is level 1 and properties level 2, so 62 objects inside properties reach level 64.
    const nest = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const at = await post(`${sluice.url}/capture`, `{"api_key":"${TOKEN}","event":"at limit","distinct_id":"d","properties":{"x":${nest(62)}}}`);
    expect(at.status).toBe(200);
    const over = await post(`${sluice.url}/capture`, `{"api_key":"${TOKEN}","event":"over limit","distinct_id":"d","properties":{"x":${nest(63)}}}`);
    expect(over.status).toBe(400);
    expect(over.json).toMatchObject({ type: 'validation_error', code: 'event_too_deep' });
  });

  it('refuses a request with more events than the per-request cap and takes one at the cap', async () => {
    const events = (n: number) => `{"api_key":"${TOKEN}","batch":[${Array(n).fill('{"event":"many","distinct_id":"m"}').join(',')}]}`;
    const over = await post(`${sluice.url}/batch`, events(10_001));
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ code: 'too_many_events', detail: 'the request has 10001 events; at most 10000 are taken in one request' });
    expect((await post(`${sluice.url}/batch`, events(10_000))).status).toBe(200);
  });

  it('says a body must be a JSON object when it is a number, null, a boolean, a string or plain text', async () => {
    const bodies: [string, RegExp][] = [
      ['42', /, not a number \(42\)$/],
      ['null', /, not null$/],
      ['true', /, not a boolean \(true\)$/],
      ['"str"', /, not a string \("str"\)$/],
      ['hello', /; the body starts with "hello"$/],
    ];
    for (const [body, ending] of bodies) {
      for (const contentType of ['application/json', 'text/plain']) {
        const res = await post(`${sluice.url}/batch`, body, { 'content-type': contentType });
        expect(res.status, body).toBe(400);
        expect(res.json.code).toBe('invalid_payload');
        expect(res.json.detail, body).toMatch(/^request body must be a JSON object \(one event, or \{"batch": \[\.\.\.\]\}\) or a JSON array of events/);
        expect(res.json.detail, body).toMatch(ending);
      }
    }
  });

  it('still takes the base64 and form bodies posthog-js sends', async () => {
    const batch = JSON.stringify([{ event: 'b64 form', distinct_id: 'f', properties: { token: TOKEN } }]);
    const form = `data=${encodeURIComponent(Buffer.from(batch).toString('base64'))}`;
    expect((await post(`${sluice.url}/e`, form, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    const gzB64 = gzipSync(JSON.stringify({ api_key: TOKEN, batch: [{ event: 'b64 gzip', distinct_id: 'f' }] })).toString('base64');
    expect((await post(`${sluice.url}/e?compression=gzip-js`, gzB64, { 'content-type': 'text/plain' })).status).toBe(200);
    expect(await storedNames()).toEqual(expect.arrayContaining(['b64 form', 'b64 gzip']));
  });

  it('refuses a batch whose events name other project tokens, saying which event names which', async () => {
    const res = await post(
      `${sluice.url}/batch`,
      JSON.stringify({
        api_key: TOKEN,
        batch: [
          { event: 'mixed ok', distinct_id: 'm', properties: { token: TOKEN } },
          { event: 'mixed other', distinct_id: 'm', api_key: OTHER },
          { event: 'mixed third', distinct_id: 'm', properties: { token: 'phc_third' } },
        ],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('mixed_project_tokens');
    expect(res.json.detail).toBe(
      `every event of a request must belong to the request's project token "${TOKEN}": event 1 carries "${OTHER}", event 2 carries "phc_third"`,
    );
    expect(res.json.mismatched).toEqual([
      { index: 1, token: OTHER },
      { index: 2, token: 'phc_third' },
    ]);
    expect(await storedNames()).not.toEqual(expect.arrayContaining(['mixed ok']));
  });

  it('refuses a body token that differs from the token in the URL, and one whose first event differs from the rest', async () => {
    const vsUrl = await post(`${sluice.url}/batch?token=${OTHER}`, JSON.stringify({ api_key: TOKEN, batch: [{ event: 'x', distinct_id: 'm' }] }));
    expect(vsUrl.status).toBe(400);
    expect(vsUrl.json.detail).toMatch(new RegExp(`body names project token "${TOKEN}" but the URL or Authorization header names "${OTHER}"`));
    const array = await post(`${sluice.url}/batch`, JSON.stringify([{ event: 'x', distinct_id: 'm', token: OTHER }, { event: 'y', distinct_id: 'm', token: TOKEN }]));
    expect(array.status).toBe(400);
    expect(array.json.detail).toMatch(new RegExp(`token "${OTHER}": event 1 carries "${TOKEN}"$`));
  });

  it('refuses an unknown token in the URL or Authorization header before decoding the body', async () => {
    // A gzip bomb would be a 413 once inflated; refused first for its token, it is never inflated.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const byQuery = await post(`${sluice.url}/e?token=phc_nobody`, bomb, { 'content-type': 'text/plain' });
    expect(byQuery.status).toBe(401);
    expect(byQuery.json.code).toBe('invalid_api_key');
    const byBearer = await post(`${sluice.url}/i/v1/analytics/events`, bomb, { 'content-type': 'text/plain', authorization: 'Bearer phc_nobody' });
    expect(byBearer.status).toBe(401);
    expect(byBearer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

/**
 * Posts gzip bombs in waves of concurrent requests from a separate process (every fourth with an unknown
 * `?token=`, the rest with no token at all), so the server's event loop serves the flood alone. A bomb is
 * gzip members of 8 MiB each, concatenated: 1 MiB on the wire, 1 GiB inflated, far past the 20 MiB cap.
 * Half are zeros; the other half open with `[` and go on with spaces, so they look like JSON and are
 * inflated up to the cap: only a cap applied while inflating keeps each one to 20 MiB.
 */
async function floodFromChildProcess(url: string, options: { waves: number; perWave: number }): Promise<number[]> {
  const script = `
    import { gzipSync } from 'node:zlib';
    const zeros = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const spaces = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const bombs = [
      Buffer.concat(Array.from({ length: 128 }, () => zeros)),
      Buffer.concat([gzipSync('['), ...Array.from({ length: 128 }, () => spaces)]),
    ];
    const statuses = [];
    for (let wave = 0; wave < ${options.waves}; wave++) {
      const answers = await Promise.all(Array.from({ length: ${options.perWave} }, (_, i) =>
        fetch(process.env.URL + '/e' + (i % 4 === 0 ? '?token=phc_flood' : ''), { method: 'POST', body: bombs[i % 2], headers: { 'content-type': 'text/plain' } })
          .then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 0)));
      statuses.push(...answers);
    }
    process.stdout.write(JSON.stringify(statuses));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  return JSON.parse(out) as number[];
}

describe('capture under load keeps a slot for everyone else', () => {
  let sluice: TestSluice;
  afterEach(async () => {
    await sluice.stop();
  });

  it('answers 503 with Retry-After when every decode slot and queue place is taken', async () => {
    sluice = await startTestSluice({ limits: { maxConcurrentDecodes: 1, maxQueuedDecodes: 0 } });
    // Hold the one decode slot: a request whose token lookup the test lets finish when it wants.
    const lookUp = sluice.store.getProjectByToken.bind(sluice.store);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    sluice.store.getProjectByToken = async (token) => {
      if (token === 'phc_slow') await released;
      return lookUp(token);
    };
    const slow = post(`${sluice.url}/batch`, JSON.stringify({ api_key: 'phc_slow', batch: [{ event: 'x', distinct_id: 'a' }] }));
    await expect.poll(() => sluice.intake.decodeLoad.running).toBe(1);

    const refused = await post(`${sluice.url}/batch`, JSON.stringify({ api_key: TOKEN, batch: [{ event: 'x', distinct_id: 'a' }] }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json).toMatchObject({ type: 'server_error', code: 'unavailable', retry_after: 1 });

    release();
    expect((await slow).status).toBe(401);
    const later = await post(`${sluice.url}/batch`, JSON.stringify({ api_key: TOKEN, batch: [{ event: 'x', distinct_id: 'a' }] }));
    expect(later.status).toBe(200);
  });

  it('keeps /_health answering within a second and memory bounded through a flood of unauthenticated gzip bombs', async () => {
    sluice = await startTestSluice();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);

    // The first request of a client pays for setting the client up: not part of what is measured.
    const warmUp = await fetch(`${sluice.url}/_health`);
    expect(await warmUp.json()).toEqual({ status: 'ok' });
    let flooding = true;
    const probes: { status: number; ms: number }[] = [];
    const probing = (async () => {
      while (flooding) {
        const started = performance.now();
        const res = await fetch(`${sluice.url}/_health`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
        probes.push({ status: res?.status ?? 0, ms: performance.now() - started });
        await res?.text();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const statuses = await floodFromChildProcess(sluice.url, { waves: 2, perWave: 32 });
    flooding = false;
    await probing;
    clearInterval(sampler);

    // 401 for the unknown token, 413 past the cap, 400 for zeros (not JSON), 503 when the queue is full.
    expect(statuses.filter((s) => ![400, 401, 413, 503].includes(s))).toEqual([]);
    expect(statuses).toContain(413);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((p) => p.status !== 200 || p.ms >= 1_000)).toEqual([]);
    expect(rssPeak - rssBefore).toBeLessThan(500 * 1024 * 1024);
    const after = await post(`${sluice.url}/batch`, JSON.stringify({ api_key: TOKEN, batch: [{ event: 'after flood', distinct_id: 'a' }] }), json);
    expect(after.status).toBe(200);
  });
});

describe('the client address behind proxies', () => {
  async function storedIp(sluice: TestSluice, headers: Record<string, string>): Promise<unknown> {
    const res = await post(`${sluice.url}/capture`, JSON.stringify({ api_key: TOKEN, event: 'ip', distinct_id: 'ip' }), { ...json, ...headers });
    expect(res.status).toBe(200);
    await sluice.settle();
    const events = await sluice.store.readEvents(0, 10_000);
    return events.at(-1)!.properties.$ip;
  }

  it('ignores X-Forwarded-For by default, so a client cannot choose its $ip', async () => {
    const sluice = await startTestSluice();
    try {
      expect(await storedIp(sluice, { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.1');
    } finally {
      await sluice.stop();
    }
  });

  it('believes X-Forwarded-For from a proxy named in SLUICE_TRUST_PROXY only', async () => {
    const trusted = await startTestSluice({ env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' } });
    const untrusted = await startTestSluice({ env: { SLUICE_BOOTSTRAP_PROJECT_TOKEN: TOKEN, SLUICE_TRUST_PROXY: '10.0.0.0/8' } });
    try {
      expect(await storedIp(trusted, { 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9');
      expect(await storedIp(untrusted, { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.1');
    } finally {
      await trusted.stop();
      await untrusted.stop();
    }
  });

  it('reads SLUICE_TRUST_PROXY and says what is wrong with a bad value', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy(' 10.0.0.1, 192.168.0.0/16,::1 ,loopback')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'loopback']);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/SLUICE_TRUST_PROXY: '10.0.0.0\/33' is not an IP address, a CIDR range/);
    expect(() => parseTrustProxy('proxy.internal')).toThrow(/'proxy.internal' is not an IP address/);
  });
});
