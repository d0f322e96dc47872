/**
 * Destination health in the management API (docs/health.md):
 *
 * - `POST …/hog_functions/:id/enable/`: a user brings the destination back — out of a health disable (to
 *   degraded) and, if they had paused it, `enabled: true`. Returns the destination view.
 * - `GET  …/hog_functions/:id/health/`: the status and the history of its changes.
 * - `POST …/hog_functions/:id/replay/`: re-queues parked and failed invocations by creation time;
 *   `dry_run` returns the count first.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { HealthMonitor } from '../../../runtime/health-monitor.js';
import { replayInvocations, type ReplayableState } from '../../../runtime/replay.js';
import type { Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { FunctionParams, ref } from '../../schemas/common.js';
import { Destination as DestinationView } from '../../schemas/destinations.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { HEALTH_CHANGES_DEFAULT, HealthHistory, HealthQuery, ReplayRequest, ReplayResult } from '../../schemas/health.js';
import { destinationOr404, projectOr404 } from './common.js';
import { destinationView } from './views.js';

export interface HealthRoutesOptions {
  store: Store;
  /** The process's health monitor, shared with the runtime: its state is what the worker gates on. */
  health: HealthMonitor;
  /** Saves the destination with `enabled: true` (and tells the runtime). */
  saveEnabled: (projectId: number, id: string) => Promise<void>;
  /** Replay rate and cap (tests). */
  replay?: { perSecond?: number; max?: number };
}

const REPLAYABLE: ReplayableState[] = ['parked', 'failed'];

function timeOf(value: string | number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `${field} must be an ISO-8601 time, not '${value}'`, field);
  return ms;
}

export async function healthRoutes(app: FastifyInstance, opts: HealthRoutesOptions): Promise<void> {
  const { store, health } = opts;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/projects/:project_id/hog_functions/:id/enable/',
    { schema: { params: FunctionParams, response: { 200: ref(DestinationView), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      await destinationOr404(store, project.id, request.params.id);
      await health.reenable(project.id, request.params.id, 'Re-enabled by a user: running at lower priority until it proves healthy');
      // Saving bumps the destination's version: every runtime re-reads its health and reloads it.
      await opts.saveEnabled(project.id, request.params.id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      return destinationView(destination, await health.status(project.id, destination.id));
    },
  );

  api.get(
    '/api/projects/:project_id/hog_functions/:id/health/',
    { schema: { params: FunctionParams, querystring: HealthQuery, response: { 200: ref(HealthHistory), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const changes = await store.listDestinationHealthChanges(project.id, destination.id, request.query.limit ?? HEALTH_CHANGES_DEFAULT);
      return {
        status: await health.status(project.id, destination.id),
        changes: changes.map((c) => ({
          at: new Date(c.at).toISOString(),
          from: c.from,
          to: c.to,
          reason: c.reason,
          until: c.until === null ? null : new Date(c.until).toISOString(),
        })),
      };
    },
  );

  api.post(
    '/api/projects/:project_id/hog_functions/:id/replay/',
    { schema: { params: FunctionParams, body: ReplayRequest, response: { 200: ref(ReplayResult), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const body = request.body ?? {};
      const dryRun = body.dry_run === true;
      const after = timeOf(body.after, 'after');
      const before = timeOf(body.before, 'before');
      if (after !== undefined && before !== undefined && after >= before) {
        throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', 'after must be earlier than before', 'after');
      }
      const states = body.states ?? (body.state ? [body.state] : REPLAYABLE);
      const result = await replayInvocations(store, {
        projectId: project.id,
        destinationId: destination.id,
        states,
        ...(after !== undefined ? { after } : {}),
        ...(before !== undefined ? { before } : {}),
        dryRun,
        now: Date.now(),
        ...(opts.replay ?? {}),
      });
      if (dryRun) return { dry_run: true, count: result.count, states };
      return {
        dry_run: false,
        count: result.count,
        replayed: result.count,
        remaining: result.remaining,
        states,
        due_by: result.lastDueAt === null ? null : new Date(result.lastDueAt).toISOString(),
        status: await health.status(project.id, destination.id),
      };
    },
  );
}
