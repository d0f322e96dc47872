/**
 * No secret rests in plaintext: a real Sluice on a real SQLite data directory runs destinations with secret
 * inputs through a retry, two fetches (the suspension saved before the second), a failure and its replay,
 * and a parked invocation's replay — with code that prints, sends and throws the secrets in several
 * encodings. Then every file of the data directory (database, WAL, shared memory; the key file holds only
 * the key) is searched for each secret, raw and in every encoding (`test/helpers/secret-leaks.ts`), while
 * the server runs and again after it stopped.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../src/store/__tests__/backends.js';
import { secretLeaks } from '../helpers/secret-leaks.js';
import type { TestSluice } from '../ingest/helpers.js';
import { API_KEY, createDestination, sendEvents, startRuntimeSluice, startSink, waitUntil, type Sink, type SinkAnswer } from './helpers.js';

const SECRETS = {
  retry: 'rt_secret_Q7f3k9Lm2Xp',
  twoFetches: 'tf_secret_Z8c1v4Bn6Yq',
  replay: 'rp_secret_W5h2j7Kd0Rt',
  parked: 'pk_secret_M3n8b1Vc4Xs',
};

/** Sends the secret in the URL, a Basic-auth header, another header and the body; prints and throws it encoded. */
const HOG = `let auth := base64Encode(f'{inputs.account}:{inputs.token}')
print(f'auth {auth}', base64Encode(inputs.token), encodeURLComponent(inputs.token), inputs.token)
let res := fetch(f'{inputs.url}?key={encodeURLComponent(inputs.token)}', {
  'method': 'POST',
  'headers': {'Authorization': f'Basic {auth}', 'X-Token': inputs.token},
  'body': {'token': inputs.token, 'encoded': base64Encode(f'x{inputs.token}')}
})
if (inputs.second) {
  res := fetch(f'{inputs.url}/second', {'method': 'POST', 'headers': {'Authorization': f'Bearer {inputs.token}'}, 'body': {'first': res.status}})
}
if (res.status >= 400) {
  throw Error(f'refused {res.status} for {auth} {inputs.token}')
}`;


function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Each file of the data directory (the key file aside) with the spellings of each secret found in it. */
function leaksIn(dataDir: string): string[] {
  const leaks: string[] = [];
  for (const file of filesUnder(dataDir)) {
    if (file.endsWith('encryption.key')) continue;
    const bytes = readFileSync(file);
    for (const secret of Object.values(SECRETS)) {
      for (const leak of secretLeaks(bytes, secret)) leaks.push(`${file}: ${secret} as ${leak}`);
    }
  }
  return leaks;
}

