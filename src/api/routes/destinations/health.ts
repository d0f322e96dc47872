/**
 * Destination health in the management API (docs/health.md):
 *
 * - `POST …/hog_functions/:id/enable/`: a user brings the destination back — out of a health disable (to
 *   degraded) and, if they had paused it, `enabled: true`. Returns the destination view.
 * - `GET  …/hog_functions/:id/health/`: the status and the history of its changes.
 * - `POST …/hog_functions/:id/replay/`: re-queues parked and failed invocations by creation time;
 *   `dry_run` returns the count first.
 */
import type { FastifyInstance } from 'fastify';
import type { HealthMonitor } from '../../../runtime/health-monitor.js';
import { statusView } from '../../../runtime/health-monitor.js';
import { replayInvocations, type ReplayableState } from '../../../runtime/replay.js';
import type { Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { destinationOr404, destinationParams, projectOr404 } from './common.js';
import { destinationView } from './views.js';

export interface HealthRoutesOptions {
  store: Store;
  health: HealthMonitor;
  /** Saves the destination with `enabled: true` (and tells the runtime). */
  saveEnabled: (projectId: number, id: string) => Promise<void>;
  /** Replay rate and cap (tests). */
  replay?: { perSecond?: number; max?: number };
}

const REPLAYABLE: ReplayableState[] = ['parked', 'failed'];

const replayBody = {
  type: 'object',
  properties: {
    after: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 0 }] },
    before: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 0 }] },
    states: { type: 'array', items: { type: 'string', enum: REPLAYABLE }, minItems: 1, uniqueItems: true },
    state: { type: 'string', enum: REPLAYABLE },
    dry_run: { type: 'boolean', default: false },
  },
  additionalProperties: false,
} as const;

interface ReplayBody {
  after?: string | number;
  before?: string | number;
  states?: ReplayableState[];
  state?: ReplayableState;
  dry_run: boolean;
}

function timeOf(value: string | number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `${field} must be an ISO-8601 time, not '${value}'`, field);
  return ms;
}

export async function healthRoutes(app: FastifyInstance, opts: HealthRoutesOptions): Promise<void> {
  const { store, health } = opts;

  app.post<{ Params: { project_id: number; id: string } }>(
    '/api/projects/:project_id/hog_functions/:id/enable/',
    { schema: { params: destinationParams } },
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

  app.get<{ Params: { project_id: number; id: string }; Querystring: { limit: number } }>(
    '/api/projects/:project_id/hog_functions/:id/health/',
    {
      schema: {
        params: destinationParams,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } },
      },
    },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const changes = await store.listDestinationHealthChanges(project.id, destination.id, request.query.limit);
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

  app.post<{ Params: { project_id: number; id: string }; Body: ReplayBody }>(
    '/api/projects/:project_id/hog_functions/:id/replay/',
    { schema: { params: destinationParams, body: replayBody } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const body = request.body ?? { dry_run: false };
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
        dryRun: body.dry_run,
        now: Date.now(),
        ...(opts.replay ?? {}),
      });
      if (body.dry_run) return { dry_run: true, count: result.count, states };
      return {
        dry_run: false,
        count: result.count,
        replayed: result.count,
        remaining: result.remaining,
        states,
        due_by: result.lastDueAt === null ? null : new Date(result.lastDueAt).toISOString(),
        status: statusView(await store.getDestinationHealth(project.id, destination.id)),
      };
    },
  );
}
