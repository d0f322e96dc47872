/**
 * Every management route against every scope. The routes are the ones the server really registers (its
 * `onRoute` hook), never a list kept by hand: a route added without a scope fails here, and is refused to
 * every key meanwhile (fail closed). For each route, a key holding exactly the scope it needs gets past
 * authorization, and keys lacking it (another group's scope, the read of a write, another project) get 403.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../../ingest/group-commit.js';
import { Intake } from '../../ingest/intake.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { Store } from '../../store/store.js';
import { bootstrap } from '../bootstrap.js';
import { hashApiKey, maskApiKey } from '../keys.js';
import { apiKeyAuth } from '../plugins/auth.js';
import { errorHandler } from '../plugins/error-handler.js';
import { ALL_SCOPES, grants, projectParamOf, ROUTE_SCOPES, scopeOfRoute, type Scope } from '../scopes.js';
import { buildServer } from '../server.js';
import { HealthMonitor } from '../../runtime/health-monitor.js';

const ADMIN = 'phx_route_scopes_admin';

interface Route {
  method: string;
  url: string;
}

/** Management routes: everything under `/api/` but the public OpenAPI document. */
const isManagement = (r: Route) => r.url.startsWith('/api/') && r.url !== '/api/schema/';

describe('every management route checks its scope and project', () => {
  let opened: OpenedTestStore;
  let store: Store;
  let app: FastifyInstance;
  let writer: GroupCommitWriter;
  let second: number;
  const registered: Route[] = [];
  /** One key per (scopes, projects) the cases use, created straight in the store. */
  const keys = new Map<string, string>();

  async function keyWith(scopes: Scope[], projects: number[] | null): Promise<string> {
    const name = `${scopes.join('+')}@${projects?.join('+') ?? 'all'}`;
    let value = keys.get(name);
    if (value === undefined) {
      value = `phx_test_${keys.size}_${name.replace(/[^a-z0-9]/gi, '_')}`;
      await store.createApiKey({ label: name, secureValue: hashApiKey(value), maskValue: maskApiKey(value), scopes, projects });
      keys.set(name, value);
    }
    return value;
  }

  beforeAll(async () => {
    opened = await openTestStore();
    store = opened.store;
    await bootstrap(store, { SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_t', SLUICE_BOOTSTRAP_API_KEY: ADMIN });
    second = (await store.createProject({ name: 'Second', apiToken: 'phc_second' })).id;
    writer = new GroupCommitWriter(store, {});
    app = await buildServer({
      store,
      intake: new Intake({ store, writer }),
      health: new HealthMonitor({ store }),
      logger: false,
      onRoute: (route: RouteOptions) => {
        for (const method of [route.method].flat()) registered.push({ method, url: route.url });
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await writer?.close();
    await opened?.dispose();
  });

  const management = () => registered.filter(isManagement);

  /** The route's URL with its parameters filled: the project param with `project`, any other id with one that does not exist. */
  function urlOf(route: Route, project: number): string {
    const projectParam = projectParamOf(route.url);
    return route.url.replace(/:([A-Za-z_]+)/g, (_, name: string) => (name === projectParam ? String(project) : 'no-such-id'));
  }

  async function request(route: Route, key: string | null, project = 1) {
    const withBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
    const res = await app.inject({
      method: route.method as 'GET',
      url: urlOf(route, project),
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
      ...(withBody ? { payload: {} } : {}),
    });
    return { status: res.statusCode, detail: route.method === 'HEAD' || res.body === '' ? '' : String(res.json().detail ?? '') };
  }

  it('lists the routes it registers, and every management route declares a known scope', () => {
    const routes = management();
    expect(routes.length).toBeGreaterThan(25);
    const undeclared = routes.filter((r) => scopeOfRoute(r.method, r.url) === undefined).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    for (const r of routes) expect(ALL_SCOPES).toContain(scopeOfRoute(r.method, r.url));
    // And the table names no route that does not exist.
    const names = new Set(routes.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(ROUTE_SCOPES).filter((name) => !names.has(name))).toEqual([]);
  });

  it('refuses every management route without a key (401)', async () => {
    for (const route of management()) expect((await request(route, null)).status, `${route.method} ${route.url}`).toBe(401);
  });

  it('lets a key with exactly the needed scope past authorization, on its project', async () => {
    for (const route of management()) {
      const needed = scopeOfRoute(route.method, route.url)!;
      const holders: [Scope[], number[] | null][] = [
        [[needed], null],
        [['*'], null],
      ];
      // A write scope also grants the read of its group.
      const write = needed.replace(/:read$/, ':write');
      if (write !== needed && ALL_SCOPES.includes(write as Scope)) holders.push([[write as Scope], null]);
      if (projectParamOf(route.url) !== null) holders.push([[needed], [1]]);
      for (const [scopes, projects] of holders) {
        const { status, detail } = await request(route, await keyWith(scopes, projects));
        expect([401, 403], `${route.method} ${route.url} with ${scopes.join(',')}: ${status} ${detail}`).not.toContain(status);
      }
    }
  });

  it('refuses with 403 naming the scope every key whose scope does not grant the route', async () => {
    for (const route of management()) {
      const needed = scopeOfRoute(route.method, route.url)!;
      const lacking = ALL_SCOPES.filter((s) => !grants([s], needed));
      expect(lacking.length).toBeGreaterThan(5);
      for (const scope of lacking) {
        const { status, detail } = await request(route, await keyWith([scope], null));
        expect(status, `${route.method} ${route.url} with ${scope}`).toBe(403);
        if (route.method !== 'HEAD') expect(detail).toContain(`lacks the scope '${needed}'`);
      }
    }
  });

  it('refuses with 403 a key with the right scope for another project', async () => {
    const projectRoutes = management().filter((r) => projectParamOf(r.url) !== null);
    expect(projectRoutes.length).toBeGreaterThan(20);
    for (const route of projectRoutes) {
      const needed = scopeOfRoute(route.method, route.url)!;
      for (const scopes of [[needed], ['*']] as Scope[][]) {
        const { status, detail } = await request(route, await keyWith(scopes, [second]), 1);
        expect(status, `${route.method} ${route.url} with ${scopes.join(',')} on project ${second}`).toBe(403);
        if (route.method !== 'HEAD') expect(detail).toContain("may not use project '1'");
      }
    }
  });

  it('documents every route with its scope in docs/api.md', () => {
    const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    const rows = new Map<string, string>();
    for (const m of doc.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| `([^`]+)` \|/gm)) rows.set(`${m[1]} ${m[2]}`, m[3]!);
    expect(Object.fromEntries(rows)).toEqual(ROUTE_SCOPES);
  });
});

describe('a route that declares no scope', () => {
  it('is refused to every key, even one with every scope (fail closed)', async () => {
    const opened = await openTestStore();
    await bootstrap(opened.store, { SLUICE_BOOTSTRAP_API_KEY: ADMIN });
    const app = Fastify({ logger: false });
    await app.register(errorHandler);
    await app.register(async (scoped) => {
      await scoped.register(apiKeyAuth, { store: opened.store });
      scoped.get('/api/projects/:id/undeclared/', async () => ({ reached: true }));
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/projects/1/undeclared/', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'permission_denied', detail: 'GET /api/projects/:id/undeclared/ declares no scope, so no personal API key may call it' });
    } finally {
      await app.close();
      await opened.dispose();
    }
  });
});
