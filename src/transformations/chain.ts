/**
 * A project's transformations, compiled once and run in order on each captured event:
 *
 *   const chain = compileTransformationChain(functions)
 *   const { event, outcomes, logs, metrics, observations } = chain.apply(storedEvent, { project })
 *
 * `event` is the event to keep (the input object itself when nothing changed), or null when a
 * transformation dropped it. Nothing here does I/O: the caller stores the event, and hands `logs`,
 * `metrics` and `observations` to the runtime's recorder (`recordChainResult`), whose health watcher
 * disables a transformation that keeps failing, as it does a destination.
 *
 * Each transformation runs under its own limits (`limits.ts`) and fails alone: an error, a limit, or a
 * return value that is not a valid event leaves the event as it was before that transformation, which
 * the next one then receives. Only `return null` drops an event. See docs/transformations.md.
 */
import { performance } from 'node:perf_hooks';
import { exec, execSync, HogRuntimeError, HogVMError, Op, UncaughtHogError, withSourceLine, type Bytecode } from '../hog/index.js';
import { matchesFilters } from '../destinations/filters.js';
import { buildGlobals, uiUrls, type GlobalsGroupInput, type GlobalsPersonInput, type Globals } from '../destinations/globals.js';
import type { HogRunner } from '../destinations/run-hog.js';
import { collectSecretValues, redactSecrets } from '../destinations/secrets.js';
import { compiledInputsFromStored, evaluateInputs, type CompiledInputs } from '../destinations/templating.js';
import type { HealthObservation } from '../runtime/health.js';
import type { RuntimeMetric } from '../runtime/recorder.js';
import type { Event, LogEntry, LogLevel } from '../store/store.js';
import type { TransformationFunction } from './functions.js';
import { DEFAULT_TRANSFORMATION_LIMITS, type TransformationLimits } from './limits.js';
import { NO_RETURN, readReturnedEvent, type ReadOptions } from './result.js';

/** What became of the event in one transformation. */
export type TransformationResult = 'transformed' | 'unchanged' | 'dropped' | 'failed' | 'skipped_by_filter' | 'skipped_disabled';

export interface TransformationOutcome {
  id: string;
  name: string;
  result: TransformationResult;
  /** For `failed`: what went wrong (secrets redacted). */
  error?: string;
  /** Wall time of this transformation on this event: filters, inputs, code and reading the result. */
  durationMs: number;
}

/** The metrics a chain counts (per transformation, summed by the recorder per hour). */
export type TransformationMetricName = Extract<RuntimeMetric, 'transformed' | 'unchanged' | 'dropped' | 'failed' | 'filtered' | 'duration_us'>;

/** Arguments of `RuntimeRecorder.metric`. */
export interface TransformationMetric {
  projectId: number;
  destinationId: string;
  name: TransformationMetricName;
  count: number;
}

/** Arguments of `RuntimeRecorder.observe` (the health watcher). */
export interface TransformationObservation {
  projectId: number;
  destinationId: string;
  observation: HealthObservation;
}

export interface ChainResult<E extends Event> {
  /** The event to keep, or null when dropped. The very input object when no transformation changed it. */
  event: E | null;
  /** One per transformation that was reached, in order (none after a drop). */
  outcomes: TransformationOutcome[];
  /** Log lines (`print` output and errors), `invocationId` being the event's uuid. */
  logs: LogEntry[];
  metrics: TransformationMetric[];
  observations: TransformationObservation[];
}

export interface TransformationContext {
  project: { id: number; name: string };
  /** Base URL of the web UI, for the `url` globals. Default `http://localhost:8040`. */
  siteUrl?: string;
  /** Transformations run before person processing: absent, the code sees `person: null`. */
  person?: GlobalsPersonInput | null;
  groups?: Record<string, GlobalsGroupInput> | null;
  /** The health watcher's verdict: a disabled transformation is skipped (`HealthMonitor.isDisabled`). */
  isDisabled?: (functionId: string) => boolean;
}

