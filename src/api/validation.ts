/**
 * Fastify's own request validator (Ajv, with its defaults: type coercion, defaults filled in), except for
 * the parts of a schema marked `checkedByDomain` (`schemas/common.ts`): those are checked only for their
 * JSON type, and the domain code behind the route reports every problem with its own, more precise message.
 */
import AjvCompiler from '@fastify/ajv-compiler';
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

/** For `Fastify({schemaController: {compilersFactory: {buildValidator}}})`. */
export const buildValidator: BuildValidator = (externalSchemas, options) => {
  const compile = AjvCompiler()(externalSchemas, options);
  return (route) => compile({ ...route, schema: withoutDomainChecked(route.schema) as typeof route.schema });
};
