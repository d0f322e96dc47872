/**
 * Personal API keys (`/api/personal_api_keys/`), PostHog-shaped: the key itself (`value`) is returned
 * once, when it is created; afterwards only its last characters (`mask_value`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { ALL_SCOPES } from '../scopes.js';
import { checkedByDomain, Nullable, Page, ref, Timestamp } from './common.js';

export const MAX_LABEL = 100;
export const MAX_PROJECTS = 1000;

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    mask_value: Type.String({ description: 'The last characters of the key, for display' }),
    scopes: Type.Array(Type.String({ description: '<group>:read, <group>:write, or * for everything' })),
    scoped_teams: Nullable(Type.Array(Type.Integer(), { description: 'The projects it may use; null: every project' })),
    created_at: Timestamp(),
    last_used_at: Nullable(Timestamp({ description: 'Recorded at most once a minute' })),
    revoked_at: Nullable(Timestamp({ description: 'A revoked key authenticates nothing' })),
  },
  { $id: 'ApiKey' },
);

export const CreatedApiKey = Type.Composite([ApiKey, Type.Object({ value: Type.String({ description: 'The key: shown this once, never again' }) })], {
  $id: 'CreatedApiKey',
});

export const ApiKeyList = Page(ref(ApiKey), { $id: 'ApiKeyList', description: 'GET /api/personal_api_keys/ (revoked keys too)' });

export type ApiKey = Static<typeof ApiKey>;
export type CreatedApiKey = Static<typeof CreatedApiKey>;

/** `:id` of one key: its id, or `@current` for the key making the request. */
export const ApiKeyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, description: 'A key id, or @current' }) });

const ScopedTeams = Nullable(
  Type.Array(Type.Integer({ minimum: 1 }), { maxItems: MAX_PROJECTS, description: 'Project ids the key may use; null or [] for every project (the default)' }),
);
const ScopedOrganizations = Nullable(Type.Array(Type.Unknown(), { maxItems: 0, description: 'Accepted for PostHog clients: null or [] only' }));

/**
 * The body of `POST /api/personal_api_keys/`. `scoped_teams` and `scoped_organizations` are checked by the
 * handler, not by the request validator: its type coercion would read `[0]` or `null` as other values.
 * Unknown fields are refused by the handler, naming them.
 */
export const ApiKeyCreate = Type.Object({
  label: Type.String({ maxLength: MAX_LABEL, description: `What the key is for (1 to ${MAX_LABEL} characters, trimmed)` }),
  scopes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: ALL_SCOPES.length * 2, description: `Any of: ${ALL_SCOPES.join(', ')}` }),
  scoped_teams: Type.Optional(checkedByDomain<typeof ScopedTeams, unknown>(ScopedTeams)),
  scoped_organizations: Type.Optional(checkedByDomain<typeof ScopedOrganizations, unknown>(ScopedOrganizations)),
});

/** What a client sends to create a key, with the fields the handler checks typed as the document gives them. */
export type ApiKeyCreate = Omit<Static<typeof ApiKeyCreate>, 'scoped_teams' | 'scoped_organizations'> & {
  scoped_teams?: Static<typeof ScopedTeams>;
  scoped_organizations?: Static<typeof ScopedOrganizations>;
};
export type ApiKeyList = Static<typeof ApiKeyList>;