export interface ChainOptions {
  limits?: Partial<TransformationLimits>;
  /** Clock of the logs and of the code's `now()`. */
  now?: () => number;
}

/** One transformation ready to run: its code ends in a marker, its inputs are compiled, its secrets known. */
interface Prepared {
  fn: TransformationFunction;
  bytecode: Bytecode;
  /** The filters to run, or null when they match every event (empty filters compile to `true`). */
  filters: Bytecode | null;
  inputs: CompiledInputs;
  /** The inputs when none of them is a template: the same for every event, so evaluated once. */
  constantInputs: Record<string, unknown> | null;
  secrets: string[];
  /** Events it ran on so far, for the warm-up allowance. */
  runs: number;
  /** How its returned value is read (the same for every event). */
  readOptions: ReadOptions;
  /** Its `source.url`, for the site URL and project it was last built for. */
  sourceUrl: { siteUrl: string; projectId: number; url: string } | null;
}

/** One event's globals without `source`, shared by the transformations that see the same event object. */
interface SharedGlobals {
  event: Event;
  context: TransformationContext;
  globals: Globals;
}

/** The outcome of one run, before it is turned into records. */
interface Run {
  result: TransformationResult;
  error?: string;
  event?: Event;
  propertiesJson?: string;
  vmMs: number;
  vmBytes?: number;
  lines: { level: LogLevel; message: string }[];
  /** It failed on the time limit (and may be tried once more). */
  timedOut?: boolean;
  /** Both runs' time when it was tried twice; else `vmMs`, which covers the whole run. */
  durationMs?: number;
}

const DEFAULT_SITE_URL = 'http://localhost:8040';
const TIME_LIMIT_TEXT = 'exceeded the time limit';

/**
 * Falling off the end of a program returns null, which would drop the event. The code gets one more
 * instruction at its end — reached only when no `return` ran — that returns a marker instead, so a
 * forgotten `return` is an error and never a silent drop.
 */
function withEndMarker(bytecode: Bytecode): Bytecode {
  if (bytecode.length === 0 || bytecode[0] !== '_H') return bytecode;
  return [...bytecode, Op.STRING, NO_RETURN, Op.RETURN];
}

/** Filters that are the constant `true` (what empty filters compile to) need not run at all. */
function filtersToRun(bytecode: Bytecode | null | undefined): Bytecode | null {
  if (bytecode === undefined || bytecode === null || bytecode.length === 0) return null;
  return bytecode.length === 3 && bytecode[0] === '_H' && bytecode[2] === Op.TRUE ? null : bytecode;
}

/** Literal inputs evaluate to themselves whatever the event: evaluated here once instead of per event. */
function constantInputsOf(inputs: CompiledInputs): Record<string, unknown> | null {
  if (!inputs.order.every((key) => inputs.values[key] === undefined || inputs.values[key]!.kind === 'literal')) return null;
  const evaluated = evaluateInputs(inputs, {});
  return evaluated.ok ? evaluated.inputs : null;
}

function prepare(fn: TransformationFunction, limits: TransformationLimits): Prepared {
  const inputs = compiledInputsFromStored(fn.inputs);
  return {
    fn,
    readOptions: { allowIdentityChanges: fn.allowIdentityChanges === true, limits },
    bytecode: withEndMarker(fn.bytecode),
    filters: filtersToRun(fn.filterBytecode),
    inputs,
    constantInputs: constantInputsOf(inputs),
    secrets: secretValuesOf(fn),
    runs: 0,
    sourceUrl: null,
  };
}

function secretValuesOf(fn: TransformationFunction): string[] {
  const secrets: string[] = [];
  for (const item of fn.inputsSchema) {
    if (item.secret && fn.inputs[item.key] !== undefined) collectSecretValues(fn.inputs[item.key]!.value, secrets);
  }
  return secrets;
}

/** Lower `execution_order` first; unordered ones last; then by creation, then id, so the order never wobbles. */
export function byExecutionOrder(a: TransformationFunction, b: TransformationFunction): number {
  const order = (fn: TransformationFunction) => fn.executionOrder ?? Number.MAX_SAFE_INTEGER;
  return order(a) - order(b) || (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id);
}

