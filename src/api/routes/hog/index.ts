/**
 * `POST /api/projects/:project_id/hog/compile/`: compile Hog source without saving anything, so the
 * web UI can underline errors while the user types (a program, an input template or a filter expression).
 * Sources over the size limits of `hog/source-limits.ts` are refused; bigger ones than a few KB are
 * compiled in the compile thread (`compile-pool.ts`), so a huge paste cannot stall the server.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_EXPRESSION_BYTES, MAX_PROGRAM_BYTES, sourceSizeError } from '../../../hog/source-limits.js';
import type { Store } from '../../../store/store.js';
import { compileSourceOffThread, type CompileKind } from '../../compile-pool.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth } from '../../plugins/auth.js';
import { ProjectIdParams, ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { CompileRequest, CompileResult } from '../../schemas/hog.js';

const SIZE_LIMITS: Record<CompileKind, number> = {
  program: MAX_PROGRAM_BYTES,
  template: MAX_EXPRESSION_BYTES,
  expression: MAX_EXPRESSION_BYTES,
};

export async function hogRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  await app.register(apiKeyAuth, { store: opts.store });

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/projects/:project_id/hog/compile/',
    { schema: { params: ProjectIdParams, body: CompileRequest, response: { 200: ref(CompileResult), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const project = await opts.store.getProject(request.params.project_id);
      if (project === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `project ${request.params.project_id} does not exist`);
      const { source, kind = 'program' } = request.body;
      const tooBig = sourceSizeError(source, SIZE_LIMITS[kind]);
      if (tooBig !== null) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `source: ${tooBig}`, 'source');
      const { diagnostics } = await compileSourceOffThread(kind, source);
      return {
        ok: diagnostics.length === 0,
        diagnostics: diagnostics.map((d) => ({ message: d.message, line: d.line, column: d.column, offset: d.offset })),
      };
    },
  );
}
