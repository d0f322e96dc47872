/** `…/hog_functions/:id/logs/`, `…/metrics/` and `…/invocations/` (listing): what a destination did. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { InvocationState, LogLevel, Store } from '../../../store/store.js';
import { ApiError, isoTimeParam } from '../../errors.js';
import { FunctionParams, ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { INVOCATIONS_DEFAULT_LIMIT, InvocationList, InvocationQuery } from '../../schemas/invocations.js';
import { LogList, LOGS_DEFAULT_LIMIT, LogQuery, type LogEntry } from '../../schemas/logs.js';
import { Metrics, MetricsQuery } from '../../schemas/metrics.js';
import { destinationOr404, projectOr404 } from './common.js';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const STATES: InvocationState[] = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'parked'];
const HOUR = 3600_000;
const LEVEL_NAMES: Record<LogLevel, LogEntry['level']> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };
const responses = <T>(ok: T) => ({ 200: ok, ...errorResponses(400, ...AUTH_ERRORS, 404) });

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
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/api/projects/:project_id/hog_functions/:id/logs/',
    { schema: { params: FunctionParams, querystring: LogQuery, response: responses(ref(LogList)) } },
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
        limit: q.limit ?? LOGS_DEFAULT_LIMIT,
      });
      return {
        results: logs.map((l) => ({ timestamp: l.timestamp, level: LEVEL_NAMES[l.level], message: l.message, instance_id: l.invocationId })),
      };
    },
  );

  api.get(
    '/api/projects/:project_id/hog_functions/:id/metrics/',
    { schema: { params: FunctionParams, querystring: MetricsQuery, response: responses(ref(Metrics)) } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const q = request.query;
      const before = isoOr(q.before, new Date(Date.now() + HOUR), 'before');
      const after = isoOr(q.after, new Date(Date.parse(before) - 7 * 24 * HOUR), 'after');
      const names = q.name ? q.name.split(',').map((n) => n.trim()) : undefined;
      const interval = q.interval ?? 'hour';
      const points = await store.queryMetrics(project.id, destination.id, { after, before, interval, names });
      const labels = [...new Set(points.map((p) => p.bucket))].sort();
      const seriesNames = [...new Set(points.map((p) => p.name))].sort();
      const index = new Map(labels.map((l, i) => [l, i]));
      const series = seriesNames.map((name) => {
        const values = labels.map(() => 0);
        for (const p of points) if (p.name === name) values[index.get(p.bucket)!] += p.count;
        return { name, values };
      });
      const totals = Object.fromEntries(series.map((s) => [s.name, s.values.reduce((a, b) => a + b, 0)]));
      return { interval, labels, series, totals };
    },
  );

  api.get(
    '/api/projects/:project_id/hog_functions/:id/invocations/',
    { schema: { params: FunctionParams, querystring: InvocationQuery, response: responses(ref(InvocationList)) } },
    async (request) => {
      const project = await projectOr404(store, request.params.project_id);
      const destination = await destinationOr404(store, project.id, request.params.id);
      const invocations = await store.listInvocations(project.id, destination.id, {
        states: csv(request.query.state, STATES, 'state'),
        limit: request.query.limit ?? INVOCATIONS_DEFAULT_LIMIT,
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