export function compileTransformationChain(functions: readonly TransformationFunction[], options: ChainOptions = {}): TransformationChain {
  return new TransformationChain(functions, options);
}

export class TransformationChain {
  readonly limits: TransformationLimits;
  private readonly prepared: Prepared[];
  private readonly now: () => number;
  /** The event globals of the event being transformed, while `apply` runs (see `globalsFor`). */
  private shared: SharedGlobals | null = null;
  /** The `project` globals last built (see `eventGlobals`). */
  private project: { siteUrl: string; id: number; globals: Globals['project'] } | null = null;
  /** Where the running code's `print` lines go (one function for every run, not a closure per run). */
  private printer: Printer | null = null;
  private readonly print = (line: string): void => this.printer?.print(line);

  constructor(functions: readonly TransformationFunction[], options: ChainOptions = {}) {
    this.limits = { ...DEFAULT_TRANSFORMATION_LIMITS, ...(options.limits ?? {}) };
    this.now = options.now ?? Date.now;
    this.prepared = [...functions].sort(byExecutionOrder).map((fn) => prepare(fn, this.limits));
  }

  /** The transformations' ids, in the order they run. */
  get ids(): string[] {
    return this.prepared.map((p) => p.fn.id);
  }

  get size(): number {
    return this.prepared.length;
  }

  /** Runs every transformation on `event` in order. Never throws; see the file header. */
  apply<E extends Event>(event: E, context: TransformationContext): ChainResult<E> {
    try {
      return this.applyAll(event, context);
    } finally {
      this.shared = null;
    }
  }

  private applyAll<E extends Event>(event: E, context: TransformationContext): ChainResult<E> {
    const out: ChainResult<E> = { event, outcomes: [], logs: [], metrics: [], observations: [] };
    let current: E = event;
    for (const prepared of this.prepared) {
      const { fn } = prepared;
      if (context.isDisabled?.(fn.id)) {
        out.outcomes.push({ id: fn.id, name: fn.name, result: 'skipped_disabled', durationMs: 0 });
        continue;
      }
      const run = this.runGuarded(prepared, current, context);
      this.record(out, prepared, current, context.project.id, run, run.durationMs ?? run.vmMs);
      if (run.result === 'dropped') {
        out.event = null;
        return out;
      }
      if (run.result === 'transformed') current = merged(current, run.event!, run.propertiesJson!);
    }
    out.event = current;
    return out;
  }

  /**
   * `runOne`, with anything unexpected (a bug, not the user's code) turned into a failure of this
   * transformation. A run that ran out of time is tried once more: the limit is wall-clock time, and a
   * pause of the whole process (garbage collection, other work on the machine) must not fail an event.
   * The code is pure, so running it twice changes nothing; code that is really too slow fails twice.
   */
  private runGuarded(prepared: Prepared, event: Event, context: TransformationContext): Run {
    try {
      const run = this.runOne(prepared, event, context);
      if (!run.timedOut) return run;
      const again = this.runOne(prepared, event, context);
      again.durationMs = run.vmMs + again.vmMs;
      return again;
    } catch (error) {
      return { result: 'failed', error: `internal error: ${error instanceof Error ? error.message : String(error)}`, vmMs: 0, lines: [] };
    }
  }

  private runOne(prepared: Prepared, event: Event, context: TransformationContext): Run {
    const run = this.runOnce(prepared, event, context);
    if (run.result === 'failed' && run.error !== undefined && run.error.includes(TIME_LIMIT_TEXT)) run.timedOut = true;
    return run;
  }

