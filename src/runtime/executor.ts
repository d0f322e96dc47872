/**
 * Runs one invocation of a destination's Hog code, one step at a time.
 *
 * A step ends when the program finishes, fails, or suspends at `fetch`. The suspension is plain JSON
 * (`Suspension`): the queue stores it, performs the request, and continues the invocation later —
 * possibly in another process — with the response. Nothing here does I/O; `runToEnd` is the small
 * in-process driver used by test runs and the template fixture runner.
 *
 * Inputs are evaluated again at every step rather than stored with the suspension. The suspension's
 * request is made from decrypted secrets, so the runner seals it before it is stored
 * (`suspension-seal.ts`).
 */
import {
  exec,
  hogErrorKind,
  resume,
  UncaughtHogError,
  withSourceLine,
  type Bytecode,
  type ExecResult,
  type VMState,
} from '../hog/index.js';
import type { Globals } from '../destinations/globals.js';
import type { InputSchemaItem, Inputs } from '../destinations/model.js';
import { collectSecretValues, redactHeaders, redactSecrets } from '../destinations/secrets.js';
import { compiledInputsFromStored, evaluateInputs } from '../destinations/templating.js';
import { runWithLimitRetry, withLimitRetry } from './limit-retry.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface InvocationLog {
  timestamp: string;
  level: LogLevel;
  message: string;
}

export interface ExecutorLimits {
  /** VM time per invocation, cumulative over its steps. */
  vmTimeoutMs: number;
  memoryLimit: number;
  /** `fetch` calls allowed per invocation; the next one fails the invocation. */
  maxFetches: number;
  /** `print` lines kept per invocation; then one warning. */
  maxLogLines: number;
  /** An event emitted by `postHogCapture` from an event that was itself emitted this many hops deep is refused. */
  maxCaptureDepth: number;
  /** `postHogCapture` calls allowed per invocation (over all its steps); the next one fails the invocation. */
  maxCaptures: number;
}

export const DEFAULT_EXECUTOR_LIMITS: ExecutorLimits = {
  vmTimeoutMs: 100,
  memoryLimit: 64 * 1024 * 1024,
  maxFetches: 2,
  maxLogLines: 25,
  maxCaptureDepth: 3,
  maxCaptures: 10,
};

/** The most `SLUICE_MAX_FETCHES` may allow: each fetch holds a worker slot for up to its timeout. */
export const MAX_FETCHES_CEILING = 10;

/**
 * `SLUICE_MAX_FETCHES`: unset or blank keeps the default; anything but a whole number in 1..10 is a startup
 * error naming the variable, so a typo never silently runs with another limit.
 */
export function maxFetchesFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_FETCHES_CEILING) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new Error(`SLUICE_MAX_FETCHES must be a whole number from 1 to ${MAX_FETCHES_CEILING}, not '${shown}'`);
  }
  return n;
}

/** The event property that counts how many destination hops produced an event (loop protection). */
export const CAPTURE_DEPTH_PROPERTY = '$hog_function_execution_count';

/**
 * The event property naming the original event (its uuid) that a captured event descends from, so the
 * runtime can bound all the descendants of one event together (`capture-budget.ts`).
 */
export const CAPTURE_ROOT_PROPERTY = '$hog_function_root_event_uuid';

/** What the executor needs of a destination (or of one of its mappings): code and decrypted inputs. */
export interface InvocationJob {
  destinationId: string;
  bytecode: Bytecode;
  /** The source map of `bytecode` (`Destination.bytecode_lines`): code errors then end in ` (line N)`. */
  lines?: number[];
  inputsSchema: InputSchemaItem[];
  /** Stored inputs with their compiled templates, secrets already decrypted. */
  inputs: Inputs;
  /** The destination globals (docs/destinations-model.md), without `inputs`. */
  globals: Globals;
}

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface CapturedEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

/**
 * The inputs evaluated for a suspension, kept on it so a step continued in this process does not
 * evaluate them again. A symbol key: never serialized (they may hold decrypted secrets), so a suspension
 * read back from the store is a new object without them and gets its inputs evaluated afresh.
 */
const EVALUATED_INPUTS = Symbol('evaluatedInputs');

