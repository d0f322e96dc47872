/** `/api/projects/:project_id/hog_function_templates/`: the template gallery, with search and category filter. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../../store/store.js';
import { SOURCE_TEMPLATES, TEMPLATES, TRANSFORMATION_TEMPLATES, exampleRequestOf, findTemplate } from '../../../templates/index.js';
import type { TemplateDefinition } from '../../../templates/types.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth } from '../../plugins/auth.js';
import { ProjectIdParams, ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { Template, TemplateList, TemplateListQuery, TemplateParams } from '../../schemas/templates.js';

function templateView(t: TemplateDefinition): Template {
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
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/api/projects/:project_id/hog_function_templates/',
    { schema: { params: ProjectIdParams, querystring: TemplateListQuery, response: { 200: ref(TemplateList), ...errorResponses(400, ...AUTH_ERRORS) } } },
    async (request) => {
      const { search, category, include_deprecated: includeDeprecated } = request.query;
      const wanted = category?.toLowerCase();
      // Without `type`: destinations only, as before sources existed.
      const listed = request.query.type === 'source_webhook' ? SOURCE_TEMPLATES : request.query.type === 'transformation' ? TRANSFORMATION_TEMPLATES : TEMPLATES;
      const results = listed.filter((t) => includeDeprecated || t.status !== 'deprecated')
        .filter((t) => !wanted || t.category.some((c) => c.toLowerCase() === wanted))
        .filter((t) => !search || matchesSearch(t, search))
        .sort((a, b) => (a.id === 'template-webhook' ? -1 : b.id === 'template-webhook' ? 1 : a.name.localeCompare(b.name)))
        .map(templateView);
      return { count: results.length, next: null, previous: null, results };
    },
  );

  api.get(
    '/api/projects/:project_id/hog_function_templates/:id/',
    { schema: { params: TemplateParams, response: { 200: ref(Template), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const template = findTemplate(request.params.id);
      if (!template) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `template ${request.params.id} does not exist`);
      return templateView(template);
    },
  );
}
