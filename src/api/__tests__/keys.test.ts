/**
 * Personal API keys over HTTP: creating (value shown once, only the hash stored), listing, revoking
 * (refused at once, row kept), no key giving more than it has, last use recorded at most once a minute,
 * and hostile bodies refused with a message naming what is wrong.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { Store } from '../../store/store.js';
import { bootstrap } from '../bootstrap.js';
import { hashApiKey } from '../keys.js';
import { MAX_ACTIVE_KEYS } from '../routes/keys/index.js';
import { ALL_SCOPES } from '../scopes.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';

const ADMIN = 'phx_admin_key';
const KEYS = '/api/personal_api_keys/';

describe('personal API keys API', () => {
  let store: Store;
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;
  let second: number;

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: ADMIN });
    second = (await store.createProject({ name: 'Second', apiToken: 'phc_second' })).id;
    writer = new GroupCommitWriter(store, {});
    app = await buildServer({ store, intake: new Intake({ store, writer }), health: new HealthMonitor({ store }), logger: false });
  });
  afterEach(async () => {
    await app.close();
    await writer.close();
    await opened.dispose();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  async function call(key: string, method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: unknown) {
    const res = await app.inject({ method, url, headers: as(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body === '' ? null : res.json() };
  }
  async function createKey(by: string, body: Record<string, unknown>): Promise<{ id: string; value: string }> {
    const res = await call(by, 'POST', KEYS, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; value: string };
  }

  it('creates a key whose value is shown once and stored only as its hash, in PostHog\'s shape', async () => {
    const res = await call(ADMIN, 'POST', KEYS, { label: '  CI deploys  ', scopes: ['hog_function:write', 'log:read'], scoped_teams: [1] });
    expect(res.status).toBe(201);
    const created = res.body;
    expect(created).toMatchObject({
      label: 'CI deploys',
      scopes: ['hog_function:write', 'log:read'],
      scoped_teams: [1],
      last_used_at: null,
      revoked_at: null,
    });
    expect(created.value).toMatch(/^phx_[A-Za-z0-9]{47}$/);
    expect(created.mask_value).toBe(`…${created.value.slice(-4)}`);
    expect((await store.findApiKey(hashApiKey(created.value)))?.id).toBe(created.id);

    const listed = await call(ADMIN, 'GET', KEYS);
    expect(listed.body.count).toBe(2);
    expect(JSON.stringify(listed.body)).not.toContain(created.value);
    const again = await call(ADMIN, 'GET', `${KEYS}${created.id}/`);
    expect(again.body).toEqual({ ...created, value: undefined, last_used_at: null });
    expect(again.body).not.toHaveProperty('value');
  });

  it('lets the new key read what its scopes allow and refuses the rest with 403 naming the missing scope', async () => {
    const reader = await createKey(ADMIN, { label: 'reader', scopes: ['hog_function:read'] });
    expect((await call(reader.value, 'GET', '/api/projects/1/hog_functions/')).status).toBe(200);
    const write = await call(reader.value, 'POST', '/api/projects/1/hog_functions/', { name: 'x' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ type: 'authentication_error', code: 'permission_denied', required_scope: 'hog_function:write', attr: null });
    expect(write.body.detail).toContain("lacks the scope 'hog_function:write'");
    const events = await call(reader.value, 'GET', '/api/projects/1/events/');
    expect(events.status).toBe(403);
    expect(events.body.detail).toContain("'event:read'");
  });

  it('limits a key to its projects: others are refused and left out of the project list', async () => {
    const key = await createKey(ADMIN, { label: 'p1', scopes: ['project:read', 'hog_function:read'], scoped_teams: [1] });
    expect((await call(key.value, 'GET', '/api/projects/1/hog_functions/')).status).toBe(200);
    const other = await call(key.value, 'GET', `/api/projects/${second}/hog_functions/`);
    expect(other.status).toBe(403);
    expect(other.body.detail).toContain(`may not use project '${second}'`);
    expect((await call(key.value, 'GET', `/api/projects/${second}/`)).status).toBe(403);
    expect((await call(key.value, 'GET', '/api/projects/')).body.results.map((p: { id: number }) => p.id)).toEqual([1]);
    expect((await call(ADMIN, 'GET', '/api/projects/')).body.results.map((p: { id: number }) => p.id)).toEqual([1, second]);
  });

  it('revokes a key: refused at once with 401, kept in the list with revoked_at', async () => {
    const key = await createKey(ADMIN, { label: 'temp', scopes: ['project:read'] });
    expect((await call(key.value, 'GET', '/api/projects/')).status).toBe(200);
    expect((await call(ADMIN, 'DELETE', `${KEYS}${key.id}/`)).status).toBe(204);
    const refused = await call(key.value, 'GET', '/api/projects/');
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/^personal API key was revoked at \d{4}-/);
    const row = (await call(ADMIN, 'GET', KEYS)).body.results.find((k: { id: string }) => k.id === key.id);
    expect(row.revoked_at).toEqual(expect.any(String));
    // Revoking again changes nothing.
    expect((await call(ADMIN, 'DELETE', `${KEYS}${key.id}/`)).status).toBe(204);
    expect((await call(ADMIN, 'DELETE', `${KEYS}no-such-key/`)).status).toBe(404);
  });

  it('never lets a key create or revoke a key with more scopes or projects than its own', async () => {
    const manager = await createKey(ADMIN, { label: 'mgr', scopes: ['api_key:write', 'hog_function:write'], scoped_teams: [1] });
    // Within: a read implied by its write, on its project.
    await createKey(manager.value, { label: 'ok', scopes: ['hog_function:read'], scoped_teams: [1] });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ label: 'x', scopes: ['event:read'], scoped_teams: [1] }, 'scopes', 'lacks scopes event:read'],
      [{ label: 'x', scopes: ['*'], scoped_teams: [1] }, 'scopes', 'lacks scopes *'],
      [{ label: 'x', scopes: ['hog_function:read'] }, 'scoped_teams', 'lacks every project'],
      [{ label: 'x', scopes: ['hog_function:read'], scoped_teams: [1, second] }, 'scoped_teams', `lacks project ${second}`],
    ];
    for (const [body, attr, detail] of cases) {
      const res = await call(manager.value, 'POST', KEYS, body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body).toMatchObject({ code: 'permission_denied', attr });
      expect(res.body.detail).toContain(detail);
    }
    const admin = (await store.listApiKeys()).find((k) => k.scopes.includes('*'))!;
    const revoke = await call(manager.value, 'DELETE', `${KEYS}${admin.id}/`);
    expect(revoke.status).toBe(403);
    expect(revoke.body.detail).toContain('cannot revoke a key with more than it has itself');
    // It may revoke itself.
    expect((await call(manager.value, 'DELETE', `${KEYS}@current/`)).status).toBe(204);
    expect((await call(manager.value, 'GET', KEYS)).status).toBe(401);
  });

  it('keeps the last admin key: it cannot be revoked until another exists', async () => {
    const admin = (await store.listApiKeys())[0]!;
    const refused = await call(ADMIN, 'DELETE', `${KEYS}${admin.id}/`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('last active key with scope * on every project');
    const spare = await createKey(ADMIN, { label: 'spare admin', scopes: ['*'], scoped_teams: null });
    expect((await call(ADMIN, 'DELETE', `${KEYS}${admin.id}/`)).status).toBe(204);
    expect((await call(spare.value, 'GET', KEYS)).status).toBe(200);
  });

  it('answers @current with the calling key', async () => {
    const key = await createKey(ADMIN, { label: 'me', scopes: ['api_key:read'] });
    const res = await call(key.value, 'GET', `${KEYS}@current/`);
    expect(res.body).toMatchObject({ id: key.id, label: 'me', scopes: ['api_key:read'], scoped_teams: null });
  });

  it('records last use at most once a minute per key', async () => {
    const key = await createKey(ADMIN, { label: 'used', scopes: ['project:read'] });
    const before = Date.now();
    await call(key.value, 'GET', '/api/projects/');
    const first = (await store.getApiKey(key.id))!.lastUsedAt!;
    expect(Date.parse(first)).toBeGreaterThanOrEqual(before - 1);
    await call(key.value, 'GET', '/api/projects/');
    expect((await store.getApiKey(key.id))!.lastUsedAt).toBe(first);
    // A use recorded over a minute ago is replaced.
    await store.touchApiKey(key.id, '2020-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z');
    await call(key.value, 'GET', '/api/projects/');
    expect(Date.parse((await store.getApiKey(key.id))!.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1);
  });

  it('refuses bad bodies, each with a message saying what is wrong and where', async () => {
    const cases: [unknown, number, RegExp, string | null][] = [
      [{ label: 'x', scopes: ['hog_functions:read'] }, 400, /unknown scope 'hog_functions:read'; valid scopes are \*, project:read, project:write, hog_function:read/, 'scopes'],
      [{ label: 'x', scopes: ['log:write'] }, 400, /unknown scope 'log:write'/, 'scopes'],
      [{ label: 'x', scopes: [] }, 400, /scopes must NOT have fewer than 1 items/, null],
      [{ label: 'x' }, 400, /must have required property 'scopes'/, null],
      [{ scopes: ['*'] }, 400, /must have required property 'label'/, null],
      [{ label: '   ', scopes: ['*'] }, 400, /label: must not be empty/, 'label'],
      [{ label: 'x'.repeat(101), scopes: ['*'] }, 400, /label must NOT have more than 100 characters/, null],
      [{ label: 'x', scopes: ['*'], scoped_teams: [999] }, 400, /scoped_teams: no project 999/, 'scoped_teams'],
      [{ label: 'x', scopes: ['*'], scoped_teams: ['one'] }, 400, /scoped_teams: must be null or a list of project ids/, 'scoped_teams'],
      [{ label: 'x', scopes: ['*'], scoped_teams: [0] }, 400, /scoped_teams: must be null or a list of project ids/, 'scoped_teams'],
      [{ label: 'x', scopes: ['*'], scoped_teams: [1.5] }, 400, /scoped_teams: must be null or a list of project ids/, 'scoped_teams'],
      [{ label: 'x', scopes: ['*'], scoped_teams: 1 }, 400, /scoped_teams: must be null or a list of project ids/, 'scoped_teams'],
      [{ label: 'x', scopes: ['*'], scoped_teams: [[[[1]]]] }, 400, /scoped_teams: must be null or a list of project ids/, 'scoped_teams'],
      [{ label: 'x', scopes: ['*'], scoped_teams: Array.from({ length: 5000 }, (_, i) => i + 1) }, 400, /scoped_teams: at most 1000 projects, not 5000/, 'scoped_teams'],
      [{ label: 'x', scopes: Array.from({ length: 500 }, () => 'project:read') }, 400, /scopes must NOT have more than/, null],
      [{ label: 'x', scopes: [{ deep: { deeper: [[['*']]] } }] }, 400, /scopes\/0 must be string/, null],
      [{ label: 'x', scopes: ['*'], owner: 'me' }, 400, /unknown field owner; a key has label, scopes, scoped_teams/, 'owner'],
      [{ label: 'x', scopes: ['*'], scoped_organizations: ['org'] }, 400, /scoped_organizations: Sluice has no organizations/, 'scoped_organizations'],
      [['label', 'x'], 400, /body must be object/, null],
      [{ label: 'x', scopes: ['x'.repeat(1000)] }, 400, /scopes\/0 must NOT have more than 100 characters/, null],
    ];
    for (const [body, status, detail, attr] of cases) {
      const res = await call(ADMIN, 'POST', KEYS, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.code).toBe('invalid_input');
      expect(res.body.detail).toMatch(detail);
      if (attr !== null) expect(res.body.attr).toBe(attr);
    }
    const huge = await app.inject({ method: 'POST', url: KEYS, headers: { ...as(ADMIN), 'content-type': 'application/json' }, payload: `{"label":"${'x'.repeat(2_000_000)}"}` });
    expect(huge.statusCode).toBe(413);
    const malformed = await app.inject({ method: 'POST', url: KEYS, headers: { ...as(ADMIN), 'content-type': 'application/json' }, payload: '{"label": "x", "scopes": [' });
    expect(malformed.statusCode).toBe(400);
    expect(await store.countApiKeys()).toBe(1);
    expect(ALL_SCOPES).toContain('api_key:write');
  });

  it(`caps active keys at ${MAX_ACTIVE_KEYS}`, async () => {
    for (let i = 1; i < MAX_ACTIVE_KEYS; i++) {
      await store.createApiKey({ label: `k${i}`, secureValue: `hash-${i}`, maskValue: '…0000', scopes: ['project:read'], projects: null });
    }
    const refused = await call(ADMIN, 'POST', KEYS, { label: 'one too many', scopes: ['project:read'] });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain(`at most ${MAX_ACTIVE_KEYS} keys may be active at once`);
  });

  it('refuses a malformed or unknown key with 401 before any scope is looked at', async () => {
    for (const header of [undefined, 'Bearer', 'Basic abc', `Bearer ${'x'.repeat(10_000)}`, 'Bearer phx_nope']) {
      const res = await app.inject({ method: 'GET', url: KEYS, headers: header === undefined ? {} : { authorization: header } });
      expect(res.statusCode, String(header).slice(0, 20)).toBe(401);
    }
  });
});
