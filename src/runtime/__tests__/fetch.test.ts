import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InputValidationError, RetryableError, TemplateError } from '../errors.js';
import {
  allowListFromEnv,
  blockedRangeOf,
  classifyResponse,
  createFetchExecutor,
  errorForResponse,
  parseAllowList,
  parseRetryAfter,
  retryAfterMsOf,
  shouldRetry,
  type FetchExecutor,
  type FetchExecutorOptions,
  type FetchResponse,
} from '../fetch.js';

interface TestServer {
  url: string;
  port: number;
  hits: IncomingMessage[];
  bodies: string[];
  connections: number;
  server: Server;
}

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TestServer> {
  const state = { hits: [] as IncomingMessage[], bodies: [] as string[], connections: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.hits.push(req);
      state.bodies.push(body);
      handler(req, res, body);
    });
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    get hits() {
      return state.hits;
    },
    get bodies() {
      return state.bodies;
    },
    get connections() {
      return state.connections;
    },
  };
}

function executor(options: FetchExecutorOptions = { allowList: '127.0.0.1' }): FetchExecutor {
  const instance = createFetchExecutor(options);
  cleanups.push(() => instance.close());
  return instance;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('fetch executor: bodies', () => {
  it('parses a JSON response body', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true,"n":[1,2]}');
    });
    const response = await executor().fetch({ url: `${server.url}/hook` });
    expect(response).toMatchObject({ status: 200, body: { ok: true, n: [1, 2] }, truncated: false });
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('returns a non-JSON response body as text', async () => {
    const server = await startServer((_req, res) => res.end('plain words'));
    const response = await executor().fetch({ url: server.url });
    expect(response.body).toBe('plain words');
  });

  it('parses text that is JSON even when the content type says text', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end('{"a":1}');
    });
    expect((await executor().fetch({ url: server.url })).body).toEqual({ a: 1 });
  });

  it('JSON-encodes a non-string body and sets the content type', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    await executor().fetch({ url: `${server.url}/in?x=1`, body: { event: 'signed up', n: 2 } });
    expect(server.hits[0]!.method).toBe('POST');
    expect(server.hits[0]!.url).toBe('/in?x=1');
    expect(server.hits[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.bodies[0]!)).toEqual({ event: 'signed up', n: 2 });
  });

  it('keeps a content type the request set and sends a string body as is', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const client = executor();
    await client.fetch({ url: server.url, method: 'put', headers: { 'Content-Type': 'text/csv' }, body: 'a,b' });
    await client.fetch({ url: server.url, body: [1, 2], headers: { 'content-type': 'application/vnd.x+json' } });
    expect(server.hits[0]!.method).toBe('PUT');
    expect(server.hits[0]!.headers['content-type']).toBe('text/csv');
    expect(server.bodies[0]).toBe('a,b');
    expect(server.hits[1]!.headers['content-type']).toBe('application/vnd.x+json');
    expect(server.bodies[1]).toBe('[1,2]');
  });

  it('accepts the Map values the Hog VM may hand over for headers and body', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const headers = new Map([['x-source', 'hog']]) as unknown as Record<string, string>;
    await executor().fetch({ url: server.url, headers, body: new Map<string, unknown>([['a', new Map([['b', 1]])]]) });
    expect(server.hits[0]!.headers['x-source']).toBe('hog');
    expect(JSON.parse(server.bodies[0]!)).toEqual({ a: { b: 1 } });
  });

  it('sends the request headers and a default user agent', async () => {
    const server = await startServer((_req, res) => res.end());
    await executor().fetch({ url: server.url, method: 'GET', headers: { Authorization: 'Bearer abc' } });
    expect(server.hits[0]!.headers.authorization).toBe('Bearer abc');
    expect(server.hits[0]!.headers['user-agent']).toBe('Sluice');
  });

  it('returns every status instead of throwing, 5xx included', async () => {
    const server = await startServer((_req, res) => {
      res.statusCode = 503;
      res.end('{"error":"down"}');
    });
    const response = await executor().fetch({ url: server.url });
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: 'down' });
    expect(shouldRetry(response)).toBe(true);
  });

  it('reuses a keep-alive connection for requests to the same origin', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const client = executor();
    for (let i = 0; i < 20; i++) await client.fetch({ url: server.url });
    expect(server.hits).toHaveLength(20);
    // undici may open a second socket while the first is still finishing its response; never one per request.
    expect(server.connections).toBeLessThanOrEqual(2);
  });
});

