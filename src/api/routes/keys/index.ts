/**
 * `/api/personal_api_keys/`: list, read, create and revoke personal API keys, shaped like PostHog's
 * (`label`, `scopes`, `scoped_teams`, `mask_value`, `value` once at creation). A key can only create or
 * revoke keys whose scopes and projects it holds itself, so no key can give itself more than it has.
 * Revoking keeps the row (`revoked_at`), so the list still shows the key. See `docs/api.md`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiKey as StoredApiKey, Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { hashApiKey, maskApiKey, newPersonalApiKey } from '../../keys.js';
import { apiKeyAuth } from '../../plugins/auth.js';
import { ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { ApiKey, ApiKeyCreate, ApiKeyList, ApiKeyParams, CreatedApiKey, MAX_PROJECTS } from '../../schemas/keys.js';
import { ALL_SCOPES, isScope, scopesBeyond } from '../../scopes.js';

/** Keys not revoked, in all: a leaked `api_key:write` key must not be able to fill the table. */
export const MAX_ACTIVE_KEYS = 100;
/** The id that stands for the key making the request (PostHog's `@current`). */
const CURRENT = '@current';

type CreateBody = Static<typeof ApiKeyCreate>;

const KNOWN_FIELDS = new Set(Object.keys(ApiKeyCreate.properties));

export function keyView(key: StoredApiKey): ApiKey {
  return {
    id: key.id,
    label: key.label,
    mask_value: key.maskValue,
    scopes: key.scopes,
    scoped_teams: key.projects,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
    revoked_at: key.revokedAt,
  };
}

function invalid(detail: string, attr: string): ApiError {
  return new ApiError('SLUICE_ERR_API_INVALID_INPUT', detail, attr);
}

function labelOf(body: CreateBody): string {
  const label = body.label.trim();
  if (label === '') throw invalid('label: must not be empty', 'label');
  return label;
}

function scopesOf(body: CreateBody): string[] {
  const unknown = body.scopes.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    const named = unknown.map((s) => `'${s}'`).join(', ');
    throw invalid(`scopes: unknown scope ${named}; valid scopes are ${ALL_SCOPES.join(', ')}`, 'scopes');
  }
  return [...new Set(body.scopes)];
}

/** `null` (every project) for null, absent or `[]`, as PostHog reads an empty list; else the ids, checked. */
async function projectsOf(body: CreateBody, store: Store): Promise<number[] | null> {
  const ids = body.scoped_teams;
  if (ids === undefined || ids === null) return null;
  if (!Array.isArray(ids) || !ids.every((id): id is number => Number.isSafeInteger(id) && id > 0)) {
    throw invalid('scoped_teams: must be null or a list of project ids (positive integers)', 'scoped_teams');
  }
  if (ids.length > MAX_PROJECTS) throw invalid(`scoped_teams: at most ${MAX_PROJECTS} projects, not ${ids.length}`, 'scoped_teams');
  if (ids.length === 0) return null;
  const known = new Set((await store.listProjects()).map((p) => p.id));
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) throw invalid(`scoped_teams: no project ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`, 'scoped_teams');
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** What `wanted` would have that `holder` lacks, in words; `null` when the holder covers it all. */
function excessOf(holder: StoredApiKey, wanted: { scopes: string[]; projects: number[] | null }): { detail: string; attr: string } | null {
  const scopes = scopesBeyond(holder.scopes, wanted.scopes);
  if (scopes.length > 0) return { detail: `scopes ${scopes.join(', ')} (it has: ${holder.scopes.join(', ')})`, attr: 'scopes' };
  if (holder.projects === null) return null;
  if (wanted.projects === null) return { detail: `every project (it is limited to project ${holder.projects.join(', ')})`, attr: 'scoped_teams' };
  const projects = wanted.projects.filter((id) => !holder.projects!.includes(id));
  if (projects.length > 0) return { detail: `project ${projects.join(', ')} (it is limited to project ${holder.projects.join(', ')})`, attr: 'scoped_teams' };
  return null;
}

