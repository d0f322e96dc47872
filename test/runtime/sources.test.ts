import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthPolicy } from '../../src/runtime/health.js';
import { stripeSignature } from '../../src/templates/source-stripe/fixtures.js';
import { API_KEY, createDestination, startRuntimeSluice, startSink, waitUntil, type Sink } from './helpers.js';
import type { TestSluice } from '../ingest/helpers.js';

const SECRET = 'whsec_integration_secret';
const auth = { authorization: `Bearer ${API_KEY}` };

let sluice: TestSluice;
let sink: Sink;
let stripeId: string;

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sluice.url}/api/projects/1${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: res.status, json: await res.json() };
}

async function postSource(id: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sluice.url}/public/webhooks/${id}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}

function createSource(body: Record<string, unknown>): Promise<string> {
  return createDestination(sluice, { type: 'source_webhook', name: 'a source', ...body });
}

const stripeEvent = (id: string) =>
  JSON.stringify({
    id,
    object: 'event',
    created: 1767225600,
    livemode: false,
    type: 'payment_intent.succeeded',
    data: { object: { id: 'pi_1', object: 'payment_intent', amount: 1999, currency: 'eur', customer: 'cus_42' } },
  });
const signed = (body: string, secret = SECRET) => ({ 'stripe-signature': stripeSignature(secret, body, Math.floor(Date.now() / 1000)) });

beforeAll(async () => {
  sluice = await startRuntimeSluice();
  sink = await startSink();
  await createDestination(sluice, {
    name: 'to the sink',
    template_id: 'template-webhook',
    inputs: { url: { value: `${sink.url}/hook` } },
    filters: { events: [{ id: 'stripe payment_intent.succeeded', type: 'events' }] },
  });
  stripeId = await createSource({ template_id: 'template-source-stripe', inputs: { signing_secret: { value: SECRET } } });
  // One request the destination does not match, so a cold JIT on a busy machine does not count against
  // the first test's 100 ms VM limit.
  const warmUp = JSON.stringify({ id: 'evt_warm', type: 'customer.created', data: { object: { id: 'cus_warm' } } });
  await postSource(stripeId, warmUp, signed(warmUp));
}, 60_000);

afterAll(async () => {
  await sink?.close();
  await sluice?.stop();
});

