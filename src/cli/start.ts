import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { bootstrap, type BootstrapEnv, type BootstrapResult } from '../api/bootstrap.js';
import { buildServer } from '../api/server.js';
import { GroupCommitWriter } from '../ingest/group-commit.js';
import { Intake } from '../ingest/intake.js';
import type { IngestLimits } from '../ingest/limits.js';
import { PersonPipeline } from '../ingest/pipeline.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';

export interface SluiceOptions {
  dataDir: string;
  port: number;
  host: string;
  env?: BootstrapEnv;
  logger?: Logger | false;
  synchronous?: 'full' | 'normal';
  limits?: Partial<IngestLimits>;
}

export interface RunningSluice {
  app: FastifyInstance;
  /** `http://host:port`, with the port actually bound. */
  url: string;
  store: Store;
  intake: Intake;
  writer: GroupCommitWriter;
  pipeline: PersonPipeline;
  boot: BootstrapResult;
  /** Stops accepting requests, commits what was accepted, finishes person processing, closes the store. */
  close(): Promise<void>;
}

/** Composes store, intake, person processing and HTTP server, and listens. Used by the CLI, tests and bench. */
export async function startSluice(options: SluiceOptions): Promise<RunningSluice> {
  const logger = options.logger === undefined ? false : options.logger;
  const store = await openStore({ dataDir: options.dataDir, synchronous: options.synchronous ?? 'full' });
  const boot = await bootstrap(store, options.env ?? {});
  const pipeline = new PersonPipeline({ store, ...(logger ? { logger: logger.child({ component: 'persons' }) } : {}) });
  const writer = new GroupCommitWriter(store, { onCommitted: (events) => pipeline.push(events) });
  await pipeline.start();
  const intake = new Intake({ store, writer, ...(options.limits ? { limits: options.limits } : {}) });
  const app = await buildServer({ store, intake, logger });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `http://${shownHost}:${address.port}`,
    store,
    intake,
    writer,
    pipeline,
    boot,
    close() {
      closing ??= (async () => {
        await app.close();
        await writer.close();
        await pipeline.stop();
        await store.close();
      })();
      return closing;
    },
  };
}

function parseArgs(args: string[]): { role: string } {
  let role = 'all';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--role') role = args[++i] ?? '';
    else if (arg.startsWith('--role=')) role = arg.slice('--role='.length);
    else throw new Error(`Unknown option '${arg}'. Usage: sluice start [--role all|capture|worker|api]`);
  }
  if (!['all', 'capture', 'worker', 'api'].includes(role)) throw new Error(`Unknown role '${role}': use all, capture, worker or api`);
  return { role };
}

function banner(running: RunningSluice): string {
  const lines = [`Sluice is running: ${running.url}/`];
  if (running.boot.projectCreated) {
    lines.push(`Created the default project (id ${running.boot.project.id}). Point your PostHog SDKs at ${running.url} with the project token:`);
    lines.push(`    ${running.boot.project.apiToken}`);
  }
  if (running.boot.apiKey !== null) {
    lines.push('Created an admin personal API key for the management API (Authorization: Bearer …). It is shown only once:');
    lines.push(`    ${running.boot.apiKey}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `sluice start`: serve capture and the management API until SIGTERM/SIGINT, then shut down losing nothing. */
export async function startCommand(args: string[]): Promise<number> {
  const { role } = parseArgs(args);
  const logger = pino({ name: 'sluice', level: process.env.SLUICE_LOG_LEVEL ?? 'info' });
  if (role !== 'all') logger.warn({ role }, 'only --role all exists today; running everything in this process');
  const port = Number(process.env.SLUICE_PORT ?? 8040);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SLUICE_PORT must be a port number, not '${process.env.SLUICE_PORT}'`);
  const dataDir = process.env.SLUICE_DATA_DIR ?? './data';
  const synchronous = process.env.SLUICE_SQLITE_SYNCHRONOUS === 'normal' ? 'normal' : 'full';

  const running = await startSluice({
    dataDir,
    port,
    host: process.env.SLUICE_HOST ?? '0.0.0.0',
    env: process.env,
    logger,
    synchronous,
  });
  logger.info({ url: running.url, dataDir, projectId: running.boot.project.id, synchronous }, 'sluice started');
  process.stdout.write(banner(running));

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
        process.exit(1);
      }
      logger.info({ signal }, 'shutting down: no new requests, committing accepted events, finishing person processing');
      running.close().then(
        () => {
          logger.info('shutdown complete');
          resolve(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
