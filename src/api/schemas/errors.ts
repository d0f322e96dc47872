/**
 * The error body of every route, PostHog's `{type, code, detail, attr}` (`src/api/errors.ts`,
 * `plugins/error-handler.ts`), with the extra fields some errors carry.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, ref } from './common.js';

const FieldError = Type.Object({
  attr: Type.String({ description: 'The field, as a path: inputs.url.value, filters.properties[0].operator' }),
  detail: Type.String(),
  line: Nullable(Type.Integer({ description: 'For code and templates: where in the source' })),
  column: Nullable(Type.Integer()),
});

/** One event a capture request could not take (`rejected` of a capture error). */
export const RejectedEvent = Type.Object(
  {
    index: Type.Integer({ description: "Position of the event in the request's batch" }),
    uuid: Type.Optional(Type.String()),
    code: Type.String(),
    detail: Type.String(),
  },
  { $id: 'RejectedEvent' },
);

export const ErrorBody = Type.Object(
  {
    type: Type.String({ description: 'authentication_error, validation_error, invalid_request or server_error' }),
    code: Type.String({ description: 'not_authenticated, permission_denied, not_found, invalid_input, …' }),
    detail: Type.String({ description: 'What is wrong, for a person' }),
    attr: Nullable(Type.String({ description: 'The field at fault, when there is one' })),
    errors: Type.Optional(Type.Array(FieldError, { description: 'Validation: every problem, not only the first' })),
    rejected: Type.Optional(Type.Array(ref(RejectedEvent), { description: 'Capture: the events refused and why' })),
    retry_after: Type.Optional(Type.Number({ description: 'Capture under load: seconds to wait (also in Retry-After)' })),
    mismatched: Type.Optional(
      Type.Array(Type.Object({ index: Type.Integer(), token: Type.String() }), { description: "Capture: the events that name another project's token" }),
    ),
    required_scope: Type.Optional(Type.String({ description: "A key without the route's scope: the scope it needs" })),
  },
  { $id: 'Error', description: "PostHog's error body" },
);

export type ErrorBody = Static<typeof ErrorBody>;

const errorRef = ref(ErrorBody);

/**
 * The error responses of a route: the statuses it documents by name, and any other 4xx or 5xx, all with
 * the one error body.
 */
export function errorResponses<const Codes extends readonly number[]>(...codes: Codes) {
  const named = Object.fromEntries(codes.map((code) => [code, errorRef])) as { [C in Codes[number]]: typeof errorRef };
  return { ...named, '4xx': errorRef, '5xx': errorRef };
}

/** What every management route may answer: no or a bad key (401), a key without the scope (403). */
export const AUTH_ERRORS = [401, 403] as const;
