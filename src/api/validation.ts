/**
 * Fastify's own request validator (Ajv, with its defaults: type coercion, defaults filled in), except for
 * the parts of a schema marked `checkedByDomain` (`schemas/common.ts`): those are checked only for their
 * JSON type, and the domain code behind the route reports every problem with its own, more precise message.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import { CHECKED_BY } from './schemas/common.js';

type BuildValidator = ReturnType<typeof AjvCompiler>;

/** The schema with each marked part replaced by a check of its JSON type alone (any JSON when it has none). */
export function withoutDomainChecked(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDomainChecked);
  if (typeof schema !== 'object' || schema === null) return schema;
  const record = schema as Record<string, unknown>;
  if (CHECKED_BY in record) return record.type === undefined ? {} : { type: record.type };
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, withoutDomainChecked(value)]));
}

/*
 * Both compilers compile a route's schema the first time the route uses it, not when the server starts:
 * compiling every request and response schema of the API up front (Ajv and fast-json-stringify generate
 * and compile code for each) was 1.5–2 s of CPU per start, for routes a process mostly never serves (a
 * capture process, a test server). A server built with `compileSchemasUpFront` compiles every one of
 * them at start (`src/api/__tests__/server.test.ts`), so a schema that does not compile fails the tests,
 * not a user's first request.
 */

type ValidatorFunction = ((data: unknown) => unknown) & { errors?: unknown };

/** Compiles each route's schema when Fastify hands it over (at start): `compileSchemasUpFront`. */
export const buildValidatorUpFront: BuildValidator = (externalSchemas, options) => {
  const compile = AjvCompiler()(externalSchemas, options);
  return (route) => compile({ ...route, schema: withoutDomainChecked(route.schema) as typeof route.schema });
};

/** For `Fastify({schemaController: {compilersFactory: {buildValidator}}})`. */
export const buildValidator: BuildValidator = (externalSchemas, options) => {
  const compile = buildValidatorUpFront(externalSchemas, options);
  return (route) => {
    let compiled: ValidatorFunction | undefined;
    // Fastify reads a failed validation's `errors` from the function it called.
    const validate: ValidatorFunction = (data) => {
      compiled ??= compile(route) as ValidatorFunction;
      const result = compiled(data);
      validate.errors = compiled.errors;
      return result;
    };
    return validate as ReturnType<ReturnType<BuildValidator>>;
  };
};

type BuildSerializer = ReturnType<typeof SerializerSelector>;

/** Fastify's own serializer compiler, which compiles each response schema at start: `compileSchemasUpFront`. */
export const buildSerializerUpFront: BuildSerializer = SerializerSelector();

/** For `Fastify({schemaController: {compilersFactory: {buildSerializer}}})`. */
export const buildSerializer: BuildSerializer = (externalSchemas, options) => {
  const compile = buildSerializerUpFront(externalSchemas, options);
  return (route) => {
    let serialize: ((doc: unknown) => string) | undefined;
    return (doc) => (serialize ??= compile(route))(doc);
  };
};
