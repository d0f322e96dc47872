/**
 * A stage thread (see `stage-threads.ts`): person processing (transformations first) and matching for the
 * partitions the main thread assigns it, on its own store connections. It composes the two stages as
 * `cli/start.ts` does in the main thread, with three differences:
 *
 * - what the stages record (metrics, log lines, health observations) goes to the main thread's recorder,
 *   batched per event-loop turn (metric counts summed), rather than to a recorder of its own;
 * - the health states it reads are the main thread's monitor's, mirrored here on every change;
 * - new invocations are stored already claimed by the main thread's worker while it has granted room
 *   (`claims`), and handed over to it as messages; without room they are stored queued and the worker is
 *   told to claim them.
 *
 * Every offset it commits carries the fence its partition was assigned with, so a lease taken over
 * meanwhile refuses the write here exactly as in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedMaskingGate } from '../destinations/masking.js';
import { createKeyring } from '../destinations/secrets.js';
import { PersonPipeline } from '../ingest/pipeline.js';
import { DestinationRegistry } from '../runtime/destination-registry.js';
import type { InvocationLog } from '../runtime/executor.js';
import { isDisabled, priorityFor, type HealthObservation, type HealthPolicy, type HealthState } from '../runtime/health.js';
import { Matcher, MATCHER_CONSUMER } from '../runtime/matcher.js';
import type { RecorderTap, RuntimeMetric } from '../runtime/recorder.js';
import { openStore } from '../store/index.js';
import type { EnrichedEvent, LeaseFence, LogLevel, NewInvocation, Store, StoredEvent } from '../store/store.js';
import { PipelineTransformations } from '../transformations/index.js';
import type { StageLogger } from './consumer.js';
import { ownStageCpuTotals } from './stage-cpu.js';
import type { ClaimGrant, FromStageThread, HandedOverInvocation, StageEffect, StageReport, StageThreadConfig, ThreadLogLine, ToStageThread } from './stage-threads.js';

const port = parentPort!;
const config = workerData as StageThreadConfig & { index: number };
const send = (message: FromStageThread): void => port.postMessage(message);

/** How often this thread's stage CPU totals go to the main thread (and once more when it stops). */
const CPU_REPORT_MS = 1_000;

// ---- what goes back, once per event-loop turn ----------------------------------------------------------------

class Outbox {
  private effects: StageEffect[] = [];
  /** Metric counts of this turn, summed by project, function and name. */
  private metrics = new Map<string, ['metric', number, string, RuntimeMetric, number]>();
  private logs: ThreadLogLine[] = [];
  private refresh = new Set<string>();
  private invocations = false;
  private handedOver: HandedOverInvocation[] = [];
  private processed = { persons: 0, destinations: 0, invocations: 0 };
  private scheduled = false;

  metric(projectId: number, destinationId: string, name: RuntimeMetric, count: number): void {
    const key = `${projectId}\u0000${destinationId}\u0000${name}`;
    const sum = this.metrics.get(key);
    if (sum) sum[4] += count;
    else {
      const entry: ['metric', number, string, RuntimeMetric, number] = ['metric', projectId, destinationId, name, count];
      this.metrics.set(key, entry);
      this.effects.push(entry);
    }
    this.schedule();
  }

  effect(effect: StageEffect): void {
    this.effects.push(effect);
    this.schedule();
  }

  log(line: ThreadLogLine): void {
    this.logs.push(line);
    this.schedule();
  }

  refreshHealth(ids: readonly string[]): void {
    for (const id of ids) this.refresh.add(id);
    this.schedule();
  }

  invocationsQueued(): void {
    this.invocations = true;
    this.schedule();
  }

  /** Invocations stored claimed for the worker: their globals go as the JSON the matcher already made. */
  handOver(invocations: NewInvocation[]): void {
    for (const { globals, ...rest } of invocations) this.handedOver.push({ ...rest, globalsJson: rest.globalsJson ?? JSON.stringify(globals) });
    this.schedule();
  }

  count(stage: 'persons' | 'destinations' | 'invocations', n: number): void {
    this.processed[stage] += n;
    this.schedule();
  }

