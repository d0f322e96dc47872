import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Intake } from '../ingest/intake.js';
import type { Store } from '../store/store.js';
import { errorHandler } from './plugins/error-handler.js';
import { captureRoutes } from './routes/capture/index.js';
import { projectRoutes } from './routes/projects/index.js';

export interface ServerDeps {
  store: Store;
  intake: Intake;
  /** A pino logger instance, or `false` for none (tests). */
  logger?: FastifyServerOptions['loggerInstance'] | false;
}

/** Builds the HTTP application. Never listens: the caller (CLI, tests, bench) decides where. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One log line per request would cost more than capturing the request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: true,
    // Capture has its own (larger) limit; this one is for the management API.
    bodyLimit: 1024 * 1024,
  }) as unknown as FastifyInstance;

  await app.register(errorHandler);
  app.get('/_health', async () => ({ status: 'ok' }));
  await app.register(captureRoutes, { intake: deps.intake });
  await app.register(projectRoutes, { store: deps.store });
  return app;
}
