/**
 * `POST …/hog_functions/:id/invocations/` — a test run: run a saved or unsaved
 * configuration on an example event through the real filters, inputs and code. With
 * `mock_async_functions` (the default) every fetch is logged instead of sent and answers
 * `{status: 200, body: {}}`; secrets are redacted from everything returned: credential headers by name
 * (`Authorization`, cookies, any header the inputs schema lists in `secret_headers`, …) and every secret
 * value in every spelling one standard call makes of it (base64, hex, URL-encoded; `redactSecrets`), in
 * the requests, logs, errors and result.
 */
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { matchesFilters } from '../../../destinations/filters.js';
import { computeMaskingKey } from '../../../destinations/masking.js';
import { globalsFromExample, looseRecord, type ExampleDefaults, type Globals } from '../../../destinations/globals.js';
import { functionTypeOf, type Destination } from '../../../destinations/model.js';
import { uiUrls } from '../../../destinations/globals.js';
import { requestGlobals, runSource } from '../../../sources/run.js';
import { redactDeep, redactHeaders, redactSecrets, secretHeadersOf, type Keyring } from '../../../destinations/secrets.js';
import {
  describeRequest,
  type ExecutorLimits,
  type HttpRequest,
  type HttpResponse,
  InvocationExecutor,
  type InvocationLog,
  runToEnd,
} from '../../../runtime/executor.js';
import { invocationJobs } from '../../../runtime/jobs.js';
import type { Project, Store } from '../../../store/store.js';
import { FunctionParams, ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { TestRunQuery, TestRunRequest, TestRunResult } from '../../schemas/invocations.js';
import { destinationOr404, projectOr404, ValidationFailed, validateForProject } from './common.js';
import { decryptSecretInputs } from './secrets.js';
import { testRunTransformation } from './transformations.js';

export interface TestRunOptions {
  store: Store;
  keyring: Keyring;
  /** Performs real requests when a test run asks for `mock_async_functions: false`. */
  fetch?: (request: HttpRequest) => Promise<HttpResponse>;
  /** Base URL of the web UI, for the `url` globals. */
  siteUrl?: string;
  /** The runtime's limits, so a test run fails where delivery would (`SLUICE_MAX_FETCHES`). */
  executorLimits?: Partial<ExecutorLimits>;
}

type TestRunBody = Static<typeof TestRunRequest>;

const SAMPLE_EVENT = {
  event: '$pageview',
  distinct_id: 'example-distinct-id',
  properties: { $current_url: 'https://example.com/pricing', $browser: 'Chrome' },
};
const SAMPLE_PERSON = { id: 'example-person', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'the Hedgehog' } };

const TEST_RUN_DEFAULTS: ExampleDefaults = {
  uuid: randomUUID,
  timestamp: () => new Date().toISOString(),
  distinctId: 'example-distinct-id',
  personId: 'example-person',
};

/** The body's globals over a sample event and person (a shallow merge: given properties replace the sample's). */
function globalsForTest(body: TestRunBody, project: Project, destination: Destination, siteUrl: string): Globals {
  const given = body.globals;
  const example = {
    event: { ...SAMPLE_EVENT, ...looseRecord(given?.event) },
    person: given?.person === null ? null : { ...SAMPLE_PERSON, ...looseRecord(given?.person) },
    groups: given?.groups,
  };
  return globalsFromExample(example, TEST_RUN_DEFAULTS, {
    project: { id: project.id, name: project.name },
    source: { name: destination.name, id: destination.id },
    siteUrl,
  });
}