describe('fetch executor: limits', () => {
  it('times out when the destination never answers', async () => {
    const server = await startServer(() => {
      /* never answers */
    });
    const started = Date.now();
    const error = await rejection(executor({ allowList: '127.0.0.1', timeoutMs: 200 }).fetch({ url: server.url }));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(shouldRetry(error)).toBe(true);
  });

  it('times out when the body trickles in past the deadline', async () => {
    const server = await startServer((_req, res) => {
      res.write('x');
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await rejection(executor({ allowList: '127.0.0.1', timeoutMs: 300 }).fetch({ url: server.url }));
    expect((error as RetryableError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up at its deadline a request still waiting for a free connection', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('late'), 1_500);
      else res.end('quick');
    });
    const single = executor({ allowList: '127.0.0.1', timeoutMs: 300, connections: 1 });
    const slow = single.fetch({ url: `${server.url}/slow` }).catch((error: unknown) => error);
    const started = Date.now();
    const quick = await single.fetch({ url: `${server.url}/quick` }).catch((error: unknown) => error);
    // It did not wait for the slow request to free the one connection (1.5 s). Usually its own deadline
    // ends it while it waits; when its timer was set a millisecond after the slow one's, the slow one's
    // deadline may free the connection just before, and it is answered: either way, no waiting.
    expect(Date.now() - started).toBeLessThan(1_200);
    if (quick instanceof Error) expect((quick as RetryableError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TIMEOUT');
    else expect((quick as { body: unknown }).body).toBe('quick');
    expect(((await slow) as RetryableError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TIMEOUT');
  });

  it('keeps the 10 second timeout by default', async () => {
    const { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES } = await import('../fetch.js');
    expect(DEFAULT_FETCH_TIMEOUT_MS).toBe(10_000);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(1024 * 1024);
  });

  it('does not follow a redirect and returns the 3xx as is', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/start') {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else res.end('followed');
    });
    const response = await executor().fetch({ url: `${server.url}/start` });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/elsewhere');
    expect(server.hits.map((h) => h.url)).toEqual(['/start']);
    expect(classifyResponse(response.status)).toBe('failure');
  });

  it('joins repeated response headers and lower-cases their names', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Trace', 'abc');
      res.end('{}');
    });
    const response = await executor().fetch({ url: server.url });
    expect(response.headers['set-cookie']).toBe('a=1, b=2');
    expect(response.headers['x-trace']).toBe('abc');
    expect(Object.getPrototypeOf(response.headers)).toBe(Object.prototype);
  });

  it('reads header values byte for byte (Latin-1), as undici and WHATWG fetch do', async () => {
    const server = await startServer((_req, res) => {
      // Node sends this value as UTF-8: the two bytes of é arrive as two characters.
      res.setHeader('X-Name', 'caf\u00e9');
      res.end('{}');
    });
    const response = await executor().fetch({ url: server.url });
    expect(response.headers['x-name']).toBe('caf\u00c3\u00a9');
  });

  it('reads the final response after an informational 1xx one', async () => {
    const server = await startServer((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' }, () => res.end('{"ok":true}'));
    });
    const response = await executor().fetch({ url: server.url });
    expect(response).toMatchObject({ status: 200, body: { ok: true }, truncated: false });
    expect(response.headers.link).toBeUndefined();
  });

  it('truncates an oversize response and stops reading it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const total = 64 * 1024 * 1024;
    let written = 0;
    const server = await startServer((_req, res) => {
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const limit = 256 * 1024;
    const response = await executor({ allowList: '127.0.0.1', maxResponseBytes: limit }).fetch({ url: server.url });
    expect(response.truncated).toBe(true);
    expect(response.body).toHaveLength(limit);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written).toBeLessThan(total / 4);
  });

  it('marks a response exactly at the cap as complete', async () => {
    const server = await startServer((_req, res) => res.end('x'.repeat(1000)));
    const response = await executor({ allowList: '127.0.0.1', maxResponseBytes: 1000 }).fetch({ url: server.url });
    expect(response.truncated).toBe(false);
    expect(response.body).toHaveLength(1000);
  });

  it('turns a connection reset into a retryable network error', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const error = await rejection(executor().fetch({ url: server.url }));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_NETWORK');
    expect(shouldRetry(error)).toBe(true);
  });

  it('turns a refused connection into a retryable network error', async () => {
    const server = await startServer((_req, res) => res.end());
    const url = server.url;
    server.server.closeAllConnections();
    await new Promise((resolve) => server.server.close(resolve));
    const error = await rejection(executor().fetch({ url }));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('fetch executor: request validation', () => {
  it.each([
    ['ftp://example.com/file', 'only http and https'],
    ['javascript:alert(1)', 'only http and https'],
    ['not a url', 'not a valid absolute URL'],
    ['', 'non-empty string'],
    ['http://user:pass@example.com/', 'credentials'],
  ])('refuses the URL %j with a clear error', async (url, message) => {
    const error = await rejection(executor().fetch({ url }));
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_URL_INVALID');
    expect((error as Error).message).toContain(message);
    expect(shouldRetry(error)).toBe(false);
  });

  it('refuses an unknown method and a non-string header', async () => {
    const client = executor();
    const method = await rejection(client.fetch({ url: 'http://127.0.0.1:1/', method: 'CONNECT' }));
    expect((method as InputValidationError).field).toBe('method');
    const header = await rejection(client.fetch({ url: 'http://127.0.0.1:1/', headers: { x: {} as unknown as string } }));
    expect((header as InputValidationError).field).toBe('headers.x');
  });
});

describe('fetch executor: SSRF guard', () => {
  it('refuses loopback unless allow-listed', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const error = await rejection(executor({}).fetch({ url: server.url }));
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TARGET_BLOCKED');
    expect((error as Error).message).toContain('loopback');
    expect((error as Error).message).toContain('SLUICE_FETCH_ALLOW_HOSTS');
    expect(server.hits).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback (localhost)', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const error = await rejection(executor({}).fetch({ url: `http://localhost:${server.port}/` }));
    expect((error as InputValidationError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TARGET_BLOCKED');
    expect((error as Error).message).toMatch(/localhost \(resolved to (127\.0\.0\.1|::1)\)/);
    expect(server.hits).toHaveLength(0);
  });

  it('checks the address DNS returns at connect time, so a rebinding name cannot reach loopback', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const rebinding: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const error = await rejection(
      executor({ lookup: rebinding }).fetch({ url: `http://public-looking.example:${server.port}/` }),
    );
    expect((error as InputValidationError).code).toBe('SLUICE_ERR_RUNTIME_FETCH_TARGET_BLOCKED');
    expect(server.hits).toHaveLength(0);
  });

  it('connects only to the allowed addresses when a name resolves to several', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const mixed: LookupFunction = (_host, _options, callback) =>
      callback(null, [
        { address: '10.1.2.3', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
    const response = await executor({ allowList: '127.0.0.1', lookup: mixed }).fetch({
      url: `http://two.example:${server.port}/`,
    });
    expect(response.status).toBe(200);
  });

  it('allows loopback addresses covered by an allow-listed CIDR', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const response = await executor({ allowList: '10.0.0.0/8, 127.0.0.0/8' }).fetch({ url: server.url });
    expect(response.body).toBe('ok');
  });

  it('allows a host name on the allow list whatever it resolves to', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const response = await executor({ allowList: 'localhost' }).fetch({ url: `http://localhost:${server.port}/` });
    expect(response.body).toBe('ok');
  });

  it('refuses literal private targets before connecting', async () => {
    const client = executor({});
    for (const url of [
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'http://2130706433/',
    ]) {
      const error = await rejection(client.fetch({ url }));
      expect((error as InputValidationError).code, url).toBe('SLUICE_ERR_RUNTIME_FETCH_TARGET_BLOCKED');
    }
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
    ['8.8.8.8', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
  ])('classifies %s as %s', (address, range) => {
    expect(blockedRangeOf(address)).toBe(range);
  });

  it('parses the allow list from the environment and refuses entries it cannot read', () => {
    const list = allowListFromEnv({ SLUICE_FETCH_ALLOW_HOSTS: '127.0.0.1, 10.0.0.0/8,hooks.internal,*.svc.local,fd00::/8' });
    expect([...list.hosts]).toEqual(['hooks.internal']);
    expect(list.suffixes).toEqual(['.svc.local']);
    expect(list.cidrs.map((c) => c.text)).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(() => parseAllowList('10.0.0.0/33')).toThrow(/"10.0.0.0\/33" is neither/);
    expect(() => parseAllowList('http://x')).toThrow(InputValidationError);
    expect(allowListFromEnv({}).cidrs).toEqual([]);
  });
});

describe('classification and Retry-After', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [301, 'failure'],
    [304, 'failure'],
    [400, 'failure'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'failure'],
    [408, 'retryable'],
    [409, 'failure'],
    [422, 'failure'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [504, 'retryable'],
    [599, 'retryable'],
    [600, 'failure'],
    [100, 'failure'],
  ])('classifies status %i as %s', (status, expected) => {
    expect(classifyResponse(status)).toBe(expected);
  });

  it.each([
    ['2', 2000],
    [' 120 ', 120_000],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    [undefined, undefined],
  ])('reads Retry-After %j as %j ms', (value, expected) => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('turns a 429 with Retry-After: 2 into a 2000 ms retry', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '2' });
      res.end('slow down');
    });
    const response = await executor().fetch({ url: server.url });
    expect(response.status).toBe(429);
    expect(shouldRetry(response)).toBe(true);
    expect(retryAfterMsOf(response)).toBe(2000);
    const error = errorForResponse(response);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(2000);
    expect(retryAfterMsOf(error)).toBe(2000);
  });

  it('maps each response class to its delivery outcome', () => {
    const response = (status: number): FetchResponse => ({ status, headers: {}, body: '', truncated: false });
    expect(errorForResponse(response(200))).toBeNull();
    expect(errorForResponse(response(401))).toBeInstanceOf(AuthError);
    const failure = errorForResponse(response(404));
    expect(failure).toBeInstanceOf(TemplateError);
    expect(failure).toMatchObject({ code: 'SLUICE_ERR_RUNTIME_HTTP_FAILURE', status: 404 });
    expect(errorForResponse(response(502))).toMatchObject({ kind: 'retryable', status: 502 });
    expect(shouldRetry(response(404))).toBe(false);
    expect(shouldRetry(new Error('boom'))).toBe(false);
  });
});