const isAdmin = (key: StoredApiKey) => key.revokedAt === null && key.scopes.includes('*') && key.projects === null;

const oneKeyErrors = errorResponses(400, ...AUTH_ERRORS, 404);

export async function keyRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;
  await app.register(apiKeyAuth, { store });
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  async function keyOr404(id: string, caller: StoredApiKey | null): Promise<StoredApiKey> {
    const key = id === CURRENT ? caller : await store.getApiKey(id);
    if (key === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `personal API key ${id} does not exist`);
    return key;
  }

  api.get('/api/personal_api_keys/', { schema: { response: { 200: ref(ApiKeyList), ...errorResponses(...AUTH_ERRORS) } } }, async () => {
    const keys = await store.listApiKeys();
    return { count: keys.length, next: null, previous: null, results: keys.map(keyView) };
  });

  api.get('/api/personal_api_keys/:id/', { schema: { params: ApiKeyParams, response: { 200: ref(ApiKey), ...oneKeyErrors } } }, async (request) =>
    keyView(await keyOr404(request.params.id, request.apiKey)),
  );

  api.post(
    '/api/personal_api_keys/',
    { schema: { body: ApiKeyCreate, response: { 201: ref(CreatedApiKey), ...errorResponses(400, ...AUTH_ERRORS) } } },
    async (request, reply) => {
      const unknown = Object.keys(request.body).filter((k) => !KNOWN_FIELDS.has(k));
      if (unknown.length > 0) throw invalid(`unknown field ${unknown.slice(0, 5).join(', ')}; a key has label, scopes, scoped_teams`, unknown[0]!);
      const orgs = request.body.scoped_organizations;
      if (orgs !== undefined && orgs !== null && !(Array.isArray(orgs) && orgs.length === 0)) {
        throw invalid('scoped_organizations: Sluice has no organizations; send null or [] (or leave it out)', 'scoped_organizations');
      }
      const label = labelOf(request.body);
      const scopes = scopesOf(request.body);
      const projects = await projectsOf(request.body, store);
      const excess = excessOf(request.apiKey!, { scopes, projects });
      if (excess) {
        throw new ApiError('SLUICE_ERR_API_FORBIDDEN', `a personal API key cannot create a key with more than it has itself: this one lacks ${excess.detail}`, excess.attr);
      }
      const active = (await store.listApiKeys()).filter((k) => k.revokedAt === null).length;
      if (active >= MAX_ACTIVE_KEYS) throw invalid(`at most ${MAX_ACTIVE_KEYS} keys may be active at once; revoke one first`, 'label');
      const value = newPersonalApiKey();
      const key = await store.createApiKey({ label, secureValue: hashApiKey(value), maskValue: maskApiKey(value), scopes, projects });
      // The only time the key is shown: only its hash is stored.
      return reply.code(201).send({ ...keyView(key), value });
    },
  );

  api.delete(
    '/api/personal_api_keys/:id/',
    { schema: { params: ApiKeyParams, response: { 204: Type.Null({ description: 'Revoked (or already revoked)' }), ...oneKeyErrors } } },
    async (request, reply) => {
      const target = await keyOr404(request.params.id, request.apiKey);
      const excess = excessOf(request.apiKey!, target);
      if (excess) throw new ApiError('SLUICE_ERR_API_FORBIDDEN', `a personal API key cannot revoke a key with more than it has itself: this one lacks ${excess.detail}`, excess.attr);
      if (isAdmin(target) && (await store.listApiKeys()).filter(isAdmin).length === 1) {
        throw invalid('this is the last active key with scope * on every project: create another such key before revoking it, or no one could manage Sluice', 'id');
      }
      await store.revokeApiKey(target.id, new Date().toISOString());
      return reply.code(204).send(null);
    },
  );
}