  /** Sends what this turn gathered (also called directly before stopping). */
  flush(): void {
    this.scheduled = false;
    const counted = this.processed.persons + this.processed.destinations + this.processed.invocations;
    if (this.effects.length === 0 && this.logs.length === 0 && this.refresh.size === 0 && !this.invocations && this.handedOver.length === 0 && counted === 0) return;
    const report: StageReport = {
      type: 'report',
      effects: this.effects,
      logs: this.logs,
      refresh: [...this.refresh],
      invocations: this.invocations,
      handedOver: this.handedOver,
      processed: this.processed,
      // With the batches' counts, so /metrics never shows a thread's events later than what they caused.
      ...(counted > 0 ? { cpu: ownStageCpuTotals() } : {}),
    };
    this.effects = [];
    this.metrics = new Map();
    this.logs = [];
    this.refresh = new Set();
    this.invocations = false;
    this.handedOver = [];
    this.processed = { persons: 0, destinations: 0, invocations: 0 };
    send(report);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Still before the batch's commit completes (that is a database round trip away), so the main thread
    // has the batch's metrics by the time anyone can see its offset move.
    setImmediate(() => this.flush());
  }
}

const outbox = new Outbox();

/** The stages' recorder: every call goes to the main thread's. */
const recorder = {
  /** Transformations send every timing only when there is a metrics tap to see them (its presence is all they check). */
  tap: config.tap ? ({ metric() {}, observe() {}, ran() {} } satisfies RecorderTap) : null,
  metric(projectId: number, destinationId: string, name: RuntimeMetric, count = 1): void {
    outbox.metric(projectId, destinationId, name, count);
  },
  log(projectId: number, destinationId: string, invocationId: string | null, level: LogLevel, message: string): void {
    outbox.effect(['log', projectId, destinationId, invocationId, level, message]);
  },
  logSteps(projectId: number, destinationId: string, invocationId: string, lines: InvocationLog[]): void {
    if (lines.length > 0) outbox.effect(['logSteps', projectId, destinationId, invocationId, lines]);
  },
  observe(projectId: number, destinationId: string, observation: HealthObservation): void {
    outbox.effect(['observe', projectId, destinationId, observation]);
  },
};

/** The main thread's health monitor as seen from here: the states it last sent (healthy when not listed). */
class MirroredHealth {
  private states = new Map<string, HealthState>();

  constructor(readonly policy: HealthPolicy) {}

  update(states: [string, HealthState][]): void {
    this.states = new Map(states);
  }

  stateOf(id: string): HealthState {
    return this.states.get(id) ?? 'healthy';
  }

  isDisabled(id: string): boolean {
    return isDisabled(this.stateOf(id));
  }

  priorityOf(id: string): number {
    return priorityFor(this.stateOf(id));
  }

  /** The main thread's monitor re-reads their stored records (a recompiled chain may hold a function re-enabled elsewhere). */
  async refresh(ids: string[]): Promise<void> {
    outbox.refreshHealth(ids);
  }
}

/** An error as plain data (a log line crosses threads as a structured clone). */
function plain(value: unknown): unknown {
  return value instanceof Error ? { type: value.name, message: value.message, stack: value.stack } : value;
}

function forwardedLog(level: ThreadLogLine['level'], obj: object, msg?: string): void {
  if (!config.log) return;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) fields[key] = plain(value);
  outbox.log(msg !== undefined ? { level, obj: fields, msg } : { level, obj: fields });
}

function loggerFor(component: string): StageLogger {
  return {
    info: (obj, msg) => forwardedLog('info', { component, ...obj }, msg),
    warn: (obj, msg) => forwardedLog('warn', { component, ...obj }, msg),
    error: (obj, msg) => forwardedLog('error', { component, ...obj }, msg),
  };
}

/**
 * The matcher's sink here: the main thread's worker, reached by messages. Invocations are stored claimed
 * by it while the grant has room (computing the lock's end here, as the worker would), else queued.
 */
class WorkerSink {
  private grant: ClaimGrant | null = null;

  update(grant: ClaimGrant | null): void {
    this.grant = grant;
  }

  reserve(count: number): { workerId: string; lockedUntil: number } | null {
    const grant = this.grant;
    if (!grant || grant.room < count) return null;
    grant.room -= count;
    return { workerId: grant.workerId, lockedUntil: Date.now() + grant.lockMs };
  }

  accept(invocations: NewInvocation[]): void {
    outbox.handOver(invocations);
  }

  wake(): void {
    outbox.invocationsQueued();
  }
}

// ---- the stages ----------------------------------------------------------------------------------------------

interface Stages {
  store: Store;
  health: MirroredHealth;
  sink: WorkerSink;
  registry: DestinationRegistry;
  transformations: PipelineTransformations;
  pipeline: PersonPipeline;
  matcher: Matcher;
}

