/**
 * Runs a webhook source's Hog code on one HTTP request (docs/sources.md): builds the `request` globals,
 * evaluates the inputs, runs the code with the executor's VM limits, and collects what it captured and
 * the answer it chose. Pure: nothing is stored here — the caller stores the captured events only when
 * the run succeeded, so a failing request leaves nothing half-stored.
 */
import { exec, hogErrorKind, hogToJs, UncaughtHogError, withSourceLine, type Bytecode } from '../hog/index.js';
import type { InputSchemaItem, Inputs } from '../destinations/model.js';
import { collectSecretValues, redactSecrets } from '../destinations/secrets.js';
import { compiledInputsFromStored, evaluateInputs } from '../destinations/templating.js';
import type { CapturedEvent, InvocationLog, LogLevel } from '../runtime/executor.js';

/** The limits of one request to a source; documented in docs/sources.md. */
export const SOURCE_LIMITS = {
  /** Largest request body accepted (413 above). */
  maxBodyBytes: 1024 * 1024,
  /** Nesting levels of a JSON body (the body itself is 1); deeper answers 400 before any code runs. */
  maxBodyDepth: 64,
  /** `postHogCapture` calls allowed per request; the next one fails the request. */
  maxEventsPerRequest: 100,
  /** Token bucket per source: refill per second and burst (429 with Retry-After when empty). */
  ratePerSecond: 50,
  rateBurst: 100,
  /** VM time and memory per request, as for a destination's invocation. */
  vmTimeoutMs: 100,
  memoryLimit: 64 * 1024 * 1024,
  /** `print` lines kept per request. */
  maxLogLines: 25,
} as const;

export type SourceLimits = { [K in keyof typeof SOURCE_LIMITS]: number };

/** The `request` global a source's code sees. */
export interface SourceRequestGlobals {
  /** Parsed JSON when the content type is JSON and it parses; else the raw text. */
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, string>;
  method: string;
  ip: string;
  /** The raw body text, for signatures (HMAC over exactly the bytes that were sent). */
  stringBody: string;
}

/** An HTTP request as the route saw it. */
export interface IncomingSourceRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  ip: string;
  rawBody: string;
}