  private runOnce(prepared: Prepared, event: Event, context: TransformationContext): Run {
    const { fn } = prepared;
    const lines: Run['lines'] = [];
    if (fn.brokenReason !== undefined) return { result: 'failed', error: fn.brokenReason, vmMs: 0, lines };
    const warm = prepared.runs++ >= this.limits.warmUpRuns;
    const budget = new Budget(warm ? this.limits.timeoutMs : Math.max(this.limits.timeoutMs, this.limits.warmUpTimeoutMs));
    const globals = this.globalsFor(prepared, event, context);

    const filters = prepared.filters;
    if (filters !== null) {
      const match = matchesFilters(filters, globals, { runner: budget.runner(this.limits.memoryLimit) });
      if (match.error !== undefined) return { result: 'failed', error: `filters failed: ${limitText(match.error, budget, this.limits)}`, vmMs: budget.spentMs(), lines };
      if (!match.matched) return { result: 'skipped_by_filter', vmMs: budget.spentMs(), lines };
    }

    let inputs: Record<string, unknown>;
    try {
      const evaluated =
        prepared.constantInputs !== null
          ? { ok: true as const, inputs: prepared.constantInputs }
          : evaluateInputs(prepared.inputs, globals, { runner: budget.runner(this.limits.memoryLimit) });
      if (!evaluated.ok) return { result: 'failed', error: limitText(evaluated.error.message, budget, this.limits), vmMs: budget.spentMs(), lines };
      inputs = evaluated.inputs;
    } catch (error) {
      return { result: 'failed', error: limitText(errorText(error), budget, this.limits), vmMs: budget.spentMs(), lines };
    }

    this.printer = new Printer(lines, this.limits.maxLogLines);
    let returned: unknown;
    let vmBytes: number | undefined;
    try {
      const result = exec(prepared.bytecode, {
        globals: withInputs(globals, inputs),
        timeout: budget.leftForCode(),
        memoryLimit: this.limits.memoryLimit,
        print: this.print,
        now: this.now,
      });
      vmBytes = result.state.maxMemUsed;
      if (!result.finished) return { result: 'failed', error: `${result.asyncFunctionName}() is not available in transformations`, vmMs: budget.spentMs(), lines };
      returned = result.result;
    } catch (error) {
      return { result: 'failed', error: codeErrorText(error, fn, budget, this.limits), vmMs: budget.spentMs(), lines };
    } finally {
      this.printer = null;
    }

    const read = readReturnedEvent(returned, event, prepared.readOptions);
    const vmMs = budget.spentMs();
    switch (read.kind) {
      case 'invalid':
        return { result: 'failed', error: read.message, vmMs, vmBytes, lines };
      case 'transformed':
        return { result: 'transformed', event: read.event, propertiesJson: read.propertiesJson, vmMs, vmBytes, lines };
      default:
        return { result: read.kind, vmMs, vmBytes, lines };
    }
  }

  /**
   * The globals of one transformation on `event`. Transformations that see the same event object (the
   * ones before the first change, and after each change until the next) share its globals; only
   * `source` is their own. The VM copies a global when the code reads it, so sharing is safe.
   */
  private globalsFor(prepared: Prepared, event: Event, context: TransformationContext): Globals {
    const siteUrl = context.siteUrl ?? DEFAULT_SITE_URL;
    let shared = this.shared;
    if (shared === null || shared.event !== event || shared.context !== context) {
      this.shared = shared = { event, context, globals: this.eventGlobals(event, context, siteUrl) };
    }
    const { event: eventGlobals, person, groups, project } = shared.globals;
    return { event: eventGlobals, person, groups, project, source: { name: prepared.fn.name, url: this.sourceUrlOf(prepared, siteUrl, context.project.id) } };
  }

  /**
   * `buildGlobals` without `source`. In the pipeline there is no person and there are no groups yet, and
   * then only `event` depends on the event: the rest is built once per project and site URL. The result
   * equals `buildGlobals`' (a test holds them together).
   */
  private eventGlobals(event: Event, context: TransformationContext, siteUrl: string): Globals {
    const { person, groups } = context;
    if ((person !== undefined && person !== null) || (groups !== undefined && groups !== null && Object.keys(groups).length > 0)) {
      return buildGlobals({ event, person, groups, project: context.project, source: { name: '' }, siteUrl });
    }
    const project = this.projectGlobals(siteUrl, context.project);
    return {
      event: {
        uuid: event.uuid,
        event: event.event,
        name: event.event,
        distinct_id: event.distinct_id,
        properties: event.properties,
        timestamp: event.timestamp,
        elements_chain: event.elements_chain ?? '',
        url: `${project.url}/events/${encodeURIComponent(event.uuid)}`,
      },
      person: null,
      groups: {},
      project,
      source: { name: '', url: '' },
    };
  }

