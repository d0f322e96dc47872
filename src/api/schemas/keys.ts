/**
 * Personal API keys (`/api/personal_api_keys/`), PostHog-shaped: the key itself (`value`) is returned
 * once, when it is created; afterwards only its last characters (`mask_value`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, ref, Timestamp } from './common.js';

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
