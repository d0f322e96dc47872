/**
 * A project's transformations, compiled once and run in order on each captured event:
 *
 *   const chain = compileTransformationChain(functions)
 *   const { event, outcomes, logs, metrics, observations } = chain.apply(storedEvent, { project })
 *
 * `event` is the event to keep (the input object itself when nothing changed), or null when a
 * transformation dropped it. Nothing here does I/O: the caller stores the event, and hands `logs`,
 * `metrics` and `observations` to the runtime's recorder (`recordChainResult`), whose health watcher
 * disables a transformation that keeps failing, as it does a destination. `applyTo` does the same but
 * hands each transformation's outcome to a `ChainSink` instead of building those lists: person
 * processing sums them per batch without making objects per event (`stage.ts`).
 *
 * Each transformation runs under its own limits (`limits.ts`) and fails alone: an error, a limit, or a
 * return value that is not a valid event leaves the event as it was before that transformation, which
 * the next one then receives. Only `return null` drops an event. See docs/transformations.md.
 */
import { performance } from 'node:perf_hooks';
import {
  exec,
  execSync,
  hogToJs,
  HogRuntimeError,
  HogVMError,
  jsToHog,
  KeptConversions,
  Op,
  UncaughtHogError,
  withSourceLine,
  type Bytecode,
  type ExecOptions,
  type ExecResult,
} from '../hog/index.js';
import { matchesFilters } from '../destinations/filters.js';
import { buildGlobals, eventGlobals, uiUrls, type GlobalsGroupInput, type GlobalsPersonInput, type Globals } from '../destinations/globals.js';
import type { HogRunner } from '../destinations/run-hog.js';
import { collectSecretValues, redactSecrets } from '../destinations/secrets.js';
import { compiledInputsFromStored, evaluateInputs, type CompiledInputs } from '../destinations/templating.js';
import type { HealthObservation } from '../runtime/health.js';
import type { RuntimeMetric } from '../runtime/recorder.js';
import type { Event, LogEntry, LogLevel } from '../store/store.js';
import type { TransformationFunction } from './functions.js';
import { DEFAULT_TRANSFORMATION_LIMITS, type TransformationLimits } from './limits.js';
import { isUntouchedInput, NO_RETURN, readReturnedEvent, UNCHANGED, type ReadOptions, type ReadResult } from './result.js';

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

/**
 * Receives what `applyTo` did to one event, transformation by transformation, in order: everything
 * `apply`'s result lists hold, without an object per transformation and event.
 */
export interface ChainSink {
  /**
   * One transformation reached the event. `durationMs` as in the outcome; `vmMs` and `vmBytes` (the
   * last run's VM time and most memory, when known) make its health observation; `error` says why it
   * failed, secrets redacted.
   */
  outcome(id: string, name: string, result: TransformationResult, durationMs: number, vmMs: number, vmBytes: number | undefined, error: string | undefined): void;
  /** A log line: `print` output, or the error of a failed transformation. */
  log(entry: LogEntry): void;
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
  /** Its `source` global, for the site URL and project it was last built for (the VM copies what it reads). */
  source: { siteUrl: string; projectId: number; globals: Globals['source'] } | null;
}

interface Line {
  level: LogLevel;
  message: string;
}

/**
 * The outcome of one run, before it is turned into records. The chain has one, filled afresh by each
 * run (`failed`, `ended`): it is read before the next run starts.
 */
class Run {
  result: TransformationResult = 'unchanged';
  error: string | undefined = undefined;
  event: Event | undefined = undefined;
  propertiesJson: string | undefined = undefined;
  vmMs = 0;
  vmBytes: number | undefined = undefined;
  /** Its `print` lines, or null when it printed none. */
  lines: Line[] | null = null;
  /** It failed on the time limit (and may be tried once more). */
  timedOut = false;
  /** Both runs' time when it was tried twice; else `vmMs`, which covers the whole run. */
  durationMs: number | undefined = undefined;