/** A program suspended at `fetch`, ready to be stored: plain JSON. */
export interface Suspension {
  [EVALUATED_INPUTS]?: Record<string, unknown>;
  vmState: VMState;
  request: HttpRequest;
  /** Fetch calls made so far, this one included. */
  fetchCount: number;
  /** `print` lines logged so far. */
  logCount: number;
  /** `postHogCapture` calls made so far (absent in suspensions stored before this was counted). */
  captureCount?: number;
}

/**
 * Why an invocation failed: an input template, its code (a VM or stdlib error, or a Hog `throw`), a VM
 * limit (time, memory, call depth, fetches; decided by the VM error's `kind`, never its text), or a fetch.
 */
export type FailureKind = 'inputs' | 'code' | 'limit' | 'fetch';

export type Step =
  | { kind: 'fetch'; suspension: Suspension; logs: InvocationLog[]; captured: CapturedEvent[] }
  | {
      kind: 'done';
      status: 'succeeded' | 'failed';
      error?: string;
      failure?: FailureKind;
      result?: unknown;
      logs: InvocationLog[];
      captured: CapturedEvent[];
      vmMs: number;
      /** Most memory the VM held over the invocation's steps (bytes), when the VM reported it. */
      vmBytes?: number;
    };

class StepContext {
  readonly logs: InvocationLog[] = [];
  readonly captured: CapturedEvent[] = [];
  /** `postHogCapture` calls of the invocation so far, earlier steps included. */
  captureCount = 0;
  constructor(
    readonly secrets: string[],
    public logCount: number,
    private readonly limits: ExecutorLimits,
    private readonly now: () => number,
  ) {}

  log(level: LogLevel, message: string): void {
    this.logs.push({ timestamp: new Date(this.now()).toISOString(), level, message: this.redact(message) });
  }

  print(line: string): void {
    this.logCount++;
    if (this.logCount <= this.limits.maxLogLines) this.log('info', line);
    else if (this.logCount === this.limits.maxLogLines + 1) {
      this.log('warn', `Function exceeded the maximum of ${this.limits.maxLogLines} log lines. No more logs will be collected.`);
    }
  }

  redact(text: string): string {
    return this.secrets.length > 0 ? redactSecrets(text, this.secrets) : text;
  }
}

function secretValuesOf(job: InvocationJob): string[] {
  const secrets: string[] = [];
  for (const item of job.inputsSchema) {
    if (item.secret && job.inputs[item.key] !== undefined) collectSecretValues(job.inputs[item.key]!.value, secrets);
  }
  return secrets;
}

function stringHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return headers;
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    headers[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return headers;
}

/** The `fetch(url, {method, headers, body})` arguments as a request, or a message saying what is wrong. */
export function requestFromFetchArgs(args: unknown[]): HttpRequest | string {
  const [url, options] = args;
  if (typeof url !== 'string' || url === '') return `fetch: the url must be a non-empty string, got ${JSON.stringify(url)}`;
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    return 'fetch: the second argument must be a dictionary {method, headers, body}';
  }
  const opts = (options ?? {}) as Record<string, unknown>;
  const method = opts.method === undefined || opts.method === null ? 'POST' : String(opts.method).toUpperCase();
  const request: HttpRequest = { url, method, headers: stringHeaders(opts.headers) };
  if (opts.body !== undefined && opts.body !== null) request.body = opts.body;
  return request;
}

/** A request as a log line, with secret-looking headers masked. */
export function describeRequest(request: HttpRequest): string {
  const body = request.body === undefined ? '' : ` ${typeof request.body === 'string' ? request.body : JSON.stringify(request.body)}`;
  return `${request.method} ${request.url} ${JSON.stringify(redactHeaders(request.headers))}${body}`;
}

