/**
 * A delivery thread (see `delivery-threads.ts`): runs the invocations the main thread posts with its own
 * `InvocationRunner` (destination registry, executor, fetch executor) and posts back each outcome with
 * the effects it left behind. Its store connection only reads destinations; the main thread writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKeyring } from '../destinations/secrets.js';
import { openStore } from '../store/index.js';
import type { JsonObject, Store } from '../store/store.js';
import type { DeliveryThreadConfig, FromThread, PostedWork, RunRequest, RunResult, ToThread } from './delivery-threads.js';
import { DestinationRegistry } from './destination-registry.js';
import { BufferedEffects, MetricTally } from './effects.js';
import { encodePlainSuccess } from './plain-success.js';
import { InvocationExecutor } from './executor.js';
import { createFetchExecutor, parseAllowList, type FetchExecutor } from './fetch.js';
import { InvocationRunner, type Work } from './runner.js';

const port = parentPort!;
const config = workerData as DeliveryThreadConfig & { index: number };
const send = (message: FromThread) => port.postMessage(message);

/**
 * Results of this event-loop turn, posted together with the metric increments of their runs, summed;
 * plain successes as numbers (`plain-success.ts`).
 */
let outbox: RunResult[] = [];
let succeeded: number[] = [];
let flushing = false;
const metrics = new MetricTally();
function post(result: RunResult, invocationId: string): void {
  if (!flushing) {
    flushing = true;
    setImmediate(flushResults);
  }
  if (result.outcome && encodePlainSuccess(result.seq, invocationId, result.outcome, result.effects, succeeded)) return;
  outbox.push(result);
}
function flushResults(): void {
  flushing = false;
  const results = outbox;
  const plain = succeeded;
  outbox = [];
  succeeded = [];
  if (results.length > 0 || plain.length > 0) send({ type: 'results', results, succeeded: plain, metrics: metrics.take() });
}

/** Suspensions the main thread is storing for us, by request number. */
const saving = new Map<number, { resolve(): void; reject(error: Error): void }>();
let nextSave = 1;
function saveSuspension(invocationId: string, suspension: JsonObject): Promise<void> {
  const request = nextSave++;
  return new Promise((resolve, reject) => {
    saving.set(request, { resolve, reject });
    send({ type: 'save', request, invocationId, suspension });
  });
}

/**
 * The run with its globals: posted as they are, or parsed from their JSON. JSON that is not an object
 * (it never is: the matcher wrote it) gives empty globals, which the runner's shape check then fails,
 * so one bad run never takes the thread down.
 */
function withGlobals(posted: PostedWork): Work {
  if (posted.globals !== undefined) return posted as Work;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(posted.globalsJson ?? 'null');
  } catch {
    // Left null: failed below.
  }
  // The posted object is this thread's own copy: it becomes the run's work.
  posted.globals = isJsonObject(parsed) ? parsed : {};
  return posted as Work;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tests only: an event name whose invocations make this thread run out of memory for real (its heap
 * limit ends it, as it would a run that escaped the VM's limits), so the tests can prove that a dying
 * thread costs only its runs an attempt and is restarted. Unset in production.
 */
const OOM_EVENT = process.env.SLUICE_TEST_DELIVERY_THREAD_OOM_EVENT;

function exhaustHeapOn(work: Work): void {
  if (!OOM_EVENT || (work.globals as { event?: { event?: unknown } }).event?.event !== OOM_EVENT) return;
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 20).fill(hoard.length));
}

let store: Store | null = null;
let fetcher: FetchExecutor | null = null;
try {
  // The main thread's store owns the file's checkpoints; this connection only reads destinations.
  store = await openStore({ ...config.store, backgroundCheckpoints: false });
  const keyring = createKeyring(config.keys);
  const registry = new DestinationRegistry({ store, keyring, checkIntervalMs: config.reloadCheckMs ?? 200 });
  await registry.reload();
  fetcher = createFetchExecutor({ allowList: parseAllowList(config.allowHosts) });
  const runner = new InvocationRunner({
    destination: (projectId, id) => registry.get(projectId, id),
    executor: new InvocationExecutor(config.executorLimits ?? {}),
    fetcher,
    keyring,
  });
  const running = new Set<Promise<void>>();
  const run = ({ seq, work: posted }: RunRequest) => {
    const work = withGlobals(posted);
    const effects = new BufferedEffects(work, saveSuspension, metrics);
    exhaustHeapOn(work);
    const done = runner
      .run(work, effects)
      .then(
        (outcome) => {
          running.delete(done);
          post({ seq, outcome, effects: effects.calls }, work.id);
        },
        (error: unknown) => {
          running.delete(done);
          post({ seq, error: error instanceof Error ? error.message : String(error), effects: effects.calls }, work.id);
        },
      );
    running.add(done);
  };
  const opened = store;
  const http = fetcher;
  let stopping = false;
  port.on('message', (message: ToThread) => {
    if (message.type === 'run') message.runs.forEach(run);
    else if (message.type === 'saved') {
      const waiting = saving.get(message.request);
      saving.delete(message.request);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve();
    } else if (message.type === 'reload') void registry.reload().catch(() => {});
    else if (message.type === 'stop' && !stopping) {
      stopping = true;
      void (async () => {
        try {
          await Promise.all(running);
          flushResults();
          await http.close();
          await opened.close();
        } finally {
          send({ type: 'stopped' });
          port.close();
        }
      })();
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  await fetcher?.close().catch(() => {});
  await store?.close().catch(() => {});
  port.close();
}
