import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { Type } from '@sinclair/typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { createKeyring, type Keyring } from '../destinations/secrets.js';
import type { Intake } from '../ingest/intake.js';
import type { ExecutorLimits, HttpRequest, HttpResponse } from '../runtime/executor.js';
import type { HealthMonitor } from '../runtime/health-monitor.js';
import type { Store } from '../store/store.js';
import { registerContract } from './openapi.js';
import { errorHandler } from './plugins/error-handler.js';
import { securityHeaders } from './plugins/security-headers.js';
import { captureRoutes } from './routes/capture/index.js';
import { destinationRoutes } from './routes/destinations/index.js';
import { hogRoutes } from './routes/hog/index.js';
import { projectRoutes } from './routes/projects/index.js';
import { templateRoutes } from './routes/templates/index.js';
import { keyRoutes } from './routes/keys/index.js';
import { clusterRoutes } from './routes/cluster/index.js';
import { uiRoutes } from './routes/ui/index.js';
import { buildSerializer, buildSerializerUpFront, buildValidator, buildValidatorUpFront } from './validation.js';
import { sourceRoutes, type SourceHealth } from '../sources/route.js';

export interface ServerDeps {
  store: Store;
  intake: Intake;
  /**
   * Compile every route's request and response schemas at start instead of at each route's first use
   * (`validation.ts`): the test that every schema compiles.
   */
  compileSchemasUpFront?: boolean;
  /** A pino logger instance, or `false` for none (tests). */
  logger?: FastifyServerOptions['loggerInstance'] | false;
  /** Encrypts secret inputs. Default: a random in-memory key (tests only: secrets die with the process). */
  keyring?: Keyring;
  /** Called after a destination is written, so the runtime reloads at once. */
  onDestinationsChanged?: () => void;
  /** Performs real requests for test runs with `mock_async_functions: false`. */
  fetch?: (request: HttpRequest) => Promise<HttpResponse>;
  /** Base URL of the web UI, for the `url` globals. */
  siteUrl?: string;
  /** The runtime's executor limits, so test runs stop where delivery would (`SLUICE_MAX_FETCHES`). */
  executorLimits?: Partial<ExecutorLimits>;
  /**
   * Destination health for the API (re-enable, status, replay): the process's one monitor, the same the
   * runtime feeds (`cli/start.ts`), so what the API reports and what the worker gates on never differ.
   */
  health: HealthMonitor;
  /** Replay rate and cap (tests). */
  replay?: { perSecond?: number; max?: number };
  /**
   * Webhook sources' health watcher: their observations go there and its state can disable them (the
   * runtime's monitor, which persists and announces them; `null` while none runs). Default: `health`.
   */
  sourceHealth?: () => SourceHealth | null;
  /** Which proxies' `X-Forwarded-For` to believe for the client address (`SLUICE_TRUST_PROXY`). Default none. */
  trustProxy?: TrustProxy;
  /** Called for every route as it is registered (tests list the management routes and their scopes). */
  onRoute?: (route: RouteOptions) => void;
}

/** `true` (every proxy), or the proxies' addresses, CIDR ranges and proxy-addr names. */
export type TrustProxy = boolean | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Reads `SLUICE_TRUST_PROXY`: unset or `false` trusts no proxy (the client address is the socket's);
 * `true` trusts every hop; else a comma-separated list of proxy addresses, CIDR ranges, or
 * `loopback`/`linklocal`/`uniquelocal`.
 */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined) {
    throw new Error(
      `SLUICE_TRUST_PROXY: '${bad}' is not an IP address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal; ` +
        'use a comma-separated list of those, true to trust every proxy, or false',
    );
  }
  return entries;
}

/** Builds the HTTP application. Never listens: the caller (CLI, tests, bench) decides where. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One log line per request would cost more than capturing the request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // Off unless configured: trusting X-Forwarded-For from anyone lets any client choose its own `$ip`.
    trustProxy: deps.trustProxy ?? false,
    // Capture has its own (larger) limit; this one is for the management API.
    bodyLimit: 1024 * 1024,
    // Ajv as Fastify has it, leaving the bodies the domain validators check to them; request and response
    // schemas compiled at each route's first use (`validation.ts`).
    schemaController: {
      compilersFactory: deps.compileSchemasUpFront
        ? { buildValidator: buildValidatorUpFront, buildSerializer: buildSerializerUpFront }
        : { buildValidator, buildSerializer },
    },
  });

  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  await registerContract(app);
  await app.register(errorHandler);
  await app.register(securityHeaders);
  app.get('/_health', { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  await app.register(captureRoutes, { intake: deps.intake });
  await app.register(projectRoutes, { store: deps.store });
  const { health } = deps;
  const keyring = deps.keyring ?? createKeyring([randomBytes(32)]);
  await app.register(destinationRoutes, {
    store: deps.store,
    health,
    ...(deps.replay ? { replay: deps.replay } : {}),
    keyring,
    onDestinationsChanged: deps.onDestinationsChanged,
    fetch: deps.fetch,
    siteUrl: deps.siteUrl,
    ...(deps.executorLimits ? { executorLimits: deps.executorLimits } : {}),
  });
  await app.register(sourceRoutes, {
    store: deps.store,
    keyring,
    intake: deps.intake,
    health: deps.sourceHealth ?? (() => health),
    ...(deps.siteUrl ? { siteUrl: deps.siteUrl } : {}),
  });
  await app.register(templateRoutes, { store: deps.store });
  await app.register(keyRoutes, { store: deps.store });
  await app.register(clusterRoutes, { store: deps.store });
  await app.register(hogRoutes, { store: deps.store });
  await app.register(uiRoutes, {});
  return app;
}