/** What a user reads: a thrown `Error('x')` reads `x`; other error types keep their name (`RetryError: x`). */
function errorText(error: unknown): string {
  if (error instanceof UncaughtHogError) return error.type === 'Error' ? error.message : `${error.type}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export class InvocationExecutor {
  readonly limits: ExecutorLimits;
  private readonly now: () => number;
  /** Compiled inputs per inputs object: a destination's prepared job keeps one for its version. */
  private readonly compiledInputs = new WeakMap<InvocationJob['inputs'], ReturnType<typeof compiledInputsFromStored>>();

  constructor(limits: Partial<ExecutorLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...DEFAULT_EXECUTOR_LIMITS, ...limits };
    this.now = now;
  }

  /** Evaluate the inputs and run the code from the start. */
  start(job: InvocationJob): Step {
    return this.step(job, null, null);
  }

  /** Continue a suspended invocation with the response of its pending fetch. */
  continue(job: InvocationJob, suspension: Suspension, response: HttpResponse): Step {
    return this.step(job, suspension, response);
  }

  private step(job: InvocationJob, suspension: Suspension | null, response: HttpResponse | null): Step {
    const secrets = secretValuesOf(job);
    const cached = suspension?.[EVALUATED_INPUTS];
    const evaluated = cached
      ? { ok: true as const, inputs: cached }
      : evaluateInputs(this.compiled(job.inputs), job.globals, {
          runner: runWithLimitRetry,
          timeoutMs: this.limits.vmTimeoutMs,
          memoryLimit: this.limits.memoryLimit,
        });
    if (!evaluated.ok) return this.done(this.context(secrets, suspension), 'failed', evaluated.error.message, 'inputs', 0);
    // Each run starts with the step's counts: a run that is redone after a limit (`limit-retry.ts`: a
    // limit may be the machine's doing, a paused thread) leaves no log line or event behind.
    let ctx!: StepContext; // set by every run, before anything in it can throw
    let result: ExecResult;
    try {
      result = withLimitRetry(() => {
        ctx = this.context(secrets, suspension);
        const options = this.execOptions(job, ctx, evaluated.inputs);
        return suspension && response ? resume(suspension.vmState, this.responseForVm(response), options) : exec(job.bytecode, options);
      });
    } catch (error) {
      const failure = failureOf(error);
      const message = failure === 'code' ? withSourceLine(errorText(error), error, job.lines) : errorText(error);
      return this.done(ctx, 'failed', message, failure, suspension?.vmState.syncDuration ?? 0);
    }
    const step = this.afterRun(result, ctx, suspension?.fetchCount ?? 0, evaluated.inputs);
    if (step.kind === 'done') step.vmBytes = result.state.maxMemUsed;
    return step;
  }

  private context(secrets: string[], suspension: Suspension | null): StepContext {
    const ctx = new StepContext(secrets, suspension?.logCount ?? 0, this.limits, this.now);
    ctx.captureCount = suspension?.captureCount ?? 0;
    return ctx;
  }

  private compiled(inputs: InvocationJob['inputs']): ReturnType<typeof compiledInputsFromStored> {
    let compiled = this.compiledInputs.get(inputs);
    if (compiled === undefined) this.compiledInputs.set(inputs, (compiled = compiledInputsFromStored(inputs)));
    return compiled;
  }

  private afterRun(result: ExecResult, ctx: StepContext, fetchCount: number, inputs: Record<string, unknown>): Step {
    const vmMs = result.state.syncDuration;
    if (result.finished) return this.done(ctx, 'succeeded', undefined, undefined, vmMs, result.result);
    if (result.asyncFunctionName !== 'fetch') {
      return this.done(ctx, 'failed', `${result.asyncFunctionName}() is not available in destinations`, 'code', vmMs);
    }
    if (fetchCount >= this.limits.maxFetches) {
      const message = `fetch was called ${fetchCount + 1} times; a destination may make at most ${this.limits.maxFetches} fetch calls per invocation (SLUICE_MAX_FETCHES)`;
      return this.done(ctx, 'failed', message, 'limit', vmMs);
    }
    const request = requestFromFetchArgs(result.asyncFunctionArgs);
    if (typeof request === 'string') return this.done(ctx, 'failed', request, 'code', vmMs);
    const suspension: Suspension = { vmState: result.state, request, fetchCount: fetchCount + 1, logCount: ctx.logCount, captureCount: ctx.captureCount };
    suspension[EVALUATED_INPUTS] = inputs;
    return { kind: 'fetch', suspension, logs: ctx.logs, captured: ctx.captured };
  }

  private done(ctx: StepContext, status: 'succeeded' | 'failed', error: string | undefined, failure: FailureKind | undefined, vmMs: number, result?: unknown): Step {
    const step: Step = { kind: 'done', status, logs: ctx.logs, captured: ctx.captured, vmMs };
    if (error !== undefined) {
      step.error = ctx.redact(error);
      step.failure = failure;
      ctx.log('error', `Error executing function: ${step.error}`);
    }
    if (result !== undefined) step.result = result;
    return step;
  }

  private responseForVm(response: HttpResponse): unknown {
    return { status: response.status, body: response.body ?? null, headers: response.headers ?? {} };
  }

  private execOptions(job: InvocationJob, ctx: StepContext, inputs: Record<string, unknown>) {
    return {
      globals: { ...job.globals, inputs },
      asyncFunctions: ['fetch'],
      functions: { postHogCapture: (event: unknown) => this.capture(job, ctx, event) },
      timeout: this.limits.vmTimeoutMs,
      memoryLimit: this.limits.memoryLimit,
      maxAsyncSteps: this.limits.maxFetches + 1,
      print: (line: string) => ctx.print(line),
      now: this.now,
    };
  }

  private capture(job: InvocationJob, ctx: StepContext, value: unknown): null {
    if (typeof value !== 'object' || value === null) throw new Error('postHogCapture expects a dictionary {event, distinct_id, properties}');
    const input = value as Record<string, unknown>;
    if (typeof input.event !== 'string' || input.event === '') throw new Error('postHogCapture: event must be a non-empty string');
    // Amplification guard: a failure (it costs the destination's health), not a silent drop.
    ctx.captureCount++;
    if (ctx.captureCount > this.limits.maxCaptures) {
      throw new Error(`postHogCapture was called ${ctx.captureCount} times; a destination may capture at most ${this.limits.maxCaptures} events per invocation`);
    }
    const eventProperties = job.globals.event.properties;
    const depth = captureDepthOf(eventProperties[CAPTURE_DEPTH_PROPERTY]);
    if (depth >= this.limits.maxCaptureDepth) {
      ctx.log('warn', `postHogCapture was refused: the event was already produced by ${depth} destination hops (loop protection)`);
      return null;
    }
    const properties = typeof input.properties === 'object' && input.properties !== null ? { ...(input.properties as Record<string, unknown>) } : {};
    properties[CAPTURE_DEPTH_PROPERTY] = depth + 1;
    // An original event (depth 0) is its own root, whatever its sender wrote in the property.
    const root = eventProperties[CAPTURE_ROOT_PROPERTY];
    properties[CAPTURE_ROOT_PROPERTY] = depth > 0 && typeof root === 'string' && root !== '' ? root : job.globals.event.uuid;
    const distinctId = input.distinct_id ?? job.globals.event.distinct_id;
    ctx.captured.push({ event: input.event, distinct_id: String(distinctId), properties });
    return null;
  }
}

/** The hop count an event carries; anything but a positive number (a sender's `-100`, text) counts as 0. */
function captureDepthOf(value: unknown): number {
  const depth = Number(value ?? 0);
  return Number.isFinite(depth) && depth > 0 ? Math.floor(depth) : 0;
}

/** A VM limit fails the invocation as `limit`; anything else the code did (a Hog `throw` too) as `code`. */
function failureOf(error: unknown): 'limit' | 'code' {
  return hogErrorKind(error) === 'limit' ? 'limit' : 'code';
}

// ---------------------------------------------------------------------------------------------
// In-process driver

export interface RunToEndResult {
  status: 'succeeded' | 'failed';
  error?: string;
  failure?: FailureKind;
  logs: InvocationLog[];
  requests: HttpRequest[];
  captured: CapturedEvent[];
  result?: unknown;
}

/**
 * Run an invocation to its end in this process, performing each fetch with `perform`. Used by test
 * runs (with a mock) and the template fixture runner; the queue worker drives steps itself so it can
 * store suspensions and retry.
 */
export async function runToEnd(
  executor: InvocationExecutor,
  job: InvocationJob,
  perform: (request: HttpRequest) => Promise<HttpResponse>,
): Promise<RunToEndResult> {
  const logs: InvocationLog[] = [];
  const captured: CapturedEvent[] = [];
  const requests: HttpRequest[] = [];
  let step = executor.start(job);
  for (;;) {
    logs.push(...step.logs);
    captured.push(...step.captured);
    if (step.kind === 'done') {
      const { status, error, failure, result } = step;
      return { status, error, failure, result, logs, requests, captured };
    }
    const request = step.suspension.request;
    requests.push(request);
    let response: HttpResponse;
    try {
      response = await perform(request);
    } catch (error) {
      const message = redactSecrets(`fetch to ${request.url} failed: ${errorText(error)}`, secretValuesOf(job));
      logs.push({ timestamp: new Date().toISOString(), level: 'error', message });
      return { status: 'failed', error: message, failure: 'fetch', logs, requests, captured };
    }
    step = executor.continue(job, step.suspension, response);
  }
}
