/**
 * `POST /public/webhooks/:id`: the public URL of a webhook source (docs/sources.md). No API key — the
 * unguessable id is the address, and the source's own code checks signatures. The answer comes only
 * after the events the request created are committed (the same intake path as `postHogCapture` from
 * destinations); a failing run stores none of them.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { uiUrls } from '../destinations/globals.js';
import { findTooDeep } from '../ingest/depth.js';
import type { Keyring } from '../destinations/secrets.js';
import type { CapturedEvent } from '../runtime/executor.js';
import { CompiledDestination } from '../runtime/destination-registry.js';
import { isDisabled, type HealthObservation, type HealthState } from '../runtime/health.js';
import type { DestinationStatus } from '../runtime/health-monitor.js';
import { RuntimeRecorder } from '../runtime/recorder.js';
import type { Store, StoredDestination } from '../store/store.js';
import { requestGlobals, runSource, SOURCE_LIMITS, type SourceContext, type SourceJob, type SourceLimits } from './run.js';

export interface SourceRoutesOptions {
  store: Store;
  keyring: Keyring;
  intake: { captureInternal(projectId: number, events: CapturedEvent[], endpoint?: string): Promise<{ accepted: number; rejected: unknown[] }> };
  /**
   * The health watcher that sources' observations feed and whose state can disable them (the runtime's
   * `HealthMonitor`). A function because the runtime may start after the routes; `null` while none.
   */
  health?: () => SourceHealth | null;
  siteUrl?: string;
  limits?: Partial<SourceLimits>;
}

/** What the route asks of the health watcher; `HealthMonitor` is one. */
export interface SourceHealth {
  observe(projectId: number, destinationId: string, observation: HealthObservation): void;
  stateOf(destinationId: string): HealthState;
  status(projectId: number, destinationId: string): Promise<DestinationStatus>;
  /** Re-reads the stored record (a save or the enable route may have re-enabled it). */
  refresh(destinationIds: string[]): Promise<void>;
}

/** `Retry-After` of a permanently disabled source: it waits for a user, so the sender just keeps retrying. */
export const PERMANENT_DISABLE_RETRY_AFTER_S = 600;