  private projectGlobals(siteUrl: string, project: TransformationContext['project']): Globals['project'] {
    const cached = this.project;
    if (cached !== null && cached.siteUrl === siteUrl && cached.id === project.id && cached.globals.name === project.name) return cached.globals;
    const globals = { id: project.id, name: project.name, url: uiUrls(siteUrl, project.id).project };
    this.project = { siteUrl, id: project.id, globals };
    return globals;
  }

  private sourceUrlOf(prepared: Prepared, siteUrl: string, projectId: number): string {
    const cached = prepared.sourceUrl;
    if (cached !== null && cached.siteUrl === siteUrl && cached.projectId === projectId) return cached.url;
    const url = transformationUrl(siteUrl, projectId, prepared.fn.id);
    prepared.sourceUrl = { siteUrl, projectId, url };
    return url;
  }

  /** Turns one run into the outcome, log lines, metrics and health observations of the result. */
  private record(out: ChainResult<Event>, prepared: Prepared, event: Event, projectId: number, run: Run, durationMs: number): void {
    const id = prepared.fn.id;
    const outcome: TransformationOutcome = { id, name: prepared.fn.name, result: run.result, durationMs };
    if (run.result === 'failed' || run.lines.length > 0) this.recordLines(out, prepared, event, projectId, run, outcome);
    // Written out rather than through helpers: this runs for every transformation on every event.
    if (run.result === 'failed') {
      out.metrics.push({ projectId, destinationId: id, name: 'failed', count: 1 });
      out.observations.push({ projectId, destinationId: id, observation: { kind: 'failed', error: outcome.error! } });
    } else if (run.result === 'skipped_by_filter') {
      out.metrics.push({ projectId, destinationId: id, name: 'filtered', count: 1 });
    } else {
      out.metrics.push({ projectId, destinationId: id, name: run.result as TransformationMetricName, count: 1 });
      const observation: HealthObservation = run.vmBytes ? { kind: 'hog', ms: run.vmMs, bytes: run.vmBytes } : { kind: 'hog', ms: run.vmMs };
      out.observations.push({ projectId, destinationId: id, observation });
    }
    out.metrics.push({ projectId, destinationId: id, name: 'duration_us', count: Math.max(0, Math.round(durationMs * 1000)) });
    out.outcomes.push(outcome);
  }

  /** The run's `print` lines and, when it failed, its error (on `outcome` too), secrets redacted. */
  private recordLines(out: ChainResult<Event>, prepared: Prepared, event: Event, projectId: number, run: Run, outcome: TransformationOutcome): void {
    const { fn, secrets } = prepared;
    const redact = (text: string) => (secrets.length > 0 ? redactSecrets(text, secrets) : text);
    const timestamp = new Date(this.now()).toISOString();
    const log = (level: LogLevel, message: string) =>
      out.logs.push({ projectId, destinationId: fn.id, invocationId: event.uuid, timestamp, level, message: redact(message) });
    for (const line of run.lines) log(line.level, line.message);
    if (run.result === 'failed') {
      outcome.error = redact(run.error ?? 'unknown error');
      log('error', `Transformation failed on event ${event.uuid}; the event passes on unchanged: ${outcome.error}`);
    }
  }
}

/**
 * The code's globals: `globals` and `inputs`, written out key by key. Spreading `globals` instead was a
 * measurable share of a transformation's cost, which runs on every event.
 */
function withInputs(globals: Globals, inputs: Record<string, unknown>): Globals & { inputs: Record<string, unknown> } {
  return { event: globals.event, person: globals.person, groups: globals.groups, project: globals.project, source: globals.source, inputs };
}