  failed(error: string, vmMs: number, lines: Line[] | null = null, vmBytes?: number): this {
    return this.ended('failed', vmMs, vmBytes, lines, error);
  }

  ended(result: TransformationResult, vmMs: number, vmBytes?: number, lines: Line[] | null = null, error?: string, event?: Event, propertiesJson?: string): this {
    this.result = result;
    this.error = error;
    this.event = event;
    this.propertiesJson = propertiesJson;
    this.vmMs = vmMs;
    this.vmBytes = vmBytes;
    this.lines = lines;
    this.timedOut = false;
    this.durationMs = undefined;
    return this;
  }

  /** Lets go of the event and lines of the last run. */
  clear(): void {
    this.ended('unchanged', 0);
  }
}

const DEFAULT_SITE_URL = 'http://localhost:8040';
/** What the VM options hold between runs. */
const NO_GLOBALS: Record<string, unknown> = Object.freeze({});
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
    source: null,
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
  /**
   * The event globals of the event being transformed, while `applyTo` runs (see `sharedGlobals`), and
   * the event and context they were built for.
   */
  private shared: Globals | null = null;
  private sharedEvent: Event | null = null;
  private sharedContext: TransformationContext | null = null;
  private sharedSiteUrl = DEFAULT_SITE_URL;
  /**
   * The event's conversion into Hog values, handed from one transformation's run to the next while
   * none changes anything (the VM gives it back only then), so the event is converted once, not once
   * each. Cleared whenever the shared globals change.
   */
  private readonly kept = new KeptConversions();
  /** The code's globals, rewritten for each run (see `codeGlobals`). */
  private readonly globals: Record<string, unknown> = { event: null, person: null, groups: null, project: null, source: null, inputs: null };
  /** The outcome of the run in progress (see `Run`). */
  private readonly run = new Run();
  /** The `project` globals last built (see `eventGlobals`). */
  private project: { siteUrl: string; id: number; globals: Globals['project'] } | null = null;
  /** Where the running code's `print` lines go (one for every run, not a closure per run). */
  private readonly printer: Printer;
  /** The time budget of the run in progress (one for every run: `applyTo` is synchronous, so runs never overlap). */
  private readonly budget: Budget;
  /**
   * The VM options of the code's runs: the same object each time, with the run's `globals`, start,
   * `timeout` and `keptConversions` written in (the VM reads them only while the run lasts).
   */
  private readonly execOptions: ExecOptions;

  constructor(functions: readonly TransformationFunction[], options: ChainOptions = {}) {
    this.limits = { ...DEFAULT_TRANSFORMATION_LIMITS, ...(options.limits ?? {}) };
    this.now = options.now ?? Date.now;
    this.prepared = [...functions].sort(byExecutionOrder).map((fn) => prepare(fn, this.limits));
    this.printer = new Printer(this.limits.maxLogLines);
    this.budget = new Budget(this.limits.memoryLimit);
    const printer = this.printer;
    this.execOptions = {
      globals: NO_GLOBALS,
      timeout: 0,
      memoryLimit: this.limits.memoryLimit,
      print: (line) => printer.print(line),
      now: this.now,
      // `return event` untouched gives back the globals' own event, whose properties are the input's:
      // read without converting the event back or comparing it property by property (`readResult`).
      returnUnchangedGlobal: 'event',
    };
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
    const sink = new ResultLists(context.project.id);
    const kept = this.applyTo(event, context, sink);
    return { event: kept, outcomes: sink.outcomes, logs: sink.logs, metrics: sink.metrics, observations: sink.observations };
  }

  /**
   * `apply`, handing each transformation's outcome and log lines to `sink` as it goes. Returns the
   * event to keep (the very input object when nothing changed it), or null when it was dropped.
   */
  applyTo<E extends Event>(event: E, context: TransformationContext, sink: ChainSink): E | null {
    try {
      return this.applyAll(event, context, sink);
    } finally {
      // Nothing of this event stays reachable from the chain.
      this.shared = null;
      this.sharedEvent = null;
      this.sharedContext = null;
      this.kept.clear();
      this.run.clear();
      this.clearCodeGlobals();
      this.execOptions.globals = NO_GLOBALS;
      this.execOptions.keptConversions = undefined;
    }
  }

  private applyAll<E extends Event>(event: E, context: TransformationContext, sink: ChainSink): E | null {
    let current: E = event;
    // After the first transformation, the clock reading that ended one run starts the next (`Budget.start`).
    let afterAnother = false;
    for (const prepared of this.prepared) {
      const { fn } = prepared;
      if (context.isDisabled?.(fn.id)) {
        sink.outcome(fn.id, fn.name, 'skipped_disabled', 0, 0, undefined, undefined);
        continue;
      }
      const run = this.runGuarded(prepared, current, context, afterAnother);
      afterAnother = true;
      this.record(sink, prepared, current, context.project.id, run, run.durationMs ?? run.vmMs);
      if (run.result === 'dropped') return null;
      if (run.result === 'transformed') current = merged(current, run.event!, run.propertiesJson!);
    }
    return current;
  }

  /**
   * `runOne`, with anything unexpected (a bug, not the user's code) turned into a failure of this
   * transformation. A run that ran out of time is tried once more: the limit is wall-clock time, and a
   * pause of the whole process (garbage collection, other work on the machine) must not fail an event.
   * The code is pure, so running it twice changes nothing; code that is really too slow fails twice.
   */
  private runGuarded(prepared: Prepared, event: Event, context: TransformationContext, afterAnother: boolean): Run {
    try {
      const run = this.runOne(prepared, event, context, afterAnother);
      if (!run.timedOut) return run;
      const firstMs = run.vmMs;
      const again = this.runOne(prepared, event, context, false);
      again.durationMs = firstMs + again.vmMs;
      return again;
    } catch (error) {
      this.budget.forgetEnd();
      return this.run.failed(`internal error: ${error instanceof Error ? error.message : String(error)}`, 0);
    }
  }

  private runOne(prepared: Prepared, event: Event, context: TransformationContext, afterAnother: boolean): Run {
    const run = this.runOnce(prepared, event, context, afterAnother);
    if (run.result === 'failed' && run.error !== undefined && run.error.includes(TIME_LIMIT_TEXT)) run.timedOut = true;
    return run;
  }

  private runOnce(prepared: Prepared, event: Event, context: TransformationContext, afterAnother: boolean): Run {
    const { fn } = prepared;
    const run = this.run;
    if (fn.brokenReason !== undefined) return run.failed(fn.brokenReason, 0);
    const warm = prepared.runs++ >= this.limits.warmUpRuns;
    const budget = this.budget.start(warm ? this.limits.timeoutMs : Math.max(this.limits.timeoutMs, this.limits.warmUpTimeoutMs), afterAnother);
    const shared = this.sharedGlobals(event, context);
    const source = this.sourceOf(prepared, this.sharedSiteUrl, context.project.id);
    // Filters and input templates see the globals without `inputs`; most transformations have neither.
    const globals: Globals | null = prepared.filters !== null || prepared.constantInputs === null ? withSource(shared, source) : null;

    const filters = prepared.filters;
    if (filters !== null) {
      const match = matchesFilters(filters, globals!, budget.runOptions);
      if (match.error !== undefined) return run.failed(`filters failed: ${limitText(match.error, budget, this.limits)}`, budget.spentMs());
      if (!match.matched) return run.ended('skipped_by_filter', budget.spentMs());
    }

    let inputs = prepared.constantInputs;
    if (inputs === null) {
      try {
        const evaluated = evaluateInputs(prepared.inputs, globals!, budget.runOptions);
        if (!evaluated.ok) return run.failed(limitText(evaluated.error.message, budget, this.limits), budget.spentMs());
        inputs = evaluated.inputs;
      } catch (error) {
        return run.failed(limitText(errorText(error), budget, this.limits), budget.spentMs());
      }
    }

    const printer = this.printer.start();
    const options = this.execOptions;
    options.globals = this.codeGlobals(shared, source, inputs);
    options.keptConversions = this.kept;
    let result: ExecResult;
    try {
      // The code gets what is left of the budget, counted from the budget's start: the VM need not read the clock.
      budget.leftForCode();
      options.startedAt = budget.startedAt;
      options.timeout = budget.timeoutMs;
      result = exec(prepared.bytecode, options);
    } catch (error) {
      return run.failed(codeErrorText(error, fn, budget, this.limits), budget.spentMs(), printer.take());
    }
    const lines = printer.take();
    const vmBytes = result.state.maxMemUsed;
    if (!result.finished) return run.failed(`${result.asyncFunctionName}() is not available in transformations`, budget.spentMs(), lines);

    const read = readResult(result, event, prepared.readOptions);
    const vmMs = budget.spentMs();
    switch (read.kind) {
      case 'invalid':
        return run.failed(read.message, vmMs, lines, vmBytes);
      case 'transformed':
        return run.ended('transformed', vmMs, vmBytes, lines, undefined, read.event, read.propertiesJson);
      default:
        return run.ended(read.kind, vmMs, vmBytes, lines);
    }
  }

  /**
   * The event globals of `event`. Transformations that see the same event object (the ones before the
   * first change, and after each change until the next) share them, and the event's conversion into
   * Hog values with them; only `source` and `inputs` are their own. The VM copies a global when the
   * code reads it, so sharing is safe.
   */
  private sharedGlobals(event: Event, context: TransformationContext): Globals {
    if (this.shared !== null && this.sharedEvent === event && this.sharedContext === context) return this.shared;
    this.sharedEvent = event;
    this.sharedContext = context;
    this.sharedSiteUrl = context.siteUrl ?? DEFAULT_SITE_URL;
    this.kept.clear();
    return (this.shared = this.eventGlobals(event, context, this.sharedSiteUrl));
  }

  private clearCodeGlobals(): void {
    const globals = this.globals;
    globals.event = globals.person = globals.groups = globals.project = globals.source = globals.inputs = null;
  }

  /**
   * The code's globals: the event's, `source` and `inputs`, written into the one object every run
   * uses (the VM reads it only while the run lasts) rather than a new object per run.
   */
  private codeGlobals(shared: Globals, source: Globals['source'], inputs: Record<string, unknown>): Record<string, unknown> {
    const globals = this.globals;
    globals.event = shared.event;
    globals.person = shared.person;
    globals.groups = shared.groups;
    globals.project = shared.project;
    globals.source = source;
    globals.inputs = inputs;
    return globals;
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
      event: eventGlobals(event, `${project.url}/events/${encodeURIComponent(event.uuid)}`),
      person: null,
      groups: NO_GROUPS,
      project,
      source: NO_SOURCE,
    };
  }

  private projectGlobals(siteUrl: string, project: TransformationContext['project']): Globals['project'] {
    const cached = this.project;
    if (cached !== null && cached.siteUrl === siteUrl && cached.id === project.id && cached.globals.name === project.name) return cached.globals;
    const globals = { id: project.id, name: project.name, url: uiUrls(siteUrl, project.id).project };
    this.project = { siteUrl, id: project.id, globals };
    return globals;
  }

  private sourceOf(prepared: Prepared, siteUrl: string, projectId: number): Globals['source'] {
    const cached = prepared.source;
    if (cached !== null && cached.siteUrl === siteUrl && cached.projectId === projectId) return cached.globals;
    const globals = { name: prepared.fn.name, url: transformationUrl(siteUrl, projectId, prepared.fn.id) };
    prepared.source = { siteUrl, projectId, globals };
    return globals;
  }

  /** Hands one run's outcome and log lines (secrets redacted) to the sink. */
  private record(sink: ChainSink, prepared: Prepared, event: Event, projectId: number, run: Run, durationMs: number): void {
    const { fn } = prepared;
    let error: string | undefined;
    if (run.result === 'failed' || run.lines !== null) {
      const redact = (text: string) => (prepared.secrets.length > 0 ? redactSecrets(text, prepared.secrets) : text);
      const timestamp = new Date(this.now()).toISOString();
      const log = (level: LogLevel, message: string) =>
        sink.log({ projectId, destinationId: fn.id, invocationId: event.uuid, timestamp, level, message: redact(message) });
      for (const line of run.lines ?? []) log(line.level, line.message);
      if (run.result === 'failed') {
        error = redact(run.error ?? 'unknown error');
        log('error', `Transformation failed on event ${event.uuid}; the event passes on unchanged: ${error}`);
      }
    }
    sink.outcome(fn.id, fn.name, run.result, durationMs, run.vmMs, run.vmBytes, error);
  }
}

