/**
 * The stored configuration of a destination (or source, or transformation) as a TypeBox schema: what
 * `validateDestination` writes and what is read back from the store. Reading parses through it
 * (`destinationFromStored`), so a row that does not fit fails at once, naming the destination and the
 * field, instead of deep inside a run. It checks what validation guarantees and no more, so nothing
 * validation accepted is refused when read; the API's published schemas (`src/api/schemas/`) describe
 * the same object for clients.
 *
 * Every object allows fields it does not list: configurations brought from PostHog carry fields Sluice
 * keeps but does not use. The schema's static type must equal the model's `Destination` (checked below), so
 * the two cannot drift apart.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FUNCTION_TYPES, INPUT_TYPES, type Destination, type Filters, type InputSchemaItem } from './model.js';

/** Hog bytecode in PostHog's format: a flat list of scalars. */
export const BytecodeSchema = Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]));

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const FunctionTypeSchema = Type.Union(FUNCTION_TYPES.map((t) => Type.Literal(t)), {
  description: 'destination: runs on matching events; source_webhook: runs on requests to its URL; transformation: changes captured events',
});

export const InputTypeSchema = Type.Union(INPUT_TYPES.map((t) => Type.Literal(t)));

/**
 * One `inputs_schema` item, checked as far as validation checked it when it was saved (key, type, flags,
 * texts). Its other fields (choices, secret_headers, integration names…) come from templates or PostHog
 * exports and are used as they were given.
 */
const InputSchemaItemSchema = Type.Unsafe<InputSchemaItem>(
  Type.Object({
    key: Type.String(),
    type: InputTypeSchema,
    label: Type.Optional(Nullable(Type.String())),
    description: Type.Optional(Nullable(Type.String())),
    required: Type.Optional(Type.Boolean()),
    secret: Type.Optional(Type.Boolean()),
    hidden: Type.Optional(Type.Boolean()),
    templating: Type.Optional(Type.Boolean()),
  }),
);

/** A compiled input value: the value's tree with each templated string replaced by its bytecode. */
const CompiledValueSchema = Type.Recursive((Self) =>
  Type.Union([
    Type.Object({ kind: Type.Literal('literal'), value: Type.Unknown() }),
    Type.Object({ kind: Type.Literal('template'), bytecode: BytecodeSchema }),
    Type.Object({ kind: Type.Literal('array'), items: Type.Array(Self) }),
    Type.Object({ kind: Type.Literal('dict'), entries: Type.Record(Type.String(), Self) }),
  ]),
);

const InputsSchema = Type.Record(
  Type.String(),
  Type.Object({
    value: Type.Unknown(),
    bytecode: Type.Optional(CompiledValueSchema),
    order: Type.Optional(Type.Number()),
    secret: Type.Optional(Type.Boolean()),
  }),
);

/**
 * PostHog's filter JSON as it was given, with its compiled `bytecode` (which is all that runs). Validation
 * compiled every part of it, so reading checks the parts the code reads (the event names, the lists) and
 * trusts the rest.
 */
const FiltersSchema = Type.Unsafe<Filters>(
  Type.Object({
    events: Type.Optional(Nullable(Type.Array(Type.Object({ id: Nullable(Type.String()) })))),
    properties: Type.Optional(Nullable(Type.Array(Type.Object({})))),
    filter_test_accounts: Type.Optional(Type.Boolean()),
    bytecode: Type.Optional(BytecodeSchema),
  }),
);

const MaskingSchema = Type.Object({
  ttl: Type.Number(),
  hash: Type.String(),
  threshold: Type.Optional(Nullable(Type.Number())),
  bytecode: Type.Optional(BytecodeSchema),
});

const MappingSchema = Type.Object({
  name: Type.String(),
  inputs: InputsSchema,
  inputs_schema: Type.Optional(Type.Array(InputSchemaItemSchema)),
  filters: Type.Optional(FiltersSchema),
  disabled: Type.Optional(Type.Boolean()),
});

const RetryPolicySchema = Type.Object({
  max_attempts: Type.Optional(Type.Number()),
  max_window_seconds: Type.Optional(Type.Number()),
});

export const DestinationConfigSchema = Type.Object({
  id: Type.String(),
  type: Type.Optional(FunctionTypeSchema),
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  hog: Type.String(),
  bytecode: BytecodeSchema,
  bytecode_lines: Type.Optional(Type.Array(Type.Number())),
  inputs_schema: Type.Array(InputSchemaItemSchema),
  inputs: InputsSchema,
  filters: FiltersSchema,
  masking: Nullable(MaskingSchema),
  mappings: Nullable(Type.Array(MappingSchema)),
  template_id: Nullable(Type.String()),
  icon_url: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  retry_policy: Type.Optional(RetryPolicySchema),
  execution_order: Type.Optional(Nullable(Type.Number())),
  allow_identity_changes: Type.Optional(Type.Boolean()),
});

// The model and the schema describe the same object: a field added to one and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesModel: Same<Static<typeof DestinationConfigSchema>, Destination> = true;
void schemaMatchesModel;

const checker = TypeCompiler.Compile(DestinationConfigSchema);

/** A stored configuration that does not fit the schema. */
export class StoredDestinationError extends Error {
  constructor(
    readonly destinationId: string,
    readonly projectId: number,
    readonly problems: string[],
  ) {
    super(`stored configuration of destination ${destinationId} (project ${projectId}) does not fit the destination schema: ${problems.join('; ')}`);
    this.name = 'StoredDestinationError';
  }
}

/** At most this many mismatches are named: one broken list must not make a megabyte message. */
const MAX_PROBLEMS = 5;

/** The stored configuration as a `Destination`, or a `StoredDestinationError` saying which field of which destination does not fit. */
export function destinationFromStored(stored: { id: string; projectId: number; config: unknown }): Destination {
  if (checker.Check(stored.config)) return stored.config;
  const problems: string[] = [];
  for (const error of checker.Errors(stored.config)) {
    problems.push(`${error.path || '/'}: ${error.message}`);
    if (problems.length >= MAX_PROBLEMS) break;
  }
  throw new StoredDestinationError(stored.id, stored.projectId, problems);
}
