import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKey, Store } from '../../store/store.js';
import { ApiError } from '../errors.js';
import { hashApiKey } from '../keys.js';
import { grants, projectParamOf, scopeOfRoute } from '../scopes.js';
import { shared } from './shared.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | null;
  }
}

/** A key's last use is written at most this often: one small update a minute per key, not one per request. */
export const LAST_USED_EVERY_MS = 60_000;

/** Whether the key may use this project (a key without a project list may use every project). */
export function keyAllowsProject(key: ApiKey, projectId: number): boolean {
  return key.projects === null || key.projects.includes(projectId);
}

function forbidden(detail: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError('SLUICE_ERR_API_FORBIDDEN', detail, null, extra);
}

async function authenticate(request: FastifyRequest, store: Store): Promise<ApiKey> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) {
    throw new ApiError('SLUICE_ERR_API_UNAUTHENTICATED', 'authentication credentials were not provided: send Authorization: Bearer <personal API key>');
  }
  const key = await store.findApiKey(hashApiKey(match[1]!));
  if (key === null) throw new ApiError('SLUICE_ERR_API_INVALID_KEY', 'personal API key is not valid');
  if (key.revokedAt !== null) throw new ApiError('SLUICE_ERR_API_INVALID_KEY', `personal API key was revoked at ${key.revokedAt}`);
  return key;
}

/** The route's scope, then its project: a route that declares no scope is refused to every key. */
function authorize(request: FastifyRequest, key: ApiKey): void {
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const scope = scopeOfRoute(request.method, request.routeOptions.url ?? '');
  if (scope === undefined) {
    request.log.error({ route }, 'management route declares no scope; refused');
    throw forbidden(`${route} declares no scope, so no personal API key may call it`);
  }
  if (!grants(key.scopes, scope)) {
    throw forbidden(`personal API key lacks the scope '${scope}' needed for ${route} (it has: ${key.scopes.join(', ') || 'none'})`, { required_scope: scope });
  }
  const param = projectParamOf(request.routeOptions.url ?? '');
  if (param === null || key.projects === null) return;
  const raw = String((request.params as Record<string, unknown>)[param] ?? '');
  if (!/^\d{1,15}$/.test(raw) || !keyAllowsProject(key, Number(raw))) {
    const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
    throw forbidden(`personal API key may not use project '${shown}' (it is limited to project ${key.projects.join(', ')})`);
  }
}

async function recordUse(request: FastifyRequest, store: Store, key: ApiKey, now: number): Promise<void> {
  if (key.lastUsedAt !== null && Date.parse(key.lastUsedAt) > now - LAST_USED_EVERY_MS) return;
  try {
    await store.touchApiKey(key.id, new Date(now).toISOString(), new Date(now - LAST_USED_EVERY_MS).toISOString());
  } catch (error) {
    // Bookkeeping only: a failed write must not refuse a valid request.
    request.log.warn({ err: error }, 'could not record when the personal API key was last used');
  }
}

/**
 * Authenticates every request of the context it is registered in with a personal API key (Bearer), then
 * checks the route's scope (`ROUTE_SCOPES` in `../scopes.ts`) and, for `/api/projects/:id/…` routes,
 * that the key may use that project.
 */
export const apiKeyAuth = shared(async function apiKeyAuth(app: FastifyInstance, opts: { store: Store }) {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const key = await authenticate(request, opts.store);
    request.apiKey = key;
    await recordUse(request, opts.store, key, Date.now());
    authorize(request, key);
  });
}, 'sluice-api-key-auth');
