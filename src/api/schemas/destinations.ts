/**
 * Destinations, sources and transformations: PostHog's hog functions (`/api/projects/:id/hog_functions/`).
 * `Destination` is what every route returns (secrets masked, compiled forms left out, health status);
 * `DestinationWrite` is what a client sends to create or change one. Nested filter entries are PostHog's
 * JSON and keep fields Sluice does not list.
 */
import { Type, type Static } from '@sinclair/typebox';
import { FUNCTION_TYPES, INPUT_TYPES, PROPERTY_OPERATORS } from '../../destinations/model.js';
import { Nullable, Page, ref, Timestamp } from './common.js';
import { HealthStatus } from './health.js';

export const FunctionType = Type.Union(
  FUNCTION_TYPES.map((t) => Type.Literal(t)),
  { $id: 'FunctionType', description: 'destination: runs on matching events; source_webhook: runs on requests to its URL; transformation: changes captured events' },
);

export const InputSchemaItem = Type.Object(
  {
    key: Type.String({ description: 'The name the code reads as inputs.<key>' }),
    type: Type.Union(INPUT_TYPES.map((t) => Type.Literal(t))),
    label: Type.Optional(Nullable(Type.String())),
    description: Type.Optional(Nullable(Type.String())),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown({ description: 'Used when the input is not given' })),
    secret: Type.Optional(Type.Boolean({ description: 'Encrypted at rest and never returned: the API answers {"secret": true}' })),
    secret_headers: Type.Optional(Type.Array(Type.String(), { description: 'Request headers carrying this credential, redacted wherever requests are shown' })),
    hidden: Type.Optional(Type.Boolean()),
    choices: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.String() }), { description: 'choice inputs: the allowed values' })),
    templating: Type.Optional(Type.Boolean({ description: 'Whether string leaves of the value are templates (default true)' })),
    integration: Type.Optional(Type.String()),
    integration_key: Type.Optional(Type.String()),
    integration_field: Type.Optional(Type.String()),
    requires_field: Type.Optional(Type.String()),
  },
  { $id: 'InputSchemaItem', description: 'How one input is asked for and checked' },
);

export const SecretMarker = Type.Object(
  { secret: Type.Literal(true) },
  { $id: 'SecretMarker', description: 'Stands for a secret input the API never returns; send it back to keep the stored value' },
);

/** An input as returned: its value, or the secret marker. */
export const InputEntry = Type.Union([Type.Object({ value: Type.Unknown() }), ref(SecretMarker)], { $id: 'InputEntry' });

export const PropertyFilter = Type.Object(
  {
    key: Type.Optional(Type.String({ description: 'The property; for hogql, a Hog expression' })),
    type: Type.String({ description: 'event, person, group, element or hogql; AND or OR for a group of filters' }),
    operator: Type.Optional(Nullable(Type.Union(PROPERTY_OPERATORS.map((o) => Type.Literal(o)), { description: 'Default exact' }))),
    value: Type.Optional(Type.Unknown({ description: 'A scalar, or a list of them' })),
    group_type_index: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 4 }))),
    values: Type.Optional(Type.Array(Type.Unknown(), { description: 'AND/OR groups: their filters' })),
  },
  { $id: 'PropertyFilter', additionalProperties: true, description: "A property filter, or an AND/OR group of them (PostHog's JSON)" },
);

export const EventFilter = Type.Object(
  {
    id: Nullable(Type.String({ description: 'The event name; null matches every event' })),
    name: Type.Optional(Type.String()),
    type: Type.Optional(Type.Literal('events')),
    order: Type.Optional(Type.Number()),
    properties: Type.Optional(Nullable(Type.Array(ref(PropertyFilter)))),
  },
  { $id: 'EventFilter', additionalProperties: true },
);

export const Filters = Type.Object(
  {
    source: Type.Optional(Type.String({ description: 'What feeds the function: events' })),
    events: Type.Optional(Nullable(Type.Array(ref(EventFilter), { description: 'OR-ed: an event must match one entry; empty: every event' }))),
    actions: Type.Optional(Nullable(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'PostHog actions: not supported, must be empty' }))),
    properties: Type.Optional(Nullable(Type.Array(ref(PropertyFilter), { description: 'AND-ed with everything' }))),
    filter_test_accounts: Type.Optional(Type.Boolean({ description: "Leave out the project's test accounts" })),
    hog: Type.Optional(Nullable(Type.String({ description: 'An extra Hog expression, AND-ed' }))),
    source_hog: Type.Optional(Type.String({ description: 'Read only: the Hog expression the filters compiled to' })),
  },
  { $id: 'Filters', description: 'Which events run the function' },
);

export const Masking = Type.Object(
  {
    ttl: Type.Integer({ minimum: 60, maximum: 86_400, description: 'Seconds: one run per hash value per ttl' }),
    hash: Type.String({ description: 'A template, e.g. {person.id}; its value is hashed' }),
    threshold: Nullable(Type.Integer({ minimum: 1, description: 'Run again after this many masked events' })),
  },
  { $id: 'Masking' },
);

