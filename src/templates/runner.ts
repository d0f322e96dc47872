/**
 * Runs a destination (a template, or a user's own configuration) on fixture events through the real
 * runtime path — validation and compilation, filters, templated inputs, mappings, the Hog code — with
 * every fetch intercepted, and compares the requests made with the ones the fixture expects.
 * Used by the template tests and by `sluice test DESTINATION.json`.
 *
 * `runTransformationFixture` does the same for a transformation: validation, then the real chain
 * (`src/transformations/`), and the event that comes out compared with the expected one, or `dropped`.
 */
import { isDeepStrictEqual } from 'node:util';
import { globalsFromExample, type ExampleDefaults, type Globals } from '../destinations/globals.js';
import { matchesFilters } from '../destinations/filters.js';
import type { InputSchemaItem, Inputs } from '../destinations/model.js';
import { validateDestination } from '../destinations/validation.js';
import { type HttpRequest, InvocationExecutor, runToEnd, type RunToEndResult } from '../runtime/executor.js';
import { invocationJobs } from '../runtime/jobs.js';
import type { Event } from '../store/store.js';
import { compileTransformationChain, type TransformationOutcome } from '../transformations/chain.js';
import { transformationFunctionOf } from '../transformations/functions.js';
import type { ExpectedRequest, TemplateFixture, TransformationFixture } from './types.js';

/** A destination as the API takes it: code, schema, inputs (`{key: {value}}` or plain values), filters, … */
export interface DestinationConfig {
  name?: string;
  hog: string;
  inputs_schema?: InputSchemaItem[];
  inputs?: Record<string, unknown>;
  filters?: unknown;
  masking?: unknown;
  mappings?: unknown;
}

export interface FixtureResult {
  fixture: string;
  passed: boolean;
  problems: string[];
  status: 'succeeded' | 'failed' | 'skipped';
  requests: HttpRequest[];
  run?: RunToEndResult;
}

function inputsFor(schema: InputSchemaItem[], given: Record<string, unknown>): Inputs {
  const inputs: Inputs = {};
  for (const item of schema) {
    if (item.default !== undefined) inputs[item.key] = { value: item.default };
  }
  for (const [key, value] of Object.entries(given)) {
    const wrapped = typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value && Object.keys(value).length === 1;
    inputs[key] = wrapped ? (value as { value: unknown }) : { value };
  }
  return inputs;
}

/** Fixtures run with fixed defaults, so their expected requests never change from run to run. */
const FIXTURE_DEFAULTS: ExampleDefaults = {
  uuid: () => '01900000-0000-7000-8000-000000000000',
  timestamp: () => '2026-01-01T00:00:00.000Z',
  distinctId: 'distinct-id',
  personId: 'person-id',
};

