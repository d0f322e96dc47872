/** Destination health (docs/health.md): the status every function carries, its history, and replays. */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, ref, Timestamp } from './common.js';

export const HealthState = Type.Union(
  [Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('disabled_temporarily'), Type.Literal('disabled_permanently')],
  { $id: 'HealthState' },
);

export const HealthStatus = Type.Object(
  {
    state: ref(HealthState),
    since: Nullable(Timestamp({ description: 'When it entered this state; null when healthy and never changed' })),
    reason: Nullable(Type.String()),
    until: Nullable(Timestamp({ description: 'disabled_temporarily: when it runs again' })),
  },
  { $id: 'HealthStatus' },
);

export const HealthChange = Type.Object(
  { at: Timestamp(), from: ref(HealthState), to: ref(HealthState), reason: Type.String(), until: Nullable(Timestamp()) },
  { $id: 'HealthChange' },
);

export const HealthHistory = Type.Object(
  { status: ref(HealthStatus), changes: Type.Array(ref(HealthChange), { description: 'Newest first' }) },
  { $id: 'HealthHistory', description: 'GET …/hog_functions/:id/health/' },
);

export const HEALTH_CHANGES_DEFAULT = 100;
export const HealthQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: HEALTH_CHANGES_DEFAULT })) });

const ReplayableState = Type.Union([Type.Literal('parked'), Type.Literal('failed')]);
const ReplayTime = Type.Union([Type.String({ minLength: 1, description: 'ISO-8601' }), Type.Integer({ minimum: 0, description: 'Milliseconds since the epoch' })]);

export const ReplayRequest = Type.Object(
  {
    after: Type.Optional(ReplayTime),
    before: Type.Optional(ReplayTime),
    states: Type.Optional(Type.Array(ReplayableState, { minItems: 1, uniqueItems: true })),
    state: Type.Optional(ReplayableState),
    dry_run: Type.Optional(Type.Boolean({ default: false, description: 'Only count what would be replayed' })),
  },
  { additionalProperties: false },
);

export const ReplayResult = Type.Object(
  {
    dry_run: Type.Boolean(),
    count: Type.Integer({ description: 'Invocations that match (dry run) or were re-queued' }),
    replayed: Type.Optional(Type.Integer()),
    remaining: Type.Optional(Type.Integer({ description: 'Matching invocations beyond the cap, left for another replay' })),
    states: Type.Array(ReplayableState),
    due_by: Type.Optional(Nullable(Timestamp({ description: 'When the last re-queued invocation is due' }))),
    status: Type.Optional(ref(HealthStatus)),
  },
  { $id: 'ReplayResult', description: 'POST …/hog_functions/:id/replay/: a dry run answers {dry_run, count, states}' },
);

export type HealthStatus = Static<typeof HealthStatus>;
export type HealthChange = Static<typeof HealthChange>;
export type HealthHistory = Static<typeof HealthHistory>;
export type ReplayResult = Static<typeof ReplayResult>;
export type HealthState = Static<typeof HealthState>;