async function buildStages(store: Store): Promise<Stages> {
  const keyring = createKeyring(config.keys);
  const health = new MirroredHealth(config.healthPolicy);
  const masking = new SharedMaskingGate(store.counters);
  const checkIntervalMs = config.reloadCheckMs ?? 200;
  const registry = new DestinationRegistry({
    store,
    keyring,
    health,
    checkIntervalMs,
    logger: loggerFor('destinations'),
    // As in the main thread's runtime: a changed destination starts a fresh masking window and has its
    // health read again (a save may have re-enabled it).
    onChanged: (ids) => {
      ids.forEach((id) => masking.reset(id));
      outbox.refreshHealth(ids);
    },
  });
  const transformations = new PipelineTransformations({ store, keyring, health, siteUrl: () => config.siteUrl, checkIntervalMs, logger: loggerFor('transformations') });
  transformations.attach(recorder);
  const lost = (partition: number): void => send({ type: 'lost', partition });
  const sink = new WorkerSink();
  const pipeline = new PersonPipeline({
    store,
    readFromStore: true,
    onLost: lost,
    transform: (projectId, events) => transformations.transform(projectId, events),
    downstream: MATCHER_CONSUMER,
    logger: loggerFor('persons'),
  });
  const matcher = new Matcher({
    store,
    pipeline,
    registry,
    recorder,
    sink,
    siteUrl: config.siteUrl,
    masking,
    logger: loggerFor('matcher'),
    onLost: lost,
    ...(config.matcherBatchSize !== undefined ? { batchSize: config.matcherBatchSize } : {}),
  });
  pipeline.runner.onCommitted((batch: StoredEvent[]) => outbox.count('persons', batch.length));
  let matched = 0;
  matcher.runner.onCommitted((batch: EnrichedEvent[]) => {
    outbox.count('destinations', batch.length);
    outbox.count('invocations', matcher.matchedInvocations - matched);
    matched = matcher.matchedInvocations;
  });
  await matcher.attach();
  return { store, health, sink, registry, transformations, pipeline, matcher };
}

// ---- the messages ----------------------------------------------------------------------------------------------

/** Assignments and revokes, one at a time and in order (as the main thread sent them). */
let chain: Promise<void> = Promise.resolve();
function serially(work: () => Promise<void>): void {
  chain = chain.then(work).catch((error: unknown) => forwardedLog('error', { err: error }, 'a stage thread assignment failed'));
}

async function assign(stages: Stages, fence: LeaseFence): Promise<void> {
  // Downstream first, so matching listens before person processing emits.
  await stages.matcher.assign(fence);
  await stages.pipeline.assign(fence);
}

async function revoke(stages: Stages, partition: number): Promise<void> {
  await stages.pipeline.revoke(partition);
  await stages.matcher.revoke(partition);
}

let lastCpu = '';
function reportCpu(): void {
  const totals = ownStageCpuTotals();
  const text = JSON.stringify(totals);
  if (text === lastCpu) return;
  lastCpu = text;
  send({ type: 'cpu', totals });
}

/** Processes what the store holds for its partitions while their leases still fence, then closes the store. */
async function stop(stages: Stages, cpuTimer: NodeJS.Timeout): Promise<void> {
  clearInterval(cpuTimer);
  try {
    await chain;
    await stages.pipeline.stop();
    await stages.matcher.stop();
    outbox.flush();
    reportCpu();
    await stages.store.close();
  } finally {
    send({ type: 'stopped' });
    port.close();
  }
}

function handle(stages: Stages, message: ToStageThread, cpuTimer: NodeJS.Timeout): void {
  switch (message.type) {
    case 'assign':
      serially(() => assign(stages, message.fence));
      break;
    case 'revoke':
      serially(async () => {
        try {
          await revoke(stages, message.partition);
        } finally {
          send({ type: 'revoked', request: message.request });
        }
      });
      break;
    case 'appended':
      // The stage reads events from the store; a handed-over position only wakes the partition's loop (with
      // `readFromStore` the consumer looks at nothing else of an item).
      stages.pipeline.push(message.items as unknown as StoredEvent[]);
      break;
    case 'health':
      stages.health.update(message.states);
      break;
    case 'claims':
      stages.sink.update(message.grant);
      break;
    case 'changed':
      stages.transformations.invalidate();
      void stages.registry.reload().catch(() => {});
      break;
    case 'stop':
      void stop(stages, cpuTimer);
      break;
  }
}

// Messages that arrive while the stages are built wait for them.
const early: ToStageThread[] = [];
let deliver: (message: ToStageThread) => void = (message) => void early.push(message);
port.on('message', (message: ToStageThread) => deliver(message));

let store: Store | null = null;
try {
  store = await openStore({ ...config.store, backgroundCheckpoints: false });
  const stages = await buildStages(store);
  const cpuTimer = setInterval(reportCpu, CPU_REPORT_MS);
  cpuTimer.unref?.();
  deliver = (message) => handle(stages, message, cpuTimer);
  for (const message of early.splice(0)) deliver(message);
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  await store?.close().catch(() => {});
  port.close();
}
