import type { FastifyInstance } from 'fastify';
import type { Group, Person, Project, Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth } from '../../plugins/auth.js';
import { eventRoutes } from './events.js';

const PAGE_MAX = 1000;

function projectView(p: Project) {
  const hook = p.settings.health_webhook_url;
  return { id: p.id, name: p.name, api_token: p.apiToken, created_at: p.createdAt, health_webhook_url: typeof hook === 'string' ? hook : null };
}

/** Project settings a PATCH may change. `health_webhook_url`: called once per destination health change. */
const projectPatchBody = {
  type: 'object',
  properties: { health_webhook_url: { anyOf: [{ type: 'string', maxLength: 2048 }, { type: 'null' }] } },
  additionalProperties: false,
} as const;

function validWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function personView(p: Person) {
  return { id: p.id, uuid: p.id, distinct_ids: p.distinctIds, properties: p.properties, is_identified: p.isIdentified, created_at: p.createdAt };
}

function groupView(g: Group, types: Map<number, string>) {
  return {
    group_type_index: g.groupTypeIndex,
    group_type: types.get(g.groupTypeIndex) ?? null,
    group_key: g.groupKey,
    group_properties: g.properties,
    created_at: g.createdAt,
  };
}

const projectParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: PAGE_MAX, default: 100 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

/** The management API, shaped like PostHog's (`results` lists), behind personal API keys. */
export async function projectRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;
  await app.register(apiKeyAuth, { store });

  async function projectOr404(id: number): Promise<Project> {
    const project = await store.getProject(id);
    if (project === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `project ${id} does not exist`);
    return project;
  }

  app.get('/api/projects/', async () => {
    const projects = await store.listProjects();
    return { count: projects.length, next: null, previous: null, results: projects.map(projectView) };
  });

  app.get<{ Params: { id: number } }>('/api/projects/:id/', { schema: { params: projectParams } }, async (request) =>
    projectView(await projectOr404(request.params.id)),
  );

  app.patch<{ Params: { id: number }; Body: { health_webhook_url?: string | null } }>(
    '/api/projects/:id/',
    { schema: { params: projectParams, body: projectPatchBody } },
    async (request) => {
      const project = await projectOr404(request.params.id);
      const settings = { ...project.settings };
      const hook = request.body.health_webhook_url;
      if (hook !== undefined) {
        if (hook === null || hook === '') delete settings.health_webhook_url;
        else if (!validWebhookUrl(hook)) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', 'health_webhook_url must be an http(s) URL', 'health_webhook_url');
        else settings.health_webhook_url = hook;
      }
      const updated = await store.updateProjectSettings(project.id, settings);
      return projectView(updated ?? project);
    },
  );

  eventRoutes(app, store, projectOr404);

  app.get<{ Params: { id: number }; Querystring: { distinct_id?: string; limit: number; offset: number } }>(
    '/api/projects/:id/persons/',
    {
      schema: {
        params: projectParams,
        querystring: { type: 'object', properties: { distinct_id: { type: 'string', minLength: 1 }, ...pageQuery } },
      },
    },
    async (request) => {
      const project = await projectOr404(request.params.id);
      const { distinct_id: distinctId, limit, offset } = request.query;
      let persons: Person[];
      if (distinctId !== undefined) {
        const person = await store.getPersonByDistinctId(project.id, distinctId);
        persons = person === null ? [] : [person];
      } else {
        persons = await store.listPersons(project.id, { limit, offset });
      }
      return { next: null, previous: null, results: persons.map(personView) };
    },
  );

  app.get<{ Params: { id: number }; Querystring: { group_type?: string; group_type_index?: number; limit: number; offset: number } }>(
    '/api/projects/:id/groups/',
    {
      schema: {
        params: projectParams,
        querystring: {
          type: 'object',
          properties: { group_type: { type: 'string', minLength: 1 }, group_type_index: { type: 'integer', minimum: 0 }, ...pageQuery },
        },
      },
    },
    async (request) => {
      const project = await projectOr404(request.params.id);
      const types = new Map<number, string>();
      const byName = new Map<string, number>();
      for (const t of await store.listGroupTypes()) {
        if (t.projectId !== project.id) continue;
        types.set(t.groupTypeIndex, t.groupType);
        byName.set(t.groupType, t.groupTypeIndex);
      }
      const { group_type: groupType, limit, offset } = request.query;
      let groupTypeIndex = request.query.group_type_index;
      if (groupType !== undefined) {
        groupTypeIndex = byName.get(groupType);
        if (groupTypeIndex === undefined) return { next: null, previous: null, results: [] };
      }
      const filter = groupTypeIndex === undefined ? { limit, offset } : { groupTypeIndex, limit, offset };
      const groups = await store.listGroups(project.id, filter);
      return { next: null, previous: null, results: groups.map((g) => groupView(g, types)) };
    },
  );
}
