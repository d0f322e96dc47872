/** `…/hog_functions/:id/logs/`, `…/metrics/` and `…/invocations/` (listing): what a destination did. */
import type { FastifyInstance } from 'fastify';
import type { InvocationState, LogLevel, Store } from '../../../store/store.js';
import { ApiError, isoTimeParam } from '../../errors.js';
import { destinationOr404, destinationParams, projectOr404 } from './common.js';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const STATES: InvocationState[] = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'parked'];
const HOUR = 3600_000;

function csv<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (value === undefined || value === '') return undefined;
  const items = value.split(',').map((v) => v.trim().toLowerCase());
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `${field}: unknown value '${item}', expected one of ${allowed.join(', ')}`, field);
  }
  return items as T[];
}

function isoOr(value: string | undefined, fallback: Date, field: string): string {
  return value === undefined ? fallback.toISOString() : isoTimeParam(value, field);
}

export async function logAndMetricRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;

  app.get<{ Params: { project_id: number; id: string }; Querystring: { level?: string; search?: string; instance_id?: string; after?: string; before?: string; limit: number } }>(
    '/api/projects/:project_id/hog_functions/:id/logs/',
    {
      schema: {
        params: destinationParams,
        querystring: {
          type: 'object',
          properties: {
            level: { type: 'string' },
            search: { type: 'string' },
            instance_id: { type: 'string' },
            after: { type: 'string' },
            before: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const q = request.query;
      const logs = await store.queryLogs(project.id, destination.id, {
        levels: csv(q.level, LEVELS, 'level'),
        search: q.search,
        invocationId: q.instance_id,
        after: q.after === undefined ? undefined : isoOr(q.after, new Date(), 'after'),
        before: q.before === undefined ? undefined : isoOr(q.before, new Date(), 'before'),
        limit: q.limit,
      });
      return {
        results: logs.map((l) => ({ timestamp: l.timestamp, level: l.level.toUpperCase(), message: l.message, instance_id: l.invocationId })),
      };
    },
  );

  app.get<{ Params: { project_id: number; id: string }; Querystring: { after?: string; before?: string; interval: 'hour' | 'day'; name?: string } }>(
    '/api/projects/:project_id/hog_functions/:id/metrics/',
    {
      schema: {
        params: destinationParams,
        querystring: {
          type: 'object',
          properties: {
            after: { type: 'string' },
            before: { type: 'string' },
            interval: { type: 'string', enum: ['hour', 'day'], default: 'hour' },
            name: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const q = request.query;
      const before = isoOr(q.before, new Date(Date.now() + HOUR), 'before');
      const after = isoOr(q.after, new Date(Date.parse(before) - 7 * 24 * HOUR), 'after');
      const names = q.name ? q.name.split(',').map((n) => n.trim()) : undefined;
      const points = await store.queryMetrics(project.id, destination.id, { after, before, interval: q.interval, names });
      const labels = [...new Set(points.map((p) => p.bucket))].sort();
      const seriesNames = [...new Set(points.map((p) => p.name))].sort();
      const index = new Map(labels.map((l, i) => [l, i]));
      const series = seriesNames.map((name) => {
        const values = labels.map(() => 0);
        for (const p of points) if (p.name === name) values[index.get(p.bucket)!] += p.count;
        return { name, values };
      });
      const totals = Object.fromEntries(series.map((s) => [s.name, s.values.reduce((a, b) => a + b, 0)]));
      return { interval: q.interval, labels, series, totals };
    },
  );

  app.get<{ Params: { project_id: number; id: string }; Querystring: { state?: string; limit: number; before?: number } }>(
    '/api/projects/:project_id/hog_functions/:id/invocations/',
    {
      schema: {
        params: destinationParams,
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            before: { type: 'integer' },
          },
        },
      },
    },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const invocations = await store.listInvocations(project.id, destination.id, {
        states: csv(request.query.state, STATES, 'state'),
        limit: request.query.limit,
        before: request.query.before,
      });
      return {
        results: invocations.map((i) => ({
          id: i.id,
          state: i.state,
          event_uuid: i.eventUuid,
          mapping_index: i.mappingIndex,
          attempts: i.attempts,
          error: i.error,
          scheduled_at: new Date(i.scheduledAt).toISOString(),
          created_at: new Date(i.createdAt).toISOString(),
          finished_at: i.finishedAt === null ? null : new Date(i.finishedAt).toISOString(),
        })),
      };
    },
  );
}