export const Mapping = Type.Object(
  {
    name: Type.String(),
    disabled: Type.Boolean(),
    inputs_schema: Type.Array(ref(InputSchemaItem), { description: 'Inputs of this mapping, beside the function’s own' }),
    inputs: Type.Record(Type.String(), ref(InputEntry)),
    filters: ref(Filters),
  },
  { $id: 'Mapping', description: 'Its own inputs and filters: each matching mapping is an invocation of its own' },
);

export const RetryPolicy = Type.Object(
  {
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Total attempts, the first included' })),
    max_window_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604_800, description: 'Stop retrying this long after the first attempt' })),
  },
  { $id: 'RetryPolicy' },
);

export const Destination = Type.Object(
  {
    id: Type.String(),
    type: ref(FunctionType),
    webhook_url: Nullable(Type.String({ description: 'Sources: the public URL that runs this source' })),
    name: Type.String(),
    description: Type.String(),
    enabled: Type.Boolean(),
    hog: Type.String({ description: 'The Hog program' }),
    inputs_schema: Type.Array(ref(InputSchemaItem)),
    inputs: Type.Record(Type.String(), ref(InputEntry), { description: 'Input values by key; secret ones as {"secret": true}' }),
    filters: ref(Filters),
    masking: Nullable(ref(Masking)),
    mappings: Nullable(Type.Array(ref(Mapping))),
    template_id: Nullable(Type.String()),
    icon_url: Nullable(Type.String()),
    retry_policy: Nullable(ref(RetryPolicy)),
    execution_order: Type.Optional(Nullable(Type.Integer({ description: "Transformations: place in the project's chain, lower first" }))),
    allow_identity_changes: Type.Optional(Type.Boolean({ description: 'Transformations: whether it may change uuid, distinct_id and timestamp' })),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    status: ref(HealthStatus),
  },
  { $id: 'Destination', description: 'A destination, source or transformation (a PostHog hog function)' },
);

export const DestinationList = Page(ref(Destination), { $id: 'DestinationList', description: 'GET …/hog_functions/' });

const InputsWrite = Type.Record(Type.String(), Type.Union([Type.Object({ value: Type.Unknown() }), ref(SecretMarker)]), {
  description: 'Replaces the stored inputs as a whole; {"secret": true} keeps a stored secret',
});

/**
 * What a client sends to create (POST) or change (PATCH, PUT: absent fields keep their stored value) a
 * function. `template_id` alone fills the code, schema and defaults. Fields of the returned object
 * (`id`, `status`, `created_at`, …) may be sent back and are ignored; any other field is refused by name.
 */
export const DestinationWrite = Type.Object(
  {
    type: Type.Optional(ref(FunctionType)),
    name: Type.Optional(Type.String({ maxLength: 400 })),
    description: Type.Optional(Type.String()),
    enabled: Type.Optional(Type.Boolean()),
    hog: Type.Optional(Type.String()),
    inputs_schema: Type.Optional(Type.Array(ref(InputSchemaItem))),
    inputs: Type.Optional(InputsWrite),
    filters: Type.Optional(Nullable(ref(Filters))),
    masking: Type.Optional(Nullable(Type.Object({ ttl: Type.Integer(), hash: Type.String(), threshold: Type.Optional(Nullable(Type.Integer())) }))),
    mappings: Type.Optional(
      Nullable(
        Type.Array(
          Type.Object({
            name: Type.String(),
            disabled: Type.Optional(Type.Boolean()),
            inputs_schema: Type.Optional(Type.Array(ref(InputSchemaItem))),
            inputs: Type.Optional(InputsWrite),
            filters: Type.Optional(Nullable(ref(Filters))),
          }),
        ),
      ),
    ),
    template_id: Type.Optional(Nullable(Type.String())),
    icon_url: Type.Optional(Nullable(Type.String({ maxLength: 2048, description: 'An https URL or a path on this server' }))),
    retry_policy: Type.Optional(Nullable(ref(RetryPolicy))),
    execution_order: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    allow_identity_changes: Type.Optional(Type.Boolean()),
  },
  { description: 'Checked field by field by the server, every problem reported with its path (errors[])' },
);

export const DestinationListQuery = Type.Object({
  search: Type.Optional(Type.String({ description: 'In the name or description' })),
  enabled: Type.Optional(Type.Boolean()),
  type: Type.Optional(Type.Union(FUNCTION_TYPES.map((t) => Type.Literal(t)), { default: 'destination', description: 'Default: destinations only' })),
});

export type FunctionType = Static<typeof FunctionType>;
export type InputSchemaItem = Static<typeof InputSchemaItem>;
export type SecretMarker = Static<typeof SecretMarker>;
export type InputEntry = Static<typeof InputEntry>;
export type PropertyFilter = Static<typeof PropertyFilter>;
export type EventFilter = Static<typeof EventFilter>;
export type Filters = Static<typeof Filters>;
export type Masking = Static<typeof Masking>;
export type Mapping = Static<typeof Mapping>;
export type RetryPolicy = Static<typeof RetryPolicy>;
export type Destination = Static<typeof Destination>;
export type DestinationList = Static<typeof DestinationList>;
export type DestinationWrite = Static<typeof DestinationWrite>;
