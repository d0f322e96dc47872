/**
 * A stored configuration that no longer fits the destination schema (edited by hand, written by a bug)
 * is refused where it is read, with an answer naming the destination and the field, instead of being
 * served half-broken; other destinations and deleting it keep working. Hostile request bodies to the
 * routes whose bodies the domain validator checks are refused with a 400 saying what and where.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/api/bootstrap.js';
import { buildServer } from '../../src/api/server.js';
import { GroupCommitWriter } from '../../src/ingest/group-commit.js';
import { Intake } from '../../src/ingest/intake.js';
import { HealthMonitor } from '../../src/runtime/health-monitor.js';
import { openTestStore, type OpenedTestStore } from '../../src/store/__tests__/backends.js';

const AUTH = { authorization: 'Bearer phx_k' };
const BASE = '/api/projects/1/hog_functions/';

describe('stored configuration read through the schema', () => {
  let opened: OpenedTestStore;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;

  beforeAll(async () => {
    opened = await openTestStore();
    const store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: 'phx_k' });
    writer = new GroupCommitWriter(store, {});
    app = await buildServer({ store, intake: new Intake({ store, writer }), health: new HealthMonitor({ store }), logger: false });
  });
  afterAll(async () => {
    await app.close();
    await writer.close();
    await opened.dispose();
  });

  const create = (payload: unknown) => app.inject({ method: 'POST', url: BASE, headers: AUTH, payload: payload as object });

  it('answers 500 naming the destination and the field, for the destination, the list and the events search', async () => {
    const created = await create({ name: 'Hook', hog: "print('x')" });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const stored = (await opened.store.getDestination(1, id))!;
    await opened.store.saveDestination({ id, projectId: 1, enabled: true, config: { ...stored.config, inputs_schema: [{ key: 'a', type: 'telepathy' }] } });

    for (const url of [`${BASE}${id}/`, BASE, `/api/projects/1/events/?hog_function=${id}`]) {
      const res = await app.inject({ method: 'GET', url, headers: AUTH });
      expect(res.statusCode, url).toBe(500);
      expect(res.json()).toMatchObject({ type: 'server_error', code: 'stored_configuration_invalid', attr: null });
      expect(res.json().detail).toMatch(new RegExp(`destination ${id} \\(project 1\\) does not fit .*/inputs_schema/0/type`));
    }
    const deleted = await app.inject({ method: 'DELETE', url: `${BASE}${id}/`, headers: AUTH });
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: BASE, headers: AUTH })).statusCode).toBe(200);
  });

  it('refuses hostile bodies with a 400 that says what is wrong and where', async () => {
    const notAnObject = await create([{ name: 'x' }]);
    expect(notAnObject.statusCode).toBe(400);
    expect(notAnObject.json().detail).toBe('body must be object');

    const wrongType = await create({ name: 'x', hog: "print('x')", enabled: 'yes' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toMatchObject({ attr: 'enabled', detail: 'enabled: must be true or false' });

    let deep: unknown = { key: 'a', type: 'event', value: 'b' };
    for (let i = 0; i < 2_000; i++) deep = { type: 'AND', values: [deep] };
    const tooDeep = await create({ name: 'x', hog: "print('x')", filters: { properties: [deep] } });
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().attr).toMatch(/^filters\.properties\[0\]\.values\[0\]/);
    expect(tooDeep.json().detail).toContain('nested deeper than 64 levels here');

    const huge = await create({ name: 'x', hog: "print('x')", description: 'd'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'payload_too_large' });

    const malformed = await app.inject({ method: 'POST', url: BASE, headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"name": "x",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().type).toBe('invalid_request');
  });
});