/** Builds the `request` global: header names lower-cased, repeated headers and query keys joined by `,`. */
export function requestGlobals(request: IncomingSourceRequest): SourceRequestGlobals {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.query)) {
    if (value === undefined || value === null) continue;
    query[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return { body: parseBody(request.rawBody, headers['content-type']), headers, query, method: request.method.toUpperCase(), ip: request.ip, stringBody: request.rawBody };
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
  if (!isJson || raw === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** What the route needs of a source: its code and its inputs with secrets decrypted. */
export interface SourceJob {
  id: string;
  name: string;
  bytecode: Bytecode;
  lines?: number[];
  inputsSchema: InputSchemaItem[];
  inputs: Inputs;
}

export interface SourceContext {
  project: { id: number; name: string; url: string };
  source: { id: string; name: string; url: string };
}

export interface SourceResponse {
  status: number;
  body: unknown;
}

export interface SourceRun {
  status: 'succeeded' | 'failed';
  /** The events to store (all of them or, when failed, none). */
  captured: CapturedEvent[];
  /** What to answer when it succeeded. */
  response: SourceResponse;
  logs: InvocationLog[];
  error?: string;
  vmMs: number;
}

export const DEFAULT_SOURCE_RESPONSE: SourceResponse = { status: 200, body: { status: 'ok' } };

class RunLog {
  readonly lines: InvocationLog[] = [];
  private printed = 0;
  constructor(
    private readonly secrets: string[],
    private readonly maxLines: number,
  ) {}

  add(level: LogLevel, message: string): void {
    this.lines.push({ timestamp: new Date().toISOString(), level, message: this.redact(message) });
  }

  print(line: string): void {
    this.printed++;
    if (this.printed <= this.maxLines) this.add('info', line);
    else if (this.printed === this.maxLines + 1) this.add('warn', `Function exceeded the maximum of ${this.maxLines} log lines. No more logs will be collected.`);
  }

  redact(text: string): string {
    return this.secrets.length > 0 ? redactSecrets(text, this.secrets) : text;
  }
}

/** Runs the source's code on one request. Never throws: every failure is a `failed` run with its error logged. */
export function runSource(job: SourceJob, request: SourceRequestGlobals, context: SourceContext, limits: SourceLimits = SOURCE_LIMITS): SourceRun {
  const log = new RunLog(secretValuesOf(job), limits.maxLogLines);
  const captured: CapturedEvent[] = [];
  const globals: Record<string, unknown> = { request, project: context.project, source: context.source };
  const fail = (error: string, vmMs: number): SourceRun => {
    const message = log.redact(error);
    log.add('error', `Error executing function: ${message}`);
    return { status: 'failed', captured: [], response: { status: 500, body: null }, logs: log.lines, error: message, vmMs };
  };
  const evaluated = evaluateInputs(compiledInputsFromStored(job.inputs), globals, { timeoutMs: limits.vmTimeoutMs, memoryLimit: limits.memoryLimit });
  if (!evaluated.ok) return fail(evaluated.error.message, 0);
  let result;
  try {
    result = exec(job.bytecode, {
      globals: { ...globals, inputs: evaluated.inputs },
      asyncFunctions: [],
      functions: { postHogCapture: (value: unknown) => capture(value, captured, limits.maxEventsPerRequest) },
      timeout: limits.vmTimeoutMs,
      memoryLimit: limits.memoryLimit,
      print: (line: string) => log.print(line),
    });
  } catch (error) {
    const text = errorText(error);
    const kind = hogErrorKind(error);
    // Where the VM stopped helps with its own errors; a Hog `throw` says what it means.
    return fail(kind === 'runtime' || kind === 'limit' ? withSourceLine(text, error, job.lines) : text, 0);
  }
  const vmMs = result.state.syncDuration;
  if (!result.finished) return fail(`${result.asyncFunctionName}() is not available in sources`, vmMs);
  const response = responseOf(result.result);
  if (typeof response === 'string') return fail(response, vmMs);
  return { status: 'succeeded', captured, response, logs: log.lines, vmMs };
}

/** `postHogCapture({event, distinct_id, properties})`: checked here so the whole request fails, not one event later. */
function capture(value: unknown, captured: CapturedEvent[], max: number): null {
  const input = toPlain(value);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('postHogCapture expects a dictionary {event, distinct_id, properties}');
  const { event, distinct_id: distinctId, properties } = input as Record<string, unknown>;
  if (typeof event !== 'string' || event === '') throw new Error('postHogCapture: event must be a non-empty string');
  if ((typeof distinctId !== 'string' && typeof distinctId !== 'number') || String(distinctId) === '') {
    throw new Error('postHogCapture: a source must give each event a distinct_id (a non-empty string)');
  }
  if (properties !== undefined && properties !== null && (typeof properties !== 'object' || Array.isArray(properties))) {
    throw new Error('postHogCapture: properties must be a dictionary');
  }
  if (captured.length >= max) throw new Error(`postHogCapture was called ${captured.length + 1} times; a source may capture at most ${max} events per request`);
  captured.push({ event, distinct_id: String(distinctId), properties: { ...((properties as Record<string, unknown> | null) ?? {}) } });
  return null;
}

/** `return {'httpStatus': 201, 'body': …}` chooses the answer; anything else answers the default. */
function responseOf(value: unknown): SourceResponse | string {
  const result = toPlain(value);
  if (typeof result !== 'object' || result === null || Array.isArray(result) || !('httpStatus' in result)) return DEFAULT_SOURCE_RESPONSE;
  const { httpStatus, body } = result as Record<string, unknown>;
  if (typeof httpStatus !== 'number' || !Number.isInteger(httpStatus) || httpStatus < 200 || httpStatus > 599) {
    return `httpStatus must be an integer from 200 to 599, got ${JSON.stringify(httpStatus)}`;
  }
  return { status: httpStatus, body: body === undefined ? null : body };
}

function toPlain(value: unknown): unknown {
  return value instanceof Map ? hogToJs(value as never) : value;
}

function secretValuesOf(job: SourceJob): string[] {
  const secrets: string[] = [];
  for (const item of job.inputsSchema) {
    if (item.secret && job.inputs[item.key] !== undefined) collectSecretValues(job.inputs[item.key]!.value, secrets);
  }
  return secrets;
}

function errorText(error: unknown): string {
  if (error instanceof UncaughtHogError) return error.type === 'Error' ? error.message : `${error.type}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