/**
 * `apply`'s result lists, built from the sink calls: one outcome per transformation reached, and for
 * each that ran (was not disabled) its result's metric, its time (`duration_us`) and its health
 * observation (none for a filtered event).
 */
class ResultLists implements ChainSink {
  readonly outcomes: TransformationOutcome[] = [];
  readonly logs: LogEntry[] = [];
  readonly metrics: TransformationMetric[] = [];
  readonly observations: TransformationObservation[] = [];

  constructor(private readonly projectId: number) {}

  outcome(id: string, name: string, result: TransformationResult, durationMs: number, vmMs: number, vmBytes: number | undefined, error: string | undefined): void {
    const outcome: TransformationOutcome = { id, name, result, durationMs };
    if (error !== undefined) outcome.error = error;
    this.outcomes.push(outcome);
    if (result === 'skipped_disabled') return;
    const projectId = this.projectId;
    this.metrics.push({ projectId, destinationId: id, name: metricOf(result), count: 1 });
    const observation = observationOf(result, vmMs, vmBytes, error);
    if (observation !== null) this.observations.push({ projectId, destinationId: id, observation });
    this.metrics.push({ projectId, destinationId: id, name: 'duration_us', count: durationUs(durationMs) });
  }

  log(entry: LogEntry): void {
    this.logs.push(entry);
  }
}

