/**
 * What the hog functions API does for transformations only (docs/transformations.md):
 *
 *   - a new transformation without `execution_order` is placed after the project's others;
 *   - `POST|PATCH …/hog_functions/rearrange/` with `{orders: {id: order}}` (PostHog's shape) sets the order
 *     of several at once, all or none;
 *   - a test run shows the event before and after the transformation, or after the project's whole chain
 *     (`?chain=true`) with the unsaved configuration in place of the stored one.
 */
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { looseRecord } from '../../../destinations/globals.js';
import { functionTypeOf, type Destination } from '../../../destinations/model.js';
import { collectSecretValues, redactDeep, type Keyring } from '../../../destinations/secrets.js';
import { MAX_EXECUTION_ORDER } from '../../../destinations/validation.js';
import type { Event, Project, Store } from '../../../store/store.js';
import { compileTransformationChain, type ChainResult, type TransformationResult } from '../../../transformations/chain.js';
import { enabledTransformations, transformationFunctionOf, type TransformationFunction } from '../../../transformations/functions.js';
import { DEFAULT_TRANSFORMATION_LIMITS } from '../../../transformations/limits.js';
import { ProjectIdParams, ref } from '../../schemas/common.js';
import { DestinationList } from '../../schemas/destinations.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import type { TestRunResult } from '../../schemas/invocations.js';
import { projectOr404, ValidationFailed } from './common.js';
import { destinationOf, destinationView } from './views.js';
import { statusView } from '../../../runtime/health-monitor.js';

/** Most transformations one rearrange may move: far more than a project has, few enough to save in one go. */
const MAX_REARRANGED = 500;

async function transformationsOf(store: Store, projectId: number): Promise<Destination[]> {
  return (await store.listDestinations(projectId)).map(destinationOf).filter((d) => functionTypeOf(d) === 'transformation');
}

/** A new transformation without an order runs after every other one of its project. */
export async function withExecutionOrder(store: Store, projectId: number, destination: Destination, existing?: Destination): Promise<Destination> {
  if (existing !== undefined || functionTypeOf(destination) !== 'transformation' || typeof destination.execution_order === 'number') return destination;
  const orders = (await transformationsOf(store, projectId)).map((d) => d.execution_order).filter((o): o is number => typeof o === 'number');
  return { ...destination, execution_order: orders.length === 0 ? 0 : Math.min(MAX_EXECUTION_ORDER, Math.max(...orders) + 1) };
}