export async function testRunRoutes(app: FastifyInstance, opts: TestRunOptions): Promise<void> {
  const { store, keyring } = opts;
  const executor = new InvocationExecutor(opts.executorLimits ?? {});

  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/projects/:project_id/hog_functions/:id/invocations/',
    { schema: { params: FunctionParams, querystring: TestRunQuery, body: TestRunRequest, response: { 200: ref(TestRunResult), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request): Promise<TestRunResult> => {
      const project = await projectOr404(store, request.params.project_id);
      const existing = request.params.id === 'new' ? undefined : await destinationOr404(store, project.id, request.params.id);
      const validated = await validateForProject(request.body.configuration ?? {}, project, existing);
      if (!validated.ok) throw new ValidationFailed(validated.errors);
      const secrets: string[] = [];
      const destination = decryptSecretInputs(validated.destination, keyring, secrets);
      const redact = (text: string) => redactSecrets(text, secrets);
      const secretHeaders = secretHeadersOf(destination.inputs_schema, ...(destination.mappings ?? []).map((m) => m.inputs_schema));
      const shown = (req: HttpRequest) => shownRequest(req, secrets, secretHeaders);
      if (functionTypeOf(destination) === 'source_webhook') {
        return testRunSource(request.body, project, destination, opts.siteUrl ?? 'http://localhost:8040', secrets);
      }
      if (functionTypeOf(destination) === 'transformation') {
        const siteUrl = opts.siteUrl ?? 'http://localhost:8040';
        return testRunTransformation({ globals: request.body.globals, project, destination, chain: request.query.chain === true, store, keyring, siteUrl });
      }
      const globals = globalsForTest(request.body, project, destination, opts.siteUrl ?? 'http://localhost:8040');

      const filterBytecode = destination.filters.bytecode;
      if (filterBytecode) {
        const match = matchesFilters(filterBytecode, globals);
        if (!match.matched) {
          const message = match.error ? `Filters failed: ${match.error}` : 'The event does not match the filters: the destination would not run.';
          return { status: 'skipped', result: null, errors: match.error ? [redact(match.error)] : [], logs: [logLine(match.error ? 'error' : 'info', message)], requests: [] };
        }
      }

      // The masking hash is computed (not applied: a test run always runs), so a hash that fails — and in
      // delivery would skip every event for this destination — shows here.
      if (destination.masking?.bytecode) {
        const masking = computeMaskingKey(destination.masking, { ...globals });
        if (!masking.ok) {
          return { status: 'skipped', result: null, errors: [redact(masking.error)], logs: [logLine('error', redact(`Masking failed: ${masking.error}`))], requests: [] };
        }
      }

      const mock = request.body.mock_async_functions !== false;
      const logs: InvocationLog[] = [];
      const errors: string[] = [];
      const requests: HttpRequest[] = [];
      let result: unknown = null;
      // Counted per invocation (a mapping is its own invocation with its own limit): the most any one made.
      let mostFetches = 0;
      for (const job of invocationJobs(destination, globals)) {
        const before = requests.length;
        const run = await runToEnd(executor, job, async (req) => {
          requests.push(req);
          if (mock || !opts.fetch) {
            logs.push(logLine('info', redact(`Async function 'fetch' was mocked with arguments: ${describeRequest(shown(req))}`)));
            return { status: 200, body: {} };
          }
          return opts.fetch(req);
        });
        mostFetches = Math.max(mostFetches, requests.length - before);
        logs.push(...run.logs);
        if (run.error) errors.push(redact(run.error));
        result = run.result ?? null;
      }
      return {
        status: errors.length > 0 ? 'error' : 'success',
        result: redactDeep(result, secrets),
        errors,
        logs: logs.map((l) => ({ ...l, message: redact(l.message) })),
        requests: requests.map(shown),
        fetches: { made: mostFetches, limit: executor.limits.maxFetches },
      };
    },
  );
}

/** A request as a test run shows it: credential headers masked by name, secrets redacted everywhere. */
function shownRequest(request: HttpRequest, secrets: string[], secretHeaders: string[]): HttpRequest {
  const shown: HttpRequest = {
    url: redactSecrets(request.url, secrets),
    method: redactSecrets(request.method, secrets),
    headers: redactHeaders(request.headers, secrets, secretHeaders),
  };
  if (request.body !== undefined) shown.body = redactDeep(request.body, secrets);
  return shown;
}

function logLine(level: InvocationLog['level'], message: string): InvocationLog {
  return { timestamp: new Date().toISOString(), level, message };
}

/**
 * A source's test run: the example request through the real code, nothing stored. It answers what
 * the public URL would: the `captured` events, the `response`, and the logs and errors.
 */
function testRunSource(body: TestRunBody, project: Project, destination: Destination, siteUrl: string, secrets: string[]): TestRunResult {
  const given = looseRecord(body.globals?.request);
  const rawBody = typeof given.body === 'string' ? given.body : given.body === undefined ? '' : JSON.stringify(given.body);
  const headers = { 'content-type': 'application/json', ...stringRecord(given.headers) };
  const request = requestGlobals({
    method: typeof given.method === 'string' ? given.method : 'POST',
    headers,
    query: stringRecord(given.query),
    ip: typeof given.ip === 'string' ? given.ip : '127.0.0.1',
    rawBody,
  });
  const urls = uiUrls(siteUrl, project.id);
  const run = runSource(
    { id: destination.id, name: destination.name, bytecode: destination.bytecode, lines: destination.bytecode_lines, inputsSchema: destination.inputs_schema, inputs: destination.inputs },
    request,
    { project: { id: project.id, name: project.name, url: urls.project }, source: { id: destination.id, name: destination.name, url: urls.destination(destination.id) } },
  );
  const response = run.status === 'failed' ? { status: 500, body: { error: 'the source failed' } } : run.response;
  return {
    status: run.status === 'failed' ? 'error' : 'success',
    result: redactDeep(response.body, secrets),
    response: { status: response.status, body: redactDeep(response.body, secrets) },
    captured: run.captured.map((event) => redactDeep(event, secrets)),
    errors: run.error ? [redactSecrets(run.error, secrets)] : [],
    logs: run.logs.map((l) => ({ ...l, message: redactSecrets(l.message, secrets) })),
    requests: [],
  };
}

function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, v] of Object.entries(looseRecord(value))) {
    if (v !== undefined && v !== null) record[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return record;
}
