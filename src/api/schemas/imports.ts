/** Importing PostHog hog functions (`POST …/hog_functions/import/`, docs/import.md). */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { checkedByDomain, Nullable } from './common.js';

const ImportStatus = Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged'), Type.Literal('skipped'), Type.Literal('error')]);

export const ImportItem = Type.Object({
  posthog_id: Nullable(Type.String()),
  name: Type.String(),
  status: ImportStatus,
  id: Type.Optional(Type.String({ description: 'The Sluice function (absent for errors and skipped ones)' })),
  enabled: Type.Optional(Type.Boolean()),
  needs_secrets: Type.Optional(Type.Array(Type.String(), { description: 'Secret inputs to set in Sluice before it can run' })),
  reason: Type.Optional(Type.String({ description: 'Why it was skipped' })),
  errors: Type.Optional(Type.Array(Type.Object({ attr: Type.String(), detail: Type.String() }))),
});

export const ImportReport = Type.Object(
  {
    dry_run: Type.Boolean(),
    counts: Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), skipped: Type.Integer(), error: Type.Integer() }),
    results: Type.Array(ImportItem),
  },
  { $id: 'ImportReport' },
);

export const ImportQuery = Type.Object({ dry_run: Type.Optional(Type.Boolean({ description: 'Report what would change; write nothing' })) });

/**
 * PostHog's export: its list response `{results: […]}`, an array of functions, or one function. Each
 * function is checked on its own and reported in `results`.
 */
const PostHogFunction = Type.Object({}, { additionalProperties: true, description: 'A hog function as PostHog exports it (its id is the import key)' });

export const ImportBody = checkedByDomain<TSchema, unknown>(
  Type.Union(
    [
      Type.Object({ results: Type.Array(PostHogFunction), dry_run: Type.Optional(Type.Boolean()) }),
      Type.Array(PostHogFunction),
      PostHogFunction,
    ],
    { description: "PostHog's export: its list response {results: [...]}, an array of hog functions, or one" },
  ),
);

export type ImportReport = Static<typeof ImportReport>;