describe('webhook sources', () => {
  it('turn a signed Stripe-style payload into an event that a destination delivers', async () => {
    const body = stripeEvent('evt_delivered');
    const res = await postSource(stripeId, body, signed(body));
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
    const [request] = await sink.waitFor(1, 20_000);
    const delivered = request!.json as { event: { event: string; distinct_id: string; properties: Record<string, unknown> } };
    expect(delivered.event.event).toBe('stripe payment_intent.succeeded');
    expect(delivered.event.distinct_id).toBe('cus_42');
    expect(delivered.event.properties).toMatchObject({ amount: 1999, currency: 'eur', stripe_event_id: 'evt_delivered' });
  });

  it('acknowledge only after the events are stored', async () => {
    const before = await sluice.store.countEvents(1);
    const body = stripeEvent('evt_stored');
    expect((await postSource(stripeId, body, signed(body))).status).toBe(200);
    expect(await sluice.store.countEvents(1)).toBe(before + 1);
  });

  it('refuse a bad signature with 401 and store nothing', async () => {
    const before = await sluice.store.countEvents(1);
    const body = stripeEvent('evt_forged');
    const res = await postSource(stripeId, body, signed(body, 'whsec_wrong'));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ error: 'invalid signature' });
    expect(await sluice.store.countEvents(1)).toBe(before);
  });

  it('answer 500 with a generic message on a Hog error, log the details and store nothing', async () => {
    const id = await createSource({ hog: "postHogCapture({'event': 'half', 'distinct_id': 'u'})\nthrow Error('secret detail')" });
    const before = await sluice.store.countEvents(1);
    const res = await postSource(id, '{}');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({ error: 'the source failed' });
    expect(await sluice.store.countEvents(1)).toBe(before);
    const logs = await waitUntil('the error in the logs', async () => {
      const { json } = await api(`/hog_functions/${id}/logs/`);
      const found = (json.results as { level: string; message: string }[]).find((l) => l.message.includes('secret detail'));
      return found ?? null;
    });
    expect(logs.level).toBe('ERROR');
  });

  it('count triggered, succeeded and failed requests in the metrics', async () => {
    const id = await createSource({ hog: "if (request.body.fail) { throw Error('no') }" });
    expect((await postSource(id, '{}')).status).toBe(200);
    expect((await postSource(id, '{"fail": true}')).status).toBe(500);
    await waitUntil('the metrics', async () => {
      const { json } = await api(`/hog_functions/${id}/metrics/`);
      const totals = json.totals as Record<string, number>;
      return totals.triggered === 2 && totals.succeeded === 1 && totals.failed === 1;
    });
  });

  it('refuse an oversize body with 413', async () => {
    const res = await postSource(stripeId, JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
  });

  it('refuse a JSON body nested too deep with 400, before any code runs', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await postSource(stripeId, deep);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatch(/nests deeper than 64 levels/);
  });

  it('hand a malformed JSON body to the code as text, so the generic template answers 400', async () => {
    const id = await createSource({ template_id: 'template-source-webhook' });
    const res = await postSource(id, '{"event": "x", "distinct_id": ');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'the event name is missing from the request' });
    const empty = await postSource(id, '', { 'content-type': 'text/plain' });
    expect(empty.status).toBe(400);
  });

  it('fail a request that captures more events than the limit, storing none', async () => {
    const id = await createSource({ hog: "for (let i := 0; i < 101; i := i + 1) { postHogCapture({'event': 'many', 'distinct_id': 'u'}) }" });
    const before = await sluice.store.countEvents(1);
    expect((await postSource(id, '{}')).status).toBe(500);
    expect(await sluice.store.countEvents(1)).toBe(before);
  });

  it('answer 404 for an unknown id and for a disabled source', async () => {
    expect((await postSource('00000000-0000-4000-8000-000000000000', '{}')).status).toBe(404);
    const id = await createSource({ hog: 'return 1', enabled: false });
    expect((await postSource(id, '{}')).status).toBe(404);
  });

  it('answer 429 with Retry-After once a source exceeds its rate', async () => {
    const id = await createSource({ hog: "return {'httpStatus': 202, 'body': 'accepted'}" });
    const answers = await Promise.all(Array.from({ length: 400 }, () => postSource(id, '{}')));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a.status === 202)[0]?.text).toBe('accepted');
  });

  it('stop hostile code alone while the server keeps answering', async () => {
    const loop = await createSource({ hog: 'while (true) { let x := 1 }' });
    const bomb = await createSource({ hog: "let s := 'xxxxxxxxxxxxxxxx'\nwhile (true) { s := concat(s, s) }" });
    const fine = await createSource({ hog: "return {'httpStatus': 200, 'body': {'fine': true}}" });
    const [a, b, c] = await Promise.all([postSource(loop, '{}'), postSource(bomb, '{}'), postSource(fine, '{}')]);
    expect([a.status, b.status, c.status]).toEqual([500, 500, 200]);
    expect(JSON.parse(c.text)).toEqual({ fine: true });
  });

  it('list sources only when asked for them, with their webhook_url', async () => {
    const sources = await api('/hog_functions/?type=source_webhook');
    const listed = sources.json.results as { id: string; type: string; webhook_url: string }[];
    expect(listed.find((s) => s.id === stripeId)).toMatchObject({ type: 'source_webhook', webhook_url: expect.stringMatching(new RegExp(`/public/webhooks/${stripeId}$`)) });
    const destinations = (await api('/hog_functions/')).json.results as { id: string; type: string; webhook_url: null }[];
    expect(destinations.every((d) => d.type === 'destination' && d.webhook_url === null)).toBe(true);
    const templates = (await api('/hog_function_templates/?type=source_webhook')).json.results as { id: string; type: string }[];
    expect(templates.map((t) => t.id)).toEqual(expect.arrayContaining(['template-source-stripe', 'template-source-webhook']));
    const destinationTemplates = (await api('/hog_function_templates/')).json.results as { type: string }[];
    expect(destinationTemplates.every((t) => t.type === 'destination')).toBe(true);
  });

  it('gives each source template an example request for the test panel, from its fixtures', async () => {
    const stripe = (await api('/hog_function_templates/template-source-stripe/')).json as { example_payload: { type: string }; example_headers: Record<string, string> };
    expect(stripe.example_payload.type).toBe('payment_intent.succeeded');
    expect(stripe.example_headers['content-type']).toBe('application/json');
    const webhook = (await api('/hog_function_templates/template-webhook/')).json as Record<string, unknown>;
    expect(webhook).not.toHaveProperty('example_payload');
  });

  it('test-run a source on an example request, returning what it would capture and answer', async () => {
    const { status, json } = await api(`/hog_functions/${stripeId}/invocations/`, {
      method: 'POST',
      body: JSON.stringify({ globals: { request: { body: { id: 'evt_x', type: 'customer.created', data: { object: { id: 'cus_9' } } } } } }),
    });
    expect(status).toBe(200);
    // No signature in the example: the template refuses it, as it would a real request.
    expect(json.response).toEqual({ status: 401, body: { error: 'missing Stripe-Signature header' } });
    expect(json.captured).toEqual([]);
    const generic = await createSource({ template_id: 'template-source-webhook' });
    const run = await api(`/hog_functions/${generic}/invocations/`, {
      method: 'POST',
      body: JSON.stringify({ globals: { request: { body: { event: 'signed up', distinct_id: 'u1', properties: { plan: 'pro' } } } } }),
    });
    expect(run.json).toMatchObject({ status: 'success', response: { status: 200, body: { status: 'ok' } }, captured: [{ event: 'signed up', distinct_id: 'u1', properties: { plan: 'pro' } }] });
  });
});