/** The public URL of a source, as the API returns it (`webhook_url`). */
export function webhookUrl(siteUrl: string, id: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/public/webhooks/${encodeURIComponent(id)}`;
}

const FAILED = { error: 'the source failed' };
const NOT_FOUND = { error: 'no enabled source has this URL' };
const DISABLED = { error: 'the source is disabled' };

interface PreparedSource {
  job: SourceJob;
  context: SourceContext;
}

/** A token bucket per source, in this process: a flood to one URL cannot starve the others. */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes a token; returns 0 when allowed, else the seconds until one is available. */
  take(id: string, now = Date.now()): number {
    if (this.buckets.size > 10_000) this.buckets.clear();
    const bucket = this.buckets.get(id) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}

export async function sourceRoutes(app: FastifyInstance, opts: SourceRoutesOptions): Promise<void> {
  const limits: SourceLimits = { ...SOURCE_LIMITS, ...(opts.limits ?? {}) };
  const siteUrl = opts.siteUrl ?? 'http://localhost:8040';
  const recorder = new RuntimeRecorder({ store: opts.store });
  const rate = new RateLimiter(limits.ratePerSecond, limits.rateBurst);
  const prepared = new Map<string, PreparedSource>();
  app.addHook('onClose', async () => recorder.flush());
  const health = opts.health ?? (() => null);

  /** Seconds until a health-disabled source runs again (a fixed wait when only a user can bring it back); null when it runs. */
  async function secondsDisabled(projectId: number, id: string): Promise<number | null> {
    const watcher = health();
    if (!watcher || !isDisabled(watcher.stateOf(id))) return null;
    // Re-enabling is written to the store by the API (maybe another process's): read it before refusing.
    await watcher.refresh([id]);
    if (!isDisabled(watcher.stateOf(id))) return null;
    const status = await watcher.status(projectId, id);
    if (status.state === 'disabled_permanently' || status.until === null) return PERMANENT_DISABLE_RETRY_AFTER_S;
    return Math.max(1, Math.ceil((Date.parse(status.until) - Date.now()) / 1000));
  }

  // Any content type, kept as the raw text: JSON is parsed for `request.body` only after the bytes are
  // kept, because signatures are computed over exactly what was sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes }, (_request, body, done) => done(null, body));

  async function prepare(stored: StoredDestination): Promise<PreparedSource | null> {
    const key = `${stored.id}:${stored.version}`;
    const known = prepared.get(key);
    if (known) return known;
    const job = new CompiledDestination(stored, opts.keyring).job(null);
    if ('error' in job) return null;
    const project = await opts.store.getProject(stored.projectId);
    const urls = uiUrls(siteUrl, stored.projectId);
    const config = stored.config as { name?: string };
    const source: PreparedSource = {
      job: { id: stored.id, name: config.name ?? '', ...job },
      context: {
        project: { id: stored.projectId, name: project?.name ?? '', url: urls.project },
        source: { id: stored.id, name: config.name ?? '', url: urls.destination(stored.id) },
      },
    };
    if (prepared.size > 1_000) prepared.clear();
    prepared.set(key, source);
    return source;
  }

  app.post<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/public/webhooks/:id',
    { bodyLimit: limits.maxBodyBytes, schema: { hide: true } },
    async (request, reply) => {
      const stored = await opts.store.getSource(request.params.id);
      if (!stored || !stored.enabled) return reply.code(404).send(NOT_FOUND);
      const wait = rate.take(stored.id);
      if (wait > 0) {
        return reply.code(429).header('retry-after', String(wait)).send({ error: `too many requests to this source; retry in ${wait} s` });
      }
      const { projectId, id } = stored;
      // A 503 makes the vendor retry later, so nothing is lost while health keeps the code from running.
      const disabledFor = await secondsDisabled(projectId, id);
      if (disabledFor !== null) return reply.code(503).header('retry-after', String(disabledFor)).send(DISABLED);
      const source = await prepare(stored);
      recorder.metric(projectId, id, 'triggered');
      if (!source) {
        recorder.log(projectId, id, null, 'error', 'The source cannot run: its inputs could not be prepared (a secret could not be decrypted?)');
        return failed(reply, projectId, id, 'its inputs could not be prepared');
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      const globals = requestGlobals({ method: request.method, headers: request.headers, query: request.query ?? {}, ip: request.ip, rawBody });
      // Deep nesting would cost the VM's conversion of the globals more than the request is worth.
      const tooDeep = findTooDeep(globals.body, limits.maxBodyDepth);
      if (tooDeep) {
        recorder.metric(projectId, id, 'failed');
        return reply.code(400).send({ error: `the JSON body nests deeper than ${limits.maxBodyDepth} levels (at ${tooDeep.path})` });
      }
      const invocationId = randomUUID();
      const run = runSource(source.job, globals, source.context, limits);
      recorder.logSteps(projectId, id, invocationId, run.logs);
      health()?.observe(projectId, id, { kind: 'hog', ms: run.vmMs });
      if (run.status === 'failed') return failed(reply, projectId, id, run.error ?? 'failed');
      if (run.captured.length > 0) {
        const stored = await opts.intake.captureInternal(projectId, run.captured, request.routeOptions.url ?? '/public/webhooks/:id');
        if (stored.rejected.length > 0) {
          recorder.log(projectId, id, invocationId, 'warn', `${stored.rejected.length} captured events were refused by intake: ${JSON.stringify(stored.rejected).slice(0, 500)}`);
        }
      }
      recorder.metric(projectId, id, 'succeeded');
      health()?.observe(projectId, id, { kind: 'succeeded' });
      const body = run.response.body;
      if (typeof body === 'string') return reply.code(run.response.status).type('text/plain; charset=utf-8').send(body);
      return reply.code(run.response.status).type('application/json').send(JSON.stringify(body ?? null));
    },
  );

  function failed(reply: FastifyReply, projectId: number, id: string, error: string): FastifyReply {
    recorder.metric(projectId, id, 'failed');
    health()?.observe(projectId, id, { kind: 'failed', error });
    return reply.code(500).send(FAILED);
  }
}