function globalsFor(fixture: TemplateFixture, destinationName: string): Globals {
  return globalsFromExample(fixture, FIXTURE_DEFAULTS, {
    project: { id: 1, name: 'Test project' },
    source: { name: destinationName, id: 'destination-id' },
    siteUrl: 'http://localhost:8040',
  });
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function comparableBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function compareRequest(index: number, actual: HttpRequest, expected: ExpectedRequest): string[] {
  const problems: string[] = [];
  const where = `request ${index + 1}`;
  if (actual.method !== expected.method.toUpperCase()) problems.push(`${where}: method ${actual.method}, expected ${expected.method}`);
  if (actual.url !== expected.url) problems.push(`${where}: url ${actual.url}\n  expected ${expected.url}`);
  if (expected.headers !== undefined && !isDeepStrictEqual(lowerKeys(actual.headers), lowerKeys(expected.headers))) {
    problems.push(`${where}: headers ${JSON.stringify(lowerKeys(actual.headers))}\n  expected ${JSON.stringify(lowerKeys(expected.headers))}`);
  }
  if ('body' in expected && !isDeepStrictEqual(comparableBody(actual.body), comparableBody(expected.body))) {
    problems.push(`${where}: body ${JSON.stringify(actual.body)}\n  expected ${JSON.stringify(expected.body)}`);
  }
  return problems;
}

export async function runFixture(config: DestinationConfig, fixture: TemplateFixture): Promise<FixtureResult> {
  const schema = config.inputs_schema ?? [];
  const validated = validateDestination({
    name: config.name ?? 'Destination under test',
    hog: config.hog,
    inputs_schema: schema,
    inputs: inputsFor(schema, { ...(config.inputs ?? {}), ...fixture.inputs }),
    filters: config.filters ?? {},
    masking: config.masking ?? null,
    mappings: config.mappings ?? null,
  });
  const result: FixtureResult = { fixture: fixture.name, passed: false, problems: [], status: 'skipped', requests: [] };
  if (!validated.ok) {
    result.problems = validated.errors.map((e) => `invalid configuration: ${e.path}: ${e.message}${e.line ? ` at ${e.line}:${e.column}` : ''}`);
    return result;
  }
  const destination = validated.destination;
  const globals = globalsFor(fixture, destination.name);
  const filterBytecode = destination.filters.bytecode;
  const matched = !filterBytecode || matchesFilters(filterBytecode, globals).matched;
  const responses = [...(fixture.responses ?? [])];
  const nowMs = Date.parse(fixture.now ?? '2026-01-01T00:00:00.000Z');
  const executor = new InvocationExecutor({ vmTimeoutMs: 1000, ...(fixture.maxFetches !== undefined ? { maxFetches: fixture.maxFetches } : {}) }, () => nowMs);
  if (matched) {
    for (const job of invocationJobs(destination, globals)) {
      const run = await runToEnd(executor, job, async (request) => {
        result.requests.push(request);
        const response = responses.shift() ?? { status: 200, body: {} };
        return { status: response.status, body: response.body ?? null, headers: response.headers ?? {} };
      });
      result.run = run;
      result.status = run.status;
      if (run.status === 'failed') break;
    }
  }
  result.problems = checkExpectations(fixture, result);
  result.passed = result.problems.length === 0;
  return result;
}

function checkExpectations(fixture: TemplateFixture, result: FixtureResult): string[] {
  const problems: string[] = [];
  const expectedStatus = fixture.expect.status ?? 'succeeded';
  if (result.status !== expectedStatus) {
    problems.push(`status ${result.status}, expected ${expectedStatus}${result.run?.error ? ` (error: ${result.run.error})` : ''}`);
  }
  if (fixture.expect.error && !(result.run?.error ?? '').includes(fixture.expect.error)) {
    problems.push(`error ${JSON.stringify(result.run?.error)} does not contain ${JSON.stringify(fixture.expect.error)}`);
  }
  const expected = fixture.expect.requests;
  if (result.requests.length !== expected.length) {
    problems.push(`${result.requests.length} requests made, expected ${expected.length}`);
  }
  for (let i = 0; i < Math.min(expected.length, result.requests.length); i++) {
    problems.push(...compareRequest(i, result.requests[i]!, expected[i]!));
  }
  const logs = (result.run?.logs ?? []).map((l) => l.message).join('\n');
  for (const secret of fixture.expect.logsMustNotContain ?? []) {
    if (logs.includes(secret)) problems.push(`the logs contain ${JSON.stringify(secret)}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Transformations

export interface TransformationFixtureResult {
  fixture: string;
  passed: boolean;
  problems: string[];
  /** The event that came out; null when dropped (or when the configuration did not validate). */
  event: Event | null;
  outcome?: TransformationOutcome;
  logs: string[];
}

/** The fixture's event with the same fixed defaults as destination fixtures. */
export function fixtureEvent(fixture: Pick<TransformationFixture, 'event'>): Event {
  const e = fixture.event;
  const event: Event = {
    uuid: e.uuid ?? FIXTURE_DEFAULTS.uuid(),
    event: e.event,
    distinct_id: e.distinct_id ?? FIXTURE_DEFAULTS.distinctId,
    properties: structuredClone(e.properties ?? {}),
    timestamp: e.timestamp ?? FIXTURE_DEFAULTS.timestamp(),
  };
  if (e.elements_chain !== undefined) event.elements_chain = e.elements_chain;
  return event;
}

/**
 * Runs one transformation fixture. Limits are generous (1 s) so a loaded test machine cannot fail a
 * fixture on time; the chain's own tests cover the real limits.
 */
export function runTransformationFixture(config: DestinationConfig & { allow_identity_changes?: boolean }, fixture: TransformationFixture): TransformationFixtureResult {
  const schema = config.inputs_schema ?? [];
  const validated = validateDestination({
    type: 'transformation',
    name: config.name ?? 'Transformation under test',
    hog: config.hog,
    inputs_schema: schema,
    inputs: inputsFor(schema, { ...(config.inputs ?? {}), ...fixture.inputs }),
    filters: fixture.filters ?? config.filters ?? {},
    allow_identity_changes: fixture.allow_identity_changes ?? config.allow_identity_changes ?? false,
  });
  const result: TransformationFixtureResult = { fixture: fixture.name, passed: false, problems: [], event: null, logs: [] };
  if (!validated.ok) {
    result.problems = validated.errors.map((e) => `invalid configuration: ${e.path}: ${e.message}${e.line ? ` at ${e.line}:${e.column}` : ''}`);
    return result;
  }
  const nowMs = Date.parse('2026-01-01T00:00:00.000Z');
  const chain = compileTransformationChain([transformationFunctionOf(validated.destination)], { limits: { timeoutMs: 1000, warmUpRuns: 0 }, now: () => nowMs });
  const input = fixtureEvent(fixture);
  const run = chain.apply(input, { project: { id: 1, name: 'Test project' }, siteUrl: 'http://localhost:8040' });
  result.event = run.event;
  result.outcome = run.outcomes[0];
  result.logs = run.logs.map((l) => `${l.level}: ${l.message}`);
  result.problems = transformationProblems(fixture, input, result);
  result.passed = result.problems.length === 0;
  return result;
}

function transformationProblems(fixture: TransformationFixture, input: Event, result: TransformationFixtureResult): string[] {
  const outcome = result.outcome;
  if (outcome?.result === 'failed') return [`the transformation failed: ${outcome.error}`];
  if ('dropped' in fixture.expect) {
    return result.event === null ? [] : [`the event was kept (${outcome?.result}), expected it dropped: ${JSON.stringify(result.event)}`];
  }
  if (result.event === null) return ['the event was dropped, expected it kept'];
  const problems: string[] = [];
  const want = fixture.expect.event;
  const expected: Event = {
    uuid: want.uuid ?? input.uuid,
    event: want.event ?? input.event,
    distinct_id: want.distinct_id ?? input.distinct_id,
    properties: want.properties,
    timestamp: want.timestamp ?? input.timestamp,
  };
  if (input.elements_chain !== undefined) expected.elements_chain = input.elements_chain;
  if (!isDeepStrictEqual(result.event, expected)) problems.push(`event ${JSON.stringify(result.event)}\n  expected ${JSON.stringify(expected)}`);
  if (fixture.expect.result !== undefined && outcome?.result !== fixture.expect.result) problems.push(`result ${outcome?.result}, expected ${fixture.expect.result}`);
  return problems;
}
