/** A project's recent events (`GET /api/projects/:id/events/`). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, ref, Timestamp } from './common.js';

export const EVENTS_DEFAULT_LIMIT = 20;

const EventPerson = Type.Object(
  { id: Type.String(), distinct_ids: Type.Array(Type.String()), properties: Type.Record(Type.String(), Type.Unknown()) },
  { description: 'With hog_function: the person as it is now' },
);

export const Event = Type.Object(
  {
    uuid: Type.String(),
    event: Type.String(),
    distinct_id: Type.String(),
    properties: Type.Record(Type.String(), Type.Unknown()),
    timestamp: Timestamp(),
    elements_chain: Type.String(),
    received_at: Timestamp(),
    person: Type.Optional(Nullable(EventPerson)),
  },
  { $id: 'Event' },
);

export const EventList = Type.Object({ next: Type.Null(), results: Type.Array(ref(Event)) }, { $id: 'EventList', description: 'Newest first' });

export const EventsQuery = Type.Object(
  {
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000, description: 'Event names, comma-separated (any of them)' })),
    distinct_id: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
    after: Type.Optional(Type.String({ format: 'date-time', description: 'Events at or after this time (ISO-8601)' })),
    before: Type.Optional(Type.String({ format: 'date-time', description: 'Events before this time (ISO-8601)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: EVENTS_DEFAULT_LIMIT })),
    hog_function: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Only events this function's filters match, each with its person" })),
  },
  { additionalProperties: false },
);

export type Event = Static<typeof Event>;
export type EventList = Static<typeof EventList>;
