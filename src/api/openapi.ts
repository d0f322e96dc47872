/**
 * The published contract: the shared schemas (`schemas/`) registered once, and the OpenAPI 3.1 document
 * that @fastify/swagger builds from every route's schemas, served at `/api/schema/`. Named schemas appear
 * under `components.schemas` by their `$id`.
 */
import swagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SHARED_SCHEMAS } from './schemas/index.js';

export const OPENAPI_PATH = '/api/schema/';

export async function registerContract(app: FastifyInstance): Promise<void> {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Sluice API', version: '1', description: 'Capture (PostHog-compatible) and the management API.' },
      components: { securitySchemes: { personalApiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ personalApiKey: [] }],
    },
    // `#/components/schemas/Destination` rather than `def-7`: generated clients name their types after these.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  app.get(
    OPENAPI_PATH,
    { schema: { hide: true, response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true, description: 'The OpenAPI 3.1 document' }) } } },
    async () => app.swagger() as { openapi: string },
  );
}