/** The transformation's page in the web UI (`source.url` of its globals). */
export function transformationUrl(siteUrl: string, projectId: number, id: string): string {
  return `${uiUrls(siteUrl, projectId).project}/transformations/${encodeURIComponent(id)}`;
}

/**
 * The event handed to the next transformation: the caller's object with the event fields replaced, so
 * what the caller added (`seq`, `projectId`, …) stays; a `propertiesJson` it carried is brought up to date.
 */
function merged<E extends Event>(current: E, changed: Event, propertiesJson: string): E {
  const next = { ...current, uuid: changed.uuid, event: changed.event, distinct_id: changed.distinct_id, properties: changed.properties, timestamp: changed.timestamp };
  if (changed.elements_chain === undefined) delete next.elements_chain;
  else next.elements_chain = changed.elements_chain;
  if ('propertiesJson' in next) (next as { propertiesJson?: string }).propertiesJson = propertiesJson;
  return next;
}

/** One transformation's VM time on one event, shared by its filters, inputs and code. */
class Budget {
  private readonly started = performance.now();
  private runnerUsed = false;
  constructor(readonly timeoutMs: number) {}

  spentMs(): number {
    return performance.now() - this.started;
  }

  /** What is left; a spent budget throws the VM's own timeout error, so it reads like any other. */
  remainingMs(): number {
    const left = this.timeoutMs - this.spentMs();
    if (left <= 0) throw new HogVMError(`Execution timed out after ${this.timeoutMs / 1000} seconds.`, { kind: 'limit' });
    return left;
  }

  /**
   * The code's share: what is left after filters and inputs, or the whole budget when none of them ran
   * (then only building the globals came before, a microsecond, and the clock need not be read).
   */
  leftForCode(): number {
    return this.runnerUsed ? this.remainingMs() : this.timeoutMs;
  }

  /** Runs filters and input templates within what is left. */
  runner(memoryLimit: number): HogRunner {
    this.runnerUsed = true;
    return (bytecode, options) => execSync(bytecode, { globals: options.globals, timeout: this.remainingMs(), memoryLimit, print: () => {} });
  }
}

class Printer {
  private printed = 0;
  constructor(
    private readonly lines: Run['lines'],
    private readonly max: number,
  ) {}

  print(line: string): void {
    this.printed++;
    if (this.printed <= this.max) this.lines.push({ level: 'info', message: line });
    else if (this.printed === this.max + 1) this.lines.push({ level: 'warn', message: `More than ${this.max} print lines on this event: the rest are not kept.` });
  }
}

/** A thrown `Error('x')` reads `x`; other error types keep their name (`RetryError: x`). */
function errorText(error: unknown): string {
  if (error instanceof UncaughtHogError) return error.type === 'Error' ? error.message : `${error.type}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

const REFUSED_CALL = /^Unsupported function call: (fetch|postHogCapture)$/;

/** The code's error as a user should read it: its line, the limit it hit, or why a call is refused. */
function codeErrorText(error: unknown, fn: TransformationFunction, budget: Budget, limits: TransformationLimits): string {
  const text = errorText(error);
  // What the code threw itself is its own message, even if it reads like a limit.
  if (error instanceof UncaughtHogError) return text;
  const refused = REFUSED_CALL.exec(text);
  if (refused) return `${refused[1]}() is not available in transformations`;
  const limited = limitText(text, budget, limits);
  if (limited !== text) return limited;
  return error instanceof HogRuntimeError ? withSourceLine(text, error, fn.lines) : text;
}

/** Names the transformation limit behind a VM limit error. */
function limitText(text: string, budget: Budget, limits: TransformationLimits): string {
  if (/timed out/.test(text)) return `${TIME_LIMIT_TEXT} of ${budget.timeoutMs} ms per event (${text})`;
  if (/Memory limit/.test(text)) return `exceeded the memory limit of ${limits.memoryLimit / (1024 * 1024)} MiB (${text})`;
  if (/Call stack exceeded|Maximum call stack/.test(text)) return `exceeded the call depth limit (${text})`;
  return text;
}