describe("a webhook source's health", () => {
  let small: TestSluice;
  afterAll(async () => small?.stop());

  it('is watched like a destination: failing requests degrade it, and the API shows it', async () => {
    small = await startRuntimeSluice({ runtime: { deliveryThreads: 0, health: { policy: healthPolicy({ bucketSize: 500 }), persistMs: 50 } } });
    const id = await createDestination(small, { type: 'source_webhook', name: 'failing', hog: "throw Error('always')" });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${small.url}/public/webhooks/${id}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(500);
    }
    await waitUntil('the source to be degraded', async () => {
      const res = await fetch(`${small.url}/api/projects/1/hog_functions/${id}/`, { headers: auth });
      const json = (await res.json()) as { status: { state: string } };
      return json.status.state === 'degraded';
    });
  });
});

describe('a webhook source disabled by its health', () => {
  let small: TestSluice;
  const HOG = "if (request.body.fail) { throw Error('failing on purpose') }\nreturn {'httpStatus': 200, 'body': {'ran': true}}";

  beforeAll(async () => {
    // A small bucket empties in a few failures; a short temporary disable ends within the test; the
    // second disable within the window is permanent.
    const policy = healthPolicy({ bucketSize: 500, temporaryDisableMs: 2_000, maxTemporaryDisables: 1 });
    small = await startRuntimeSluice({ runtime: { deliveryThreads: 0, health: { policy, persistMs: 50 } } });
  }, 60_000);
  afterAll(async () => small?.stop());

  const post = async (id: string, body: string) => {
    const res = await fetch(`${small.url}/public/webhooks/${id}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as unknown };
  };
  const call = async (id: string, path = '', init: RequestInit = {}) => {
    const res = await fetch(`${small.url}/api/projects/1/hog_functions/${id}/${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json' } });
    return (await res.json()) as { status: { state: string }; totals: Record<string, number> };
  };
  const stateIs = (id: string, state: string) => waitUntil(`the source to be ${state}`, async () => (await call(id)).status.state === state);

  /** Posts failing requests until health refuses one; returns that answer and how many ran (500). */
  async function driveToDisabled(id: string) {
    let ran = 0;
    const refused = await waitUntil('health to disable the source', async () => {
      const res = await post(id, '{"fail": true}');
      if (res.status === 500) ran++;
      return res.status === 503 ? res : null;
    });
    return { refused, ran };
  }

  it('answers 503 with Retry-After until its temporary disable ends, without running its code, and runs again once re-enabled', async () => {
    const id = await createDestination(small, { type: 'source_webhook', name: 'flaky', hog: HOG });
    const { refused, ran } = await driveToDisabled(id);
    expect(refused.json).toEqual({ error: 'the source is disabled' });
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    // A request that would succeed is refused too: the code does not run.
    expect((await post(id, '{}')).status).toBe(503);
    await stateIs(id, 'disabled_temporarily');
    await call(id, 'enable/', { method: 'POST', body: '{}' });
    const after = await post(id, '{}');
    expect(after.status).toBe(200);
    expect(after.json).toEqual({ ran: true });
    // Only the requests whose code ran are counted: the refused ones never reached it.
    await waitUntil('the metrics', async () => {
      const { totals } = await call(id, 'metrics/');
      return totals.triggered === ran + 1 && totals.failed === ran && totals.succeeded === 1;
    });
  });

  it('answers 503 with Retry-After 600 once disabled permanently, and runs again as soon as it is saved', async () => {
    const id = await createDestination(small, { type: 'source_webhook', name: 'broken', hog: HOG });
    await driveToDisabled(id);
    await stateIs(id, 'degraded'); // the temporary disable ended
    const { refused } = await driveToDisabled(id);
    expect(refused.retryAfter).toBe('600');
    expect(refused.json).toEqual({ error: 'the source is disabled' });
    await stateIs(id, 'disabled_permanently');
    expect((await post(id, '{}')).status).toBe(503);
    await call(id, '', { method: 'PATCH', body: JSON.stringify({ name: 'fixed' }) });
    const after = await post(id, '{}');
    expect(after.status).toBe(200);
    expect(after.json).toEqual({ ran: true });
    expect((await call(id)).status.state).toBe('degraded');
  });
});
