/**
 * A delivery thread (see `delivery-threads.ts`): its own store connection and a runtime that only claims
 * from the queue (no matcher, no retention), like a `--role worker` process that never leads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { loadOrCreateKeyring } from '../destinations/secrets.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import type { DeliveryThreadConfig, FromThread, ToThread } from './delivery-threads.js';
import { createFetchExecutor, parseAllowList } from './fetch.js';
import { startRuntime, type Runtime } from './index.js';

const port = parentPort!;
const config = workerData as DeliveryThreadConfig & { index: number };
const send = (message: FromThread) => port.postMessage(message);
const quiet = { warn() {}, info() {} };

let store: Store | null = null;
let runtime: Runtime | null = null;
try {
  const logger = config.logLevel ? pino({ name: 'sluice', level: config.logLevel }).child({ thread: config.index }) : undefined;
  store = await openStore(config.store);
  const keyring = loadOrCreateKeyring({ env: config.env, dataDir: config.store.dataDir, log: quiet });
  if (keyring.primaryId !== config.keyringPrimaryId) {
    throw new Error(`its keyring (key ${keyring.primaryId}) is not the main thread's (key ${config.keyringPrimaryId}); set SLUICE_ENCRYPTION_KEYS or keep the data dir's key file`);
  }
  const fetcher = createFetchExecutor({ allowList: parseAllowList(config.allowHosts) });
  const workerId = config.worker?.workerId;
  runtime = await startRuntime({
    store,
    pipeline: { onEnriched: () => () => {} },
    keyring,
    intake: {
      async captureInternal(projectId, events) {
        send({ type: 'capture', projectId, events });
      },
    },
    siteUrl: config.siteUrl,
    fetcher,
    ...(logger ? { logger } : {}),
    ...(config.executorLimits ? { executorLimits: config.executorLimits } : {}),
    ...(config.reloadCheckMs !== undefined ? { reloadCheckMs: config.reloadCheckMs } : {}),
    ...(config.health ? { health: config.health } : {}),
    worker: { ...config.worker, ...(workerId ? { workerId: `${workerId}-thread-${config.index}` } : {}) },
    startMatcher: false,
    startRetention: false,
  });
  const running = runtime;
  const opened = store;
  let stopping = false;
  port.on('message', (message: ToThread) => {
    if (message.type === 'wake') running.worker.wake();
    else if (message.type === 'reload') void running.reload().catch(() => {});
    else if (message.type === 'stop' && !stopping) {
      stopping = true;
      void (async () => {
        try {
          await running.stop();
          await fetcher.close();
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
  await runtime?.stop().catch(() => {});
  await store?.close().catch(() => {});
  port.close();
}