/** Transformations sorted as they run: by `execution_order` (unordered last), then creation. */
export function inRunOrder(list: Destination[]): Destination[] {
  const order = (d: Destination) => (typeof d.execution_order === 'number' ? d.execution_order : Number.MAX_SAFE_INTEGER);
  return [...list].sort((a, b) => order(a) - order(b) || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

const RearrangeBody = Type.Object(
  {
    orders: Type.Record(Type.String(), Type.Integer(), {
      description: `Transformation id → its new execution_order (0 to ${MAX_EXECUTION_ORDER}); ids not listed keep theirs`,
    }),
  },
  { additionalProperties: false },
);

export interface RearrangeOptions {
  store: Store;
  siteUrl?: string;
  onDestinationsChanged?: () => void;
}

export async function rearrangeRoutes(app: FastifyInstance, opts: RearrangeOptions): Promise<void> {
  const { store } = opts;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  for (const method of ['POST', 'PATCH'] as const) {
    api.route({
      method,
      url: '/api/projects/:project_id/hog_functions/rearrange/',
      schema: { params: ProjectIdParams, body: RearrangeBody, response: { 200: ref(DestinationList), ...errorResponses(400, ...AUTH_ERRORS, 404) } },
      handler: async (request) => {
        const project = await projectOr404(store, request.params.project_id);
        const orders = Object.entries(request.body.orders);
        const byId = new Map((await transformationsOf(store, project.id)).map((d) => [d.id, d]));
        checkOrders(orders, byId);
        const now = new Date().toISOString();
        for (const [id, order] of orders) {
          const config = { ...byId.get(id)!, execution_order: order, updated_at: now };
          await store.saveDestination({ id, projectId: project.id, enabled: config.enabled, config: { ...config } });
        }
        if (orders.length > 0) opts.onDestinationsChanged?.();
        const statuses = new Map((await store.listDestinationHealth(project.id)).map((h) => [h.destinationId, statusView(h)]));
        const results = inRunOrder(await transformationsOf(store, project.id)).map((d) => destinationView(d, statuses.get(d.id), opts.siteUrl));
        return { count: results.length, next: null, previous: null, results };
      },
    });
  }
}

/** Every problem of a rearrange, each naming its id; nothing is saved unless all are fine. */
function checkOrders(orders: [string, number][], transformations: Map<string, Destination>): void {
  if (orders.length > MAX_REARRANGED) throw new ValidationFailed([{ path: 'orders', message: `at most ${MAX_REARRANGED} transformations per rearrange, got ${orders.length}` }]);
  const errors = orders.flatMap(([id, order]) => {
    const path = `orders.${id}`;
    if (!transformations.has(id)) return [{ path, message: `no transformation '${id.slice(0, 80)}' in this project` }];
    if (order < 0 || order > MAX_EXECUTION_ORDER) return [{ path, message: `must be a whole number from 0 to ${MAX_EXECUTION_ORDER}` }];
    return [];
  });
  if (errors.length > 0) throw new ValidationFailed(errors);
}

// ---------------------------------------------------------------------------------------------
// Test runs

const SAMPLE_EVENT = {
  event: '$pageview',
  distinct_id: 'example-distinct-id',
  properties: { $current_url: 'https://example.com/pricing?utm_source=newsletter', $browser: 'Chrome' },
};

export interface TransformationTestRun {
  globals?: { event?: unknown };
  project: Project;
  /** The configuration under test, validated, secrets decrypted. */
  destination: Destination;
  /** Run the project's enabled transformations in order, with this one in its place. */
  chain: boolean;
  store: Store;
  keyring: Keyring;
  siteUrl: string;
}

/** The example event of a test run: the body's `globals.event` over a sample page view. */
function exampleEvent(given: unknown): Event {
  const raw: Record<string, unknown> = { ...SAMPLE_EVENT, ...looseRecord(given) };
  const event: Event = {
    uuid: typeof raw.uuid === 'string' ? raw.uuid : randomUUID(),
    event: String(raw.event ?? raw.name ?? '$pageview'),
    distinct_id: String(raw.distinct_id ?? 'example-distinct-id'),
    properties: looseRecord(raw.properties),
    timestamp: typeof raw.timestamp === 'string' ? raw.timestamp : new Date().toISOString(),
  };
  if (typeof raw.elements_chain === 'string' && raw.elements_chain !== '') event.elements_chain = raw.elements_chain;
  return event;
}

/** This configuration alone, or the project's chain with it in place of its stored version. */
async function functionsFor(run: TransformationTestRun): Promise<TransformationFunction[]> {
  const own = transformationFunctionOf(run.destination);
  if (!run.chain) return [own];
  const others = enabledTransformations(await run.store.listDestinations(run.project.id), run.keyring).filter((fn) => fn.id !== own.id);
  return [...others, own];
}

/**
 * Runs a transformation (or the chain) on the example event. Nothing is stored. A test run is a first
 * run, so it gets the warm-up allowance (a busy server must not fail it on one-time costs); a
 * transformation that took longer than the live limit gets a warning instead.
 */
export async function testRunTransformation(run: TransformationTestRun): Promise<TestRunResult> {
  const functions = await functionsFor(run);
  const secrets: string[] = [];
  for (const fn of functions) {
    for (const item of fn.inputsSchema) if (item.secret && fn.inputs[item.key] !== undefined) collectSecretValues(fn.inputs[item.key]!.value, secrets);
  }
  const before = exampleEvent(run.globals?.event);
  const chain = compileTransformationChain(functions);
  const result = chain.apply(structuredClone(before), { project: run.project, siteUrl: run.siteUrl });
  const own = result.outcomes.find((o) => o.id === run.destination.id);
  const names = new Map(functions.map((fn) => [fn.id, fn.name]));
  const failed = result.outcomes.filter((o) => o.result === 'failed');
  return {
    status: failed.length > 0 ? 'error' : own?.result === 'skipped_by_filter' && !run.chain ? 'skipped' : 'success',
    result: redactDeep(result.event, secrets),
    errors: failed.map((o) => (run.chain ? `${o.name}: ${o.error}` : (o.error ?? ''))),
    logs: logsOf(result, run.chain, names, own?.result),
    requests: [],
    transformation: {
      chain: run.chain,
      before: redactDeep(before, secrets) as Record<string, unknown>,
      after: redactDeep(result.event, secrets) as Record<string, unknown> | null,
      dropped: result.event === null,
      outcomes: result.outcomes.map((o) => ({ id: o.id, name: o.name, result: o.result, error: o.error ?? null, duration_ms: o.durationMs })),
    },
  };
}

const EXPLAINED: Partial<Record<TransformationResult, string>> = {
  skipped_by_filter: 'The event does not match the filters: the transformation would not run.',
  dropped: 'The event was dropped: nothing after this transformation would see it.',
  unchanged: 'The transformation returned the event unchanged.',
};

function logsOf(result: ChainResult<Event>, chain: boolean, names: Map<string, string>, own: TransformationResult | undefined): TestRunResult['logs'] {
  const prefix = (id: string) => (chain ? `[${names.get(id) ?? id}] ` : '');
  const logs = result.logs.map((l) => ({ timestamp: l.timestamp, level: l.level, message: `${prefix(l.destinationId)}${l.message}` }));
  const now = new Date().toISOString();
  for (const o of result.outcomes) {
    if (o.result === 'failed' || o.durationMs <= DEFAULT_TRANSFORMATION_LIMITS.timeoutMs) continue;
    const message = `${prefix(o.id)}This run took ${o.durationMs.toFixed(1)} ms; on live events the limit is ${DEFAULT_TRANSFORMATION_LIMITS.timeoutMs} ms per event (a first run is slower than later ones).`;
    logs.push({ timestamp: now, level: 'warn', message });
  }
  const explained = own === undefined ? undefined : EXPLAINED[own];
  if (!chain && explained !== undefined) logs.push({ timestamp: new Date().toISOString(), level: 'info', message: explained });
  return logs;
}
