/** `/api/projects/:project_id/hog_function_templates/`: the template gallery, with search and category filter. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../../store/store.js';
import { SOURCE_TEMPLATES, TEMPLATES, exampleRequestOf, findTemplate } from '../../../templates/index.js';
import { FUNCTION_TYPES, type FunctionType } from '../../../destinations/model.js';
import type { TemplateDefinition } from '../../../templates/types.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth } from '../../plugins/auth.js';

function templateView(t: TemplateDefinition) {
  return {
    id: t.id,
    type: t.type ?? 'destination',
    name: t.name,
    description: t.description,
    category: t.category,
    status: t.status,
    icon_url: t.icon_url,
    hog: t.hog,
    inputs_schema: t.inputs_schema,
    filters: t.filters ?? null,
    masking: t.masking ?? null,
    mappings: t.mappings ?? null,
    ...sourceExample(t),
  };
}

/** Source templates carry an example request for the test panel. */
function sourceExample(t: TemplateDefinition): { example_payload?: unknown; example_headers?: Record<string, string> } {
  if (t.type !== 'source_webhook') return {};
  const example = exampleRequestOf(t.id);
  return example ? { example_payload: example.payload, example_headers: example.headers } : {};
}

function matchesSearch(t: TemplateDefinition, search: string): boolean {
  const text = `${t.name} ${t.description} ${t.id} ${t.category.join(' ')}`.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export async function templateRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  await app.register(apiKeyAuth, { store: opts.store });
  const projectParams = { type: 'object', properties: { project_id: { type: 'integer', minimum: 1 } }, required: ['project_id'] } as const;

  app.get<{ Params: { project_id: number }; Querystring: { search?: string; category?: string; include_deprecated?: boolean; type?: FunctionType } }>(
    '/api/projects/:project_id/hog_function_templates/',
    {
      schema: {
        params: projectParams,
        querystring: {
          type: 'object',
          properties: {
            search: { type: 'string' },
            category: { type: 'string' },
            include_deprecated: { type: 'boolean', default: false },
            // Without it: destinations only, as before sources existed.
            type: { type: 'string', enum: [...FUNCTION_TYPES], default: 'destination' },
          },
        },
      },
    },
    async (request) => {
      const { search, category, include_deprecated: includeDeprecated } = request.query;
      const wanted = category?.toLowerCase();
      const listed = request.query.type === 'source_webhook' ? SOURCE_TEMPLATES : TEMPLATES;
      const results = listed.filter((t) => includeDeprecated || t.status !== 'deprecated')
        .filter((t) => !wanted || t.category.some((c) => c.toLowerCase() === wanted))
        .filter((t) => !search || matchesSearch(t, search))
        .sort((a, b) => (a.id === 'template-webhook' ? -1 : b.id === 'template-webhook' ? 1 : a.name.localeCompare(b.name)))
        .map(templateView);
      return { count: results.length, next: null, previous: null, results };
    },
  );

  app.get<{ Params: { project_id: number; id: string } }>(
    '/api/projects/:project_id/hog_function_templates/:id/',
    { schema: { params: { ...projectParams, properties: { ...projectParams.properties, id: { type: 'string' } }, required: ['project_id', 'id'] } } },
    async (request) => {
      const template = findTemplate(request.params.id);
      if (!template) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `template ${request.params.id} does not exist`);
      return templateView(template);
    },
  );
}