describe.skipIf(testBackend() === 'postgres')('secrets at rest in the data directory', () => {
  let sluice: TestSluice;
  const sinks: Sink[] = [];
  let stopped = false;

  beforeAll(async () => {
    sluice = await startRuntimeSluice();
  });
  afterAll(async () => {
    if (!stopped) await sluice.stop();
    else rmSync(sluice.dataDir, { recursive: true, force: true });
    for (const sink of sinks) await sink.close();
  });

  async function newSink(answer: (index: number) => SinkAnswer): Promise<Sink> {
    const sink = await startSink((_request, index) => answer(index));
    sinks.push(sink);
    return sink;
  }

  async function destination(name: keyof typeof SECRETS, url: string, extra: Record<string, unknown> = {}, second = false): Promise<string> {
    return createDestination(sluice, {
      name: `at rest: ${name}`,
      hog: HOG,
      inputs_schema: [
        { key: 'url', type: 'string', required: true },
        { key: 'account', type: 'string', required: true },
        { key: 'token', type: 'string', secret: true, templating: false, required: true },
        { key: 'second', type: 'boolean', default: false },
      ],
      inputs: { url: { value: url }, account: { value: 'acct-42' }, token: { value: SECRETS[name] }, second: { value: second } },
      filters: { events: [{ id: `at-rest-${name}`, type: 'events' }] },
      ...extra,
    });
  }

  async function invocationOf(id: string, ready: (state: string, attempts: number) => boolean, what: string) {
    return waitUntil(what, async () => {
      await sluice.runtime.recorder.flush();
      const [invocation] = await sluice.store.listInvocations(1, id, { limit: 1 });
      return invocation && ready(invocation.state, invocation.attempts) ? invocation : null;
    });
  }

  async function makeDue(invocationId: string): Promise<void> {
    await sluice.store.updateInvocation(invocationId, { state: 'queued', scheduledAt: Date.now() });
    sluice.runtime.worker.wake();
  }

  async function api(method: string, path: string, body: unknown): Promise<void> {
    const res = await fetch(`${sluice.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  it('the leak finder sees a secret hidden in the base64 of a Basic-auth header', () => {
    const header = Buffer.from(`Authorization: Basic ${Buffer.from(`acct-42:${SECRETS.retry}`).toString('base64')}`);
    expect(secretLeaks(Buffer.concat([Buffer.alloc(64, 1), header]), SECRETS.retry)).not.toEqual([]);
  });

  it('runs retries, two fetches, a failure, replays and a parked replay with secrets', async () => {
    const retryAfter = { status: 503, headers: { 'retry-after': '600' } };
    // A retry: the suspension (request with the secret in URL, headers and body) is stored until it is due.
    const retrySink = await newSink((i) => (i === 0 ? retryAfter : { status: 200 }));
    const retry = await destination('retry', `${retrySink.url}/retry`);
    await sendEvents(sluice, [{ event: 'at-rest-retry', distinct_id: 'u' }]);
    const waitingRetry = await invocationOf(retry, (state, attempts) => state === 'queued' && attempts === 1, 'the retry to wait');
    await makeDue(waitingRetry.id);

    // Two fetches: the suspension is saved before the second; the second is retried once.
    const twoSink = await newSink((i) => (i === 1 ? retryAfter : { status: 200 }));
    const two = await destination('twoFetches', `${twoSink.url}/two`, {}, true);
    await sendEvents(sluice, [{ event: 'at-rest-twoFetches', distinct_id: 'u' }]);
    const waitingTwo = await invocationOf(two, (state, attempts) => state === 'queued' && attempts === 1, 'the second fetch to wait');
    await makeDue(waitingTwo.id);

    // A failure stored with its error text, then replayed.
    let replayFails = true;
    const replaySink = await newSink(() => (replayFails ? { status: 500 } : { status: 200 }));
    const replay = await destination('replay', `${replaySink.url}/replay`, { retry_policy: { max_attempts: 1 } });
    await sendEvents(sluice, [{ event: 'at-rest-replay', distinct_id: 'u' }]);
    const failed = await invocationOf(replay, (state) => state === 'failed', 'the failure');
    expect(failed.error).toMatch(/^refused 500 for \*\*\* \*\*\*/);
    replayFails = false;
    await api('POST', `/api/projects/1/hog_functions/${replay}/replay/`, { states: ['failed'] });
    sluice.runtime.worker.wake();

    // A parked invocation keeps its sealed suspension until it is replayed.
    const parkedSink = await newSink((i) => (i === 0 ? retryAfter : { status: 200 }));
    const parked = await destination('parked', `${parkedSink.url}/parked`);
    await sendEvents(sluice, [{ event: 'at-rest-parked', distinct_id: 'u' }]);
    const waitingParked = await invocationOf(parked, (state, attempts) => state === 'queued' && attempts === 1, 'the parked one to wait');
    await sluice.store.updateInvocation(waitingParked.id, { state: 'parked' });
    await api('POST', `/api/projects/1/hog_functions/${parked}/replay/`, { states: ['parked'] });
    sluice.runtime.worker.wake();

    for (const id of [retry, two, replay, parked]) {
      await invocationOf(id, (state) => state === 'succeeded', `destination ${id} to succeed`);
    }
    // The secrets really went out: Basic auth, header and URL carried them.
    expect(retrySink.requests[1]!.headers.authorization).toBe(`Basic ${Buffer.from(`acct-42:${SECRETS.retry}`).toString('base64')}`);
    expect(twoSink.requests.map((r) => r.path)).toEqual([`/two?key=${SECRETS.twoFetches}`, '/two/second', '/two/second']);
    expect(parkedSink.requests).toHaveLength(2);
  });

  it('leaves no secret in any file of the data directory, while running and after a stop', async () => {
    await sluice.runtime.recorder.flush();
    const files = filesUnder(sluice.dataDir).map((file) => file.slice(sluice.dataDir.length + 1));
    expect(files).toEqual(expect.arrayContaining(['sluice.db', 'sluice.db-wal', 'sluice.db-shm']));
    for (const file of files.filter((name) => name.startsWith('sluice.db'))) {
      expect(statSync(join(sluice.dataDir, file)).mode & 0o777, file).toBe(0o600);
    }
    expect(leaksIn(sluice.dataDir)).toEqual([]);
    await sluice.close();
    stopped = true;
    expect(leaksIn(sluice.dataDir)).toEqual([]);
  });
});
