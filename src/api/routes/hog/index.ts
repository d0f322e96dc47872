/**
 * `POST /api/projects/:project_id/hog/compile/`: compile Hog source without saving anything, so the
 * web UI can underline errors while the user types (a program, an input template or a filter expression).
 */
import type { FastifyInstance } from 'fastify';
import { compileExpressionSource, compileProgramSource, compileTemplateSource, type Diagnostic } from '../../../hog/index.js';
import type { Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth } from '../../plugins/auth.js';

type CompileKind = 'program' | 'template' | 'expression';

const COMPILERS: Record<CompileKind, (source: string) => { diagnostics: Diagnostic[] }> = {
  program: compileProgramSource,
  template: compileTemplateSource,
  expression: compileExpressionSource,
};

/** Sources longer than this are refused: the endpoint runs on every keystroke (debounced). */
const MAX_SOURCE = 256 * 1024;

export async function hogRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  await app.register(apiKeyAuth, { store: opts.store });

  app.post<{ Params: { project_id: number }; Body: { source: string; kind?: CompileKind } }>(
    '/api/projects/:project_id/hog/compile/',
    {
      schema: {
        params: { type: 'object', properties: { project_id: { type: 'integer', minimum: 1 } }, required: ['project_id'] },
        body: {
          type: 'object',
          properties: {
            source: { type: 'string' },
            kind: { type: 'string', enum: ['program', 'template', 'expression'], default: 'program' },
          },
          required: ['source'],
        },
      },
    },
    async (request) => {
      const project = await opts.store.getProject(request.params.project_id);
      if (project === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `project ${request.params.project_id} does not exist`);
      const { source, kind = 'program' } = request.body;
      if (source.length > MAX_SOURCE) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `source: longer than ${MAX_SOURCE} characters`, 'source');
      let diagnostics: Diagnostic[];
      try {
        diagnostics = COMPILERS[kind](source).diagnostics;
      } catch (error) {
        // A compiler bug must not look like a broken UI: report it as a diagnostic at the start.
        diagnostics = [{ message: error instanceof Error ? error.message : String(error), line: 1, column: 1, offset: 0 }];
      }
      return {
        ok: diagnostics.length === 0,
        diagnostics: diagnostics.map((d) => ({ message: d.message, line: d.line, column: d.column, offset: d.offset })),
      };
    },
  );
}
