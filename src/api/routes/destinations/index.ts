/**
 * `/api/projects/:project_id/hog_functions/`: destinations, shaped like PostHog's hog functions API.
 * Handlers are thin: validation and compilation live in `src/destinations/`, storage in the store.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { functionTypeOf, type Destination } from '../../../destinations/model.js';
import type { Keyring } from '../../../destinations/secrets.js';
import { unknownFieldErrors } from '../../../destinations/validation.js';
import type { Project, Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { apiKeyAuth } from '../../plugins/auth.js';
import { checkedByDomain, FunctionParams, ProjectIdParams, ref } from '../../schemas/common.js';
import { Destination as DestinationView, DestinationList, DestinationListQuery, DestinationWrite } from '../../schemas/destinations.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { destinationOr404, projectOr404, ValidationFailed, validateForProject } from './common.js';
import { logAndMetricRoutes } from './logs-metrics.js';
import { encryptSecretInputs } from './secrets.js';
import { testRunRoutes, type TestRunOptions } from './test-run.js';
import { importRoutes } from './import.js';
import { destinationOf, destinationView } from './views.js';
import { inRunOrder, rearrangeRoutes, withExecutionOrder } from './transformations.js';
import { healthRoutes, type HealthRoutesOptions } from './health.js';
import { statusView, type HealthMonitor } from '../../../runtime/health-monitor.js';

/** The body of create and update: its fields are checked (and reported by path) by the destination validator. */
const WriteBody = checkedByDomain(DestinationWrite);

export interface DestinationRoutesOptions extends TestRunOptions {
  store: Store;
  keyring: Keyring;
  /** Called after every write, so workers pick up the change at once. */
  onDestinationsChanged?: () => void;
  /** Re-enables and reports destination health (a monitor that never starts is enough). */
  health: HealthMonitor;
  replay?: HealthRoutesOptions['replay'];
}

export async function destinationRoutes(app: FastifyInstance, opts: DestinationRoutesOptions): Promise<void> {
  const { store, keyring, health } = opts;
  const siteUrl = opts.siteUrl ?? 'http://localhost:8040';
  await app.register(apiKeyAuth, { store });
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  /** A field Sluice does not know would be silently dropped: refuse the request instead, naming it. */
  function refuseUnknownFields(body: unknown): void {
    const errors = unknownFieldErrors(body);
    if (errors.length > 0) throw new ValidationFailed(errors);
  }

  async function save(project: Project, body: unknown, existing?: Destination): Promise<Destination> {
    const result = await validateForProject(body, project, existing);
    if (!result.ok) throw new ValidationFailed(result.errors);
    const destination = encryptSecretInputs(await withExecutionOrder(store, project.id, result.destination, existing), keyring);
    // Saving brings a disabled destination back (degraded); before the write, which makes runtimes re-read it.
    if (existing) await health.reenable(project.id, destination.id, 'Re-enabled by saving the destination: running at lower priority until it proves healthy');
    await store.saveDestination({ id: destination.id, projectId: project.id, enabled: destination.enabled, config: { ...destination } });
    opts.onDestinationsChanged?.();
    return destination;
  }

  // Without `type` the list holds destinations only, so clients from before sources see what they saw.
  api.get(
    '/api/projects/:project_id/hog_functions/',
    { schema: { params: ProjectIdParams, querystring: DestinationListQuery, response: { 200: ref(DestinationList), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const search = request.query.search?.toLowerCase();
      const statuses = new Map((await store.listDestinationHealth(project.id)).map((h) => [h.destinationId, statusView(h)]));
      const listed = (await store.listDestinations(project.id)).map(destinationOf).filter((d) => functionTypeOf(d) === (request.query.type ?? 'destination'));
      // Transformations are listed in the order they run.
      const results = (request.query.type === 'transformation' ? inRunOrder(listed) : listed)
        .filter((d) => request.query.enabled === undefined || d.enabled === request.query.enabled)
        .filter((d) => !search || d.name.toLowerCase().includes(search) || d.description.toLowerCase().includes(search))
        .map((d) => destinationView(d, statuses.get(d.id), siteUrl));
      return { count: results.length, next: null, previous: null, results };
    },
  );

  api.post(
    '/api/projects/:project_id/hog_functions/',
    { schema: { params: ProjectIdParams, body: WriteBody, response: { 201: ref(DestinationView), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request, reply) => {
      const project = await projectOr404(store, request.params.project_id);
      refuseUnknownFields(request.body);
      const { id: _ignored, ...body } = request.body;
      void _ignored;
      const destination = await save(project, body);
      return reply.code(201).send(destinationView(destination, undefined, siteUrl));
    },
  );

  api.get(
    '/api/projects/:project_id/hog_functions/:id/',
    { schema: { params: FunctionParams, response: { 200: ref(DestinationView), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const destination = await destinationOr404(store, request.params.project_id, request.params.id);
      return destinationView(destination, await health.status(request.params.project_id, destination.id), siteUrl);
    },
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    api.route({
      method,
      url: '/api/projects/:project_id/hog_functions/:id/',
      schema: { params: FunctionParams, body: WriteBody, response: { 200: ref(DestinationView), ...errorResponses(400, ...AUTH_ERRORS, 404) } },
      handler: async (request) => {
        const project = await projectOr404(store, request.params.project_id);
        const existing = await destinationOr404(store, project.id, request.params.id);
        refuseUnknownFields(request.body);
        const { id: _ignored, ...body } = request.body;
        void _ignored;
        const saved = await save(project, body, existing);
        return destinationView(saved, await health.status(project.id, saved.id), siteUrl);
      },
    });
  }

  api.delete(
    '/api/projects/:project_id/hog_functions/:id/',
    { schema: { params: FunctionParams, response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request, reply) => {
      const project = await projectOr404(store, request.params.project_id);
      const deleted = await store.deleteDestination(project.id, request.params.id);
      if (!deleted) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `destination ${request.params.id} does not exist in project ${project.id}`);
      opts.onDestinationsChanged?.();
      return reply.code(204).send(null);
    },
  );

  await app.register(healthRoutes, {
    store,
    health,
    ...(opts.replay ? { replay: opts.replay } : {}),
    async saveEnabled(projectId, id) {
      const stored = await store.getDestination(projectId, id);
      if (!stored) return;
      const config = { ...stored.config, enabled: true, updated_at: new Date().toISOString() };
      await store.saveDestination({ id, projectId, enabled: true, config });
      opts.onDestinationsChanged?.();
    },
  });
  await app.register(testRunRoutes, opts);
  await app.register(rearrangeRoutes, { store, siteUrl, ...(opts.onDestinationsChanged ? { onDestinationsChanged: opts.onDestinationsChanged } : {}) });
  await app.register(importRoutes, opts);
  await app.register(logAndMetricRoutes, { store });
}
