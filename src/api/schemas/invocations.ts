/**
 * Invocations: the stored ones of a function (`GET …/hog_functions/:id/invocations/`) and a test run
 * (`POST …/hog_functions/:id/invocations/`, `new` for an unsaved configuration).
 */
import { Type, type Static } from '@sinclair/typebox';
import { checkedByDomain, Nullable, ref, Timestamp } from './common.js';
import { DestinationWrite } from './destinations.js';

export const INVOCATIONS_DEFAULT_LIMIT = 100;

export const InvocationState = Type.Union(
  ['queued', 'running', 'succeeded', 'failed', 'skipped', 'parked'].map((s) => Type.Literal(s as 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'parked')),
);

export const Invocation = Type.Object(
  {
    id: Type.String(),
    state: InvocationState,
    event_uuid: Type.String(),
    mapping_index: Nullable(Type.Integer({ description: 'The mapping it runs, or null for the function itself' })),
    attempts: Type.Integer(),
    error: Nullable(Type.String()),
    scheduled_at: Timestamp(),
    created_at: Timestamp(),
    finished_at: Nullable(Timestamp()),
  },
  { $id: 'Invocation' },
);

export const InvocationList = Type.Object({ results: Type.Array(ref(Invocation)) }, { $id: 'InvocationList', description: 'Newest first' });

export const InvocationQuery = Type.Object({
  state: Type.Optional(Type.String({ description: 'States, comma-separated' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: INVOCATIONS_DEFAULT_LIMIT })),
  before: Type.Optional(Type.Integer({ description: 'Only invocations created before this time (ms since the epoch)' })),
});

export const TestRunRequest = Type.Object({
  configuration: Type.Optional(checkedByDomain(DestinationWrite)),
  globals: Type.Optional(
    Type.Object(
      {
        event: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Over a sample $pageview: event, distinct_id, properties, …' })),
        person: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true, description: 'Over a sample person; null for none' }))),
        groups: Type.Optional(Type.Object({}, { additionalProperties: true })),
        request: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Sources: the example request (body, headers, query, method, ip)' })),
      },
      { additionalProperties: true },
    ),
  ),
  mock_async_functions: Type.Optional(Type.Boolean({ default: true, description: 'Log each fetch instead of sending it (answers 200 {})' })),
});

export const TestRequest = Type.Object({
  url: Type.String(),
  method: Type.String(),
  headers: Type.Record(Type.String(), Type.String()),
  body: Type.Optional(Type.Unknown()),
});

const TestLog = Type.Object({
  timestamp: Timestamp(),
  level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
  message: Type.String(),
});

export const TestRunResult = Type.Object(
  {
    status: Type.Union([Type.Literal('success'), Type.Literal('error'), Type.Literal('skipped')]),
    result: Type.Unknown({ description: "The code's return value (sources: the response body)" }),
    errors: Type.Array(Type.String()),
    logs: Type.Array(TestLog),
    requests: Type.Array(TestRequest, { description: 'Destinations: the HTTP requests made, or that would be; secrets redacted' }),
    fetches: Type.Optional(Type.Object({ made: Type.Integer(), limit: Type.Integer() }, { description: 'Fetches made by one invocation, against the limit' })),
    response: Type.Optional(Type.Object({ status: Type.Integer(), body: Type.Unknown() }, { description: 'Sources: the answer the URL would give' })),
    captured: Type.Optional(Type.Array(Type.Unknown(), { description: 'Sources: the events the request would create' })),
    transformation: Type.Optional(
      Type.Object(
        {
          chain: Type.Boolean({ description: "Whether the project's whole chain ran (?chain=true)" }),
          before: Type.Object({}, { additionalProperties: true, description: 'The example event as it went in' }),
          after: Nullable(Type.Object({}, { additionalProperties: true, description: 'The event as it came out; null when dropped' })),
          dropped: Type.Boolean(),
          outcomes: Type.Array(
            Type.Object({
              id: Type.String(),
              name: Type.String(),
              result: Type.String({ description: 'transformed, unchanged, dropped, failed, skipped_by_filter or skipped_disabled' }),
              error: Nullable(Type.String()),
              duration_ms: Type.Number(),
            }),
            { description: 'One per transformation reached, in the order they ran' },
          ),
        },
        { description: 'Transformations: the event before and after (docs/transformations.md)' },
      ),
    ),
  },
  { $id: 'TestRunResult', description: 'Secrets are redacted from everything returned' },
);

export const TestRunQuery = Type.Object({
  chain: Type.Optional(Type.Boolean({ default: false, description: "Transformations: run the project's enabled transformations in order, this configuration in its place" })),
});

export type Invocation = Static<typeof Invocation>;
export type InvocationList = Static<typeof InvocationList>;
export type TestRunRequest = Static<typeof TestRunRequest>;
export type TestRunResult = Static<typeof TestRunResult>;
export type TestRequest = Static<typeof TestRequest>;
