import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Group as StoredGroup, Person as StoredPerson, Project as StoredProject, Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth, keyAllowsProject } from '../../plugins/auth.js';
import { ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { GroupList, GroupsQuery, PAGE_DEFAULT, PersonList, PersonsQuery, type Group, type Person } from '../../schemas/persons.js';
import { Project, ProjectList, ProjectParams, ProjectPatch } from '../../schemas/projects.js';
import { eventRoutes } from './events.js';

function projectView(p: StoredProject): Project {
  const hook = p.settings.health_webhook_url;
  return { id: p.id, name: p.name, api_token: p.apiToken, created_at: p.createdAt, health_webhook_url: typeof hook === 'string' ? hook : null };
}

function validWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function personView(p: StoredPerson): Person {
  return { id: p.id, uuid: p.id, distinct_ids: p.distinctIds, properties: p.properties, is_identified: p.isIdentified, created_at: p.createdAt };
}

function groupView(g: StoredGroup, types: Map<number, string>): Group {
  return {
    group_type_index: g.groupTypeIndex,
    group_type: types.get(g.groupTypeIndex) ?? null,
    group_key: g.groupKey,
    group_properties: g.properties,
    created_at: g.createdAt,
  };
}

const responses = <T>(ok: T) => ({ 200: ok, ...errorResponses(400, ...AUTH_ERRORS, 404) });

/** The management API, shaped like PostHog's (`results` lists), behind personal API keys. */
export async function projectRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;
  await app.register(apiKeyAuth, { store });
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  async function projectOr404(id: number): Promise<StoredProject> {
    const project = await store.getProject(id);
    if (project === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `project ${id} does not exist`);
    return project;
  }

  api.get('/api/projects/', { schema: { response: { 200: ref(ProjectList), ...errorResponses(...AUTH_ERRORS) } } }, async (request) => {
    // A key limited to some projects sees only those.
    const projects = (await store.listProjects()).filter((p) => keyAllowsProject(request.apiKey!, p.id));
    return { count: projects.length, next: null, previous: null, results: projects.map(projectView) };
  });

  api.get('/api/projects/:id/', { schema: { params: ProjectParams, response: responses(ref(Project)) } }, async (request) =>
    projectView(await projectOr404(request.params.id)),
  );

  api.patch('/api/projects/:id/', { schema: { params: ProjectParams, body: ProjectPatch, response: responses(ref(Project)) } }, async (request) => {
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
  });

  eventRoutes(app, store, projectOr404);

  api.get('/api/projects/:id/persons/', { schema: { params: ProjectParams, querystring: PersonsQuery, response: responses(ref(PersonList)) } }, async (request) => {
    const project = await projectOr404(request.params.id);
    const { distinct_id: distinctId, limit = PAGE_DEFAULT, offset = 0 } = request.query;
    let persons: StoredPerson[];
    if (distinctId !== undefined) {
      const person = await store.getPersonByDistinctId(project.id, distinctId);
      persons = person === null ? [] : [person];
    } else {
      persons = await store.listPersons(project.id, { limit, offset });
    }
    return { next: null, previous: null, results: persons.map(personView) };
  });

  api.get('/api/projects/:id/groups/', { schema: { params: ProjectParams, querystring: GroupsQuery, response: responses(ref(GroupList)) } }, async (request) => {
    const project = await projectOr404(request.params.id);
    const types = new Map<number, string>();
    const byName = new Map<string, number>();
    for (const t of await store.listGroupTypes()) {
      if (t.projectId !== project.id) continue;
      types.set(t.groupTypeIndex, t.groupType);
      byName.set(t.groupType, t.groupTypeIndex);
    }
    const { group_type: groupType, limit = PAGE_DEFAULT, offset = 0 } = request.query;
    let groupTypeIndex = request.query.group_type_index;
    if (groupType !== undefined) {
      groupTypeIndex = byName.get(groupType);
      if (groupTypeIndex === undefined) return { next: null, previous: null, results: [] };
    }
    const filter = groupTypeIndex === undefined ? { limit, offset } : { groupTypeIndex, limit, offset };
    const groups = await store.listGroups(project.id, filter);
    return { next: null, previous: null, results: groups.map((g) => groupView(g, types)) };
  });
}
