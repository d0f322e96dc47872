import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretLeaks } from '../../../test/helpers/secret-leaks.js';
import { createKeyring, isEncryptedSecret } from '../../destinations/secrets.js';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { Store } from '../../store/store.js';
import { TEMPLATE_MODULES } from '../../templates/index.js';
import { bootstrap } from '../bootstrap.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';

const AUTH = { authorization: 'Bearer phx_k' };
const BASE = '/api/projects/1/hog_functions/';

/** The stock templates that send `Authorization: Basic base64(…secret…)`. */
const BASIC_AUTH_TEMPLATES = TEMPLATE_MODULES.filter(({ template }) => template.hog.includes('base64Encode(') && template.hog.includes('Basic {'));

/** Every secret string a fixture's inputs hold (schema items marked secret). */
function secretsOf(module: (typeof TEMPLATE_MODULES)[number], inputs: Record<string, unknown>): string[] {
  return module.template.inputs_schema
    .filter((item) => item.secret === true && typeof inputs[item.key] === 'string' && (inputs[item.key] as string).length >= 4)
    .map((item) => inputs[item.key] as string);
}

describe('secrets in test runs and destination saves', () => {
  let store: Store;
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: 'phx_k' });
    writer = new GroupCommitWriter(store, {});
    app = await buildServer({ store, intake: new Intake({ store, writer }), health: new HealthMonitor({ store }), logger: false, keyring: createKeyring([randomBytes(32)]) });
  });
  afterEach(async () => {
    await app.close();
    await writer.close();
    await opened.dispose();
  });

  async function create(body: Record<string, unknown>): Promise<string> {
    const res = await app.inject({ method: 'POST', url: BASE, headers: AUTH, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  async function testRun(id: string, payload: Record<string, unknown>) {
    const res = await app.inject({ method: 'POST', url: `${BASE}${id}/invocations/`, headers: AUTH, payload });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  }

  // Mailchimp, among the six first reported, now authenticates with a Bearer token as PostHog's template does.
  it('finds the stock templates that use Basic auth, those first reported among them', () => {
    expect(BASIC_AUTH_TEMPLATES.map(({ template }) => template.id)).toEqual(
      expect.arrayContaining(['template-customerio', 'template-mixpanel', 'template-segment', 'template-twilio', 'template-zendesk']),
    );
  });

  it.each(BASIC_AUTH_TEMPLATES.map((module) => [module.template.id, module] as const))(
    'a test run of %s shows neither its secret nor any encoding of it',
    async (_id, module) => {
      // A successful fixture that gives a secret as a plain string input (some also take an account object).
      const fixture = module.fixtures.find((f) => (f.expect.status ?? 'succeeded') === 'succeeded' && f.expect.requests.length > 0 && secretsOf(module, f.inputs).length > 0)!;
      const secrets = secretsOf(module, fixture.inputs);
      expect(secrets.length).toBeGreaterThan(0);
      const inputs = Object.fromEntries(Object.entries(fixture.inputs).map(([key, value]) => [key, { value }]));
      const id = await create({ template_id: module.template.id, inputs });
      const res = await testRun(id, { globals: { event: fixture.event, person: fixture.person ?? null } });
      const body = res.json();
      expect(body.status, res.body).toBe('success');
      expect(body.requests.length).toBeGreaterThan(0);
      expect(body.requests[0].headers.Authorization).toBe('***');
      for (const secret of secrets) expect(secretLeaks(res.body, secret), secret).toEqual([]);
    },
  );

  it('redacts encodings of a secret from the logs, requests, result and errors of a test run, and headers marked secret', async () => {
    const secret = 'shop_tok_7Hq2+Zx/9kP~w';
    const hog = `let s := inputs.token
print(base64Encode(f'user:{s}'))
print(f'q={encodeURLComponent(s)}')
let res := fetch(f'https://hooks.example.com/?k={encodeURLComponent(s)}', {
  'headers': {'X-Shop-Key': 'marked-in-the-schema', 'X-Enc': base64Encode(s)},
  'body': {'b': base64Encode(f'ab:{s}'), [s]: 1}
})
if (inputs.fail) {
  throw Error(f'refused {base64Encode(f'xy:{s}:z')}')
}
return {'r': base64Encode(f'x:{s}:y')}`;
    const configuration = (fail: boolean) => ({
      name: 'Encodes its secret',
      hog,
      inputs_schema: [
        { key: 'token', type: 'string', secret: true, secret_headers: ['X-Shop-Key'], required: true },
        { key: 'fail', type: 'boolean', default: false },
      ],
      inputs: { token: { value: secret }, fail: { value: fail } },
    });
    for (const fail of [false, true]) {
      const id = await create(configuration(fail));
      const res = await testRun(id, {});
      const body = res.json();
      expect(body.status).toBe(fail ? 'error' : 'success');
      expect(secretLeaks(res.body, secret)).toEqual([]);
      expect(body.requests[0].headers['X-Shop-Key']).toBe('***');
      if (fail) expect(body.errors[0]).toContain('refused ***');
      else expect(body.result).toEqual({ r: '***' });
    }
  });

  describe("changing an input's secret flag", () => {
    const base = {
      name: 'Flags',
      hog: "fetch(inputs.url, {'headers': {'X-Key': inputs.key}})",
      inputs_schema: [
        { key: 'url', type: 'string', required: true },
        { key: 'key', type: 'string', secret: true, required: true },
      ],
      inputs: { url: { value: 'https://hooks.example.com/x' }, key: { value: 'key_value_1234' } },
    };
    const schemaWith = (secret: boolean) => [base.inputs_schema[0], { ...base.inputs_schema[1], secret }];
    const patch = (id: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `${BASE}${id}/`, headers: AUTH, payload });
    const storedKey = async (id: string) => ((await store.getDestination(1, id))!.config.inputs as Record<string, { value: unknown }>).key!.value;

    it('is refused with 400 naming the input when the stored value would be kept', async () => {
      const id = await create(base);
      for (const payload of [{ inputs_schema: schemaWith(false) }, { inputs_schema: schemaWith(false), inputs: { url: base.inputs.url, key: { secret: true } } }]) {
        const res = await patch(id, payload);
        expect(res.statusCode).toBe(400);
        expect(res.json().attr).toBe('inputs.key');
        expect(res.json().detail).toMatch(/input 'key' is no longer marked secret.*send a new value for inputs\.key/);
      }
      expect(isEncryptedSecret(await storedKey(id))).toBe(true);

      const plain = await create({ ...base, inputs_schema: schemaWith(false) });
      const res = await patch(plain, { inputs_schema: schemaWith(true) });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/input 'key' is now marked secret/);
      expect(await storedKey(plain)).toBe('key_value_1234');
    });

    it('stores a new value sent with the change as the new flag says', async () => {
      const id = await create(base);
      const unsecret = await patch(id, { inputs_schema: schemaWith(false), inputs: { url: base.inputs.url, key: { value: 'now_plain_5678' } } });
      expect(unsecret.statusCode, unsecret.body).toBe(200);
      expect(await storedKey(id)).toBe('now_plain_5678');
      const secretAgain = await patch(id, { inputs_schema: schemaWith(true), inputs: { url: base.inputs.url, key: { value: 'secret_again_9012' } } });
      expect(secretAgain.statusCode, secretAgain.body).toBe(200);
      const stored = await storedKey(id);
      expect(isEncryptedSecret(stored)).toBe(true);
      const run = await testRun(id, {});
      expect(run.json().status).toBe('success');
      expect(run.body).not.toContain('v1:');
      expect(secretLeaks(run.body, 'secret_again_9012')).toEqual([]);
    });

    it('is also refused in a test run of a saved destination, so ciphertext is never sent', async () => {
      const id = await create(base);
      const res = await app.inject({
        method: 'POST',
        url: `${BASE}${id}/invocations/`,
        headers: AUTH,
        payload: { configuration: { inputs_schema: schemaWith(false) } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().attr).toBe('inputs.key');
    });
  });
});
