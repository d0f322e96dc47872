/**
 * Building blocks of the API contract. Every named schema has an `$id`: the server registers it once
 * (`SHARED_SCHEMAS` in `index.ts`), routes point at it with `ref`, and the OpenAPI document lists it under
 * `components.schemas` by that name.
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A pointer to a named schema, typed as that schema (TypeBox 0.34 types a bare `Ref` as unknown). */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (schema.$id === undefined) throw new Error('ref: the schema has no $id');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

/** A time as the API writes it: ISO-8601, UTC. */
export const Timestamp = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });

/** PostHog's list response: `count`, `results`, and `next`/`previous` page links (always null: one page). */
export function Page<T extends TSchema>(item: T, options: { $id: string; description: string }) {
  return Type.Object({ count: Type.Integer(), next: Type.Null(), previous: Type.Null(), results: Type.Array(item) }, options);
}

/** The same without `count`, as PostHog's persons and groups lists. */
export function UncountedPage<T extends TSchema>(item: T, options: { $id: string; description: string }) {
  return Type.Object({ next: Type.Null(), previous: Type.Null(), results: Type.Array(item) }, options);
}

export const ProjectIdParams = Type.Object({ project_id: Type.Integer({ minimum: 1 }) });
export const FunctionParams = Type.Object({ project_id: Type.Integer({ minimum: 1 }), id: Type.String({ minLength: 1 }) });

/**
 * Marks a request body (or part of one) that the domain code checks field by field — the destination
 * validator (`src/destinations/validation.ts`), the PostHog importer — with messages that name each field.
 * The OpenAPI document publishes the whole shape; the request validator (`validation.ts` beside this
 * folder) checks only its JSON type, so the domain code's messages are the ones a client sees. Handlers
 * get it untyped.
 */
export const CHECKED_BY = 'x-sluice-checked-by';

export function checkedByDomain<T extends TSchema, Parsed = Record<string, unknown>>(schema: T): TUnsafe<Parsed> {
  return Type.Unsafe<Parsed>({ ...schema, [CHECKED_BY]: 'server: every problem is reported with its path' });
}