/** The metric a transformation's result counts in (not for `skipped_disabled`, which counts in none). */
export function metricOf(result: TransformationResult): TransformationMetricName {
  return result === 'skipped_by_filter' ? 'filtered' : (result as TransformationMetricName);
}

/** What a run tells the health watcher: a failure, or its VM time (nothing when its filters skipped the event). */
export function observationOf(result: TransformationResult, vmMs: number, vmBytes: number | undefined, error: string | undefined): HealthObservation | null {
  if (result === 'failed') return { kind: 'failed', error: error! };
  if (result === 'skipped_by_filter' || result === 'skipped_disabled') return null;
  return vmBytes ? { kind: 'hog', ms: vmMs, bytes: vmBytes } : { kind: 'hog', ms: vmMs };
}

/** The `duration_us` metric's count for a transformation's time. */
export function durationUs(durationMs: number): number {
  return Math.max(0, Math.round(durationMs * 1000));
}

/**
 * What the code returned, read against the event it received. The `event` global given back untouched
 * is the host's own object: unchanged when it holds the input as the chain built it, else read like any
 * returned value, from a copy (as the VM would have converted it), so the result never shares objects
 * with the globals.
 */
function readResult(result: ExecResult & { finished: true }, input: Event, options: ReadOptions): ReadResult {
  if (result.unchangedGlobal === undefined) return readReturnedEvent(result.result, input, options);
  if (isUntouchedInput(result.result, input)) return UNCHANGED;
  return readReturnedEvent(hogToJs(jsToHog(result.result)), input, options);
}

