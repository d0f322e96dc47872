/**
 * Runs a destination (a template, or a user's own configuration) on fixture events through the real
 * runtime path — validation and compilation, filters, templated inputs, mappings, the Hog code — with
 * every fetch intercepted, and compares the requests made with the ones the fixture expects.
 * Used by the template tests and by `sluice test DESTINATION.json`.
 */
import { isDeepStrictEqual } from 'node:util';
import { globalsFromExample, type ExampleDefaults, type Globals } from '../destinations/globals.js';
import { matchesFilters } from '../destinations/filters.js';
import type { InputSchemaItem, Inputs } from '../destinations/model.js';
import { validateDestination } from '../destinations/validation.js';
import { type HttpRequest, InvocationExecutor, runToEnd, type RunToEndResult } from '../runtime/executor.js';
import { invocationJobs } from '../runtime/jobs.js';
import type { ExpectedRequest, TemplateFixture } from './types.js';

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

function asFilterGlobals(globals: Globals): Record<string, unknown> {
  return globals as unknown as Record<string, unknown>;
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
  const matched = !filterBytecode || matchesFilters(filterBytecode, asFilterGlobals(globals)).matched;
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