/** The event globals of transformations in the pipeline: no groups yet, and `source` set per transformation. */
const NO_GROUPS: Globals['groups'] = Object.freeze({}) as Globals['groups'];
const NO_SOURCE: Globals['source'] = Object.freeze({ name: '', url: '' });

/** The globals of filters and input templates: the event's, with this transformation's `source`. */
function withSource(globals: Globals, source: Globals['source']): Globals {
  return { event: globals.event, person: globals.person, groups: globals.groups, project: globals.project, source };
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

/**
 * One transformation's VM time on one event, shared by its filters, inputs and code. The chain has one,
 * started afresh for each run (`start`), with one runner for filters and input templates.
 */
class Budget {
  startedAt = 0;
  private runnerUsed = false;
  timeoutMs = 0;
  /** The clock as `spentMs` last read it, while no other run has started since (else -1). */
  private endedAt = -1;
  /** Runs filters and input templates within what is left (`matchesFilters`' and `evaluateInputs`' options). */
  readonly runOptions: { runner: HogRunner };

  constructor(memoryLimit: number) {
    // One options object for every filter and template run, as for the code's (see `execOptions`).
    const runOptions: ExecOptions = { globals: NO_GLOBALS, timeout: 0, memoryLimit, print: ignorePrint };
    const runner: HogRunner = (bytecode, options) => {
      runOptions.globals = options.globals;
      if (this.runnerUsed) {
        runOptions.startedAt = undefined;
        runOptions.timeout = this.remainingMs();
      } else {
        // The first run of a budget starts with all of it, counted from its start: no clock to read.
        runOptions.startedAt = this.startedAt;
        runOptions.timeout = this.timeoutMs;
      }
      this.runnerUsed = true;
      try {
        return execSync(bytecode, runOptions);
      } finally {
        runOptions.globals = NO_GLOBALS;
      }
    };
    this.runOptions = { runner };
  }

  /**
   * A fresh budget. `afterAnother`: it follows a run that just read the clock at its end (the next
   * transformation on the same event), whose reading serves as this one's start.
   */
  start(timeoutMs: number, afterAnother = false): this {
    this.timeoutMs = timeoutMs;
    this.runnerUsed = false;
    this.startedAt = afterAnother && this.endedAt >= 0 ? this.endedAt : performance.now();
    this.endedAt = -1;
    return this;
  }

  spentMs(): number {
    this.endedAt = performance.now();
    return this.endedAt - this.startedAt;
  }

  /** The last run did not end with a clock reading (it failed unexpectedly): the next one reads its own. */
  forgetEnd(): void {
    this.endedAt = -1;
  }

  /** What is left; a spent budget throws the VM's own timeout error, so it reads like any other. */
  remainingMs(): number {
    const left = this.timeoutMs - this.spentMs();
    if (left <= 0) throw new HogVMError(`Execution timed out after ${this.timeoutMs / 1000} seconds.`, { kind: 'limit' });
    return left;
  }

  /**
   * The code's share: what is left after filters and inputs (throwing the timeout error when nothing
   * is), or the whole budget when none of them ran and the clock need not be read.
   */
  leftForCode(): number {
    return this.runnerUsed ? this.remainingMs() : this.timeoutMs;
  }
}

function ignorePrint(): void {}

/** Keeps a run's `print` lines, up to the limit and then one warning. One per chain, started afresh per run. */
class Printer {
  private printed = 0;
  private lines: Line[] | null = null;
  constructor(private readonly max: number) {}

  start(): this {
    this.printed = 0;
    this.lines = null;
    return this;
  }

  /** The run's lines (null when it printed none); the printer forgets them. */
  take(): Line[] | null {
    const lines = this.lines;
    this.lines = null;
    return lines;
  }

  print(line: string): void {
    this.printed++;
    if (this.printed <= this.max) (this.lines ??= []).push({ level: 'info', message: line });
    else if (this.printed === this.max + 1) (this.lines ??= []).push({ level: 'warn', message: `More than ${this.max} print lines on this event: the rest are not kept.` });
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
