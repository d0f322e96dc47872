import { setImmediate } from 'node:timers/promises';
import type { NewEvent, Project, Store } from '../store/store.js';
import { decodeBody } from './decode.js';
import { DecodeGate } from './decode-gate.js';
import { IngestError } from './errors.js';
import type { Rejection } from './event.js';
import type { GroupCommitWriter } from './group-commit.js';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
import { eventToken, normalizeEvent, readEnvelope, type Envelope } from './normalize.js';

/** One capture request, stripped of HTTP framework types. */
export interface CaptureRequest {
  body: Buffer;
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
  query: Record<string, string | undefined>;
  /** The `Authorization` header (capture v1 sends `Bearer <project token>`). */
  authorization?: string | undefined;
  /** v1's `PostHog-Sdk-Info` header, `posthog-node/5.70.0`. */
  sdkInfo?: string | undefined;
  ip?: string | undefined;
  /** A body format other than PostHog's (the Segment spec), translated event by event; PostHog's when absent. */
  format?: CaptureFormat | undefined;
  /** The route pattern the request came in on (`/batch`, `/v1/track`), for the metrics; never the raw URL. */
  endpoint?: string | undefined;
}

/** Counts what capture stored (`accepted`) and refused event by event (`rejected`), per endpoint. */
export type CaptureObserver = (endpoint: string, accepted: number, rejected: number) => void;

/** Reads a foreign body format and turns its events into PostHog-shaped raw events, before normalization. */
export interface CaptureFormat {
  /** The events, token and `sent_at` of a decoded body; throws {@link IngestError} for a malformed one. */
  readEnvelope(body: unknown): Envelope;
  /** One event in PostHog's raw shape; throws {@link IngestError} to reject this event alone. */
  translate(raw: unknown): unknown;
}

export interface CaptureResult {
  projectId: number;
  /** Events stored now or already stored by an earlier attempt of the same request. */
  accepted: { index: number; uuid: string }[];
  rejected: Rejection[];
}

export interface IntakeOptions {
  store: Store;
  writer: GroupCommitWriter;
  limits?: Partial<IngestLimits>;
  now?: () => number;
  /** Told after every capture (the Prometheus metrics). */
  observer?: CaptureObserver;
}

/** How long a token's project is remembered. */
const KNOWN_TOKEN_CACHE_MS = 30_000;
/** How long an unknown token is remembered as unknown: a flood of one bad token costs one lookup per period. */
const UNKNOWN_TOKEN_CACHE_MS = 3_000;
/** Events normalized in one turn of the event loop. */
const EVENTS_PER_TURN = 1_000;
/** Tokens remembered of each kind; past it the oldest entry goes, so bad tokens never evict good ones. */
const TOKEN_CACHE_ENTRIES = 10_000;

function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function parseSdkInfo(value: string | undefined): { name: string; version: string } | undefined {
  if (value === undefined) return undefined;
  const slash = value.lastIndexOf('/');
  if (slash <= 0) return { name: value, version: '' };
  return { name: value.slice(0, slash), version: value.slice(slash + 1) };
}

/** The parts of a capture request that can carry the token without decoding the body. */
export type OuterCredentials = Pick<CaptureRequest, 'query' | 'authorization'>;

/** The project token given in the URL (`?token=`, `?api_key=`) or `Authorization: Bearer`, if any. */
export function tokenOutsideBody(request: OuterCredentials): string | undefined {
  return request.query.token || request.query.api_key || bearer(request.authorization);
}

function remember<V>(cache: Map<string, { value: V; until: number }>, key: string, value: V, until: number): void {
  cache.delete(key);
  if (cache.size >= TOKEN_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { value, until });
}

function uuidOf(raw: unknown): string | undefined {
  const uuid = typeof raw === 'object' && raw !== null ? (raw as { uuid?: unknown }).uuid : undefined;
  return typeof uuid === 'string' ? uuid : undefined;
}

/** Why one event failed, as reported in `rejected`: our own reason, or a generic one for a surprise. */
function rejectionFor(index: number, raw: unknown, error: unknown): Rejection {
  const rejection: Rejection =
    error instanceof IngestError
      ? { index, code: error.reason, detail: error.message }
      : { index, code: 'invalid_event', detail: `event could not be processed: ${error instanceof Error ? error.message : String(error)}` };
  const uuid = uuidOf(raw);
  if (uuid !== undefined) rejection.uuid = uuid;
  return rejection;
}

/** Events of a batch that name a project token other than the request's. */
function mismatchedTokens(events: unknown[], token: string): { index: number; token: string }[] {
  const found: { index: number; token: string }[] = [];
  events.forEach((raw, index) => {
    const own = eventToken(raw);
    if (own !== undefined && own !== token) found.push({ index, token: own });
  });
  return found;
}

function refuseMixedTokens(events: unknown[], token: string, outer: string | undefined): void {
  if (outer !== undefined && outer !== token) {
    throw new IngestError(
      'SLUICE_ERR_INGEST_MIXED_TOKENS',
      `the body names project token "${token}" but the URL or Authorization header names "${outer}"; send one token per request`,
    );
  }
  const mismatched = mismatchedTokens(events, token);
  if (mismatched.length === 0) return;
  const listed = mismatched
    .slice(0, 3)
    .map((m) => `event ${m.index} carries "${m.token}"`)
    .join(', ');
  throw new IngestError(
    'SLUICE_ERR_INGEST_MIXED_TOKENS',
    `every event of a request must belong to the request's project token "${token}": ${listed}${mismatched.length > 3 ? `, and ${mismatched.length - 3} more` : ''}`,
    { mismatched },
  );
}

/** A request decoded and checked, its valid events ready to store. */
interface Checked {
  project: Project;
  valid: NewEvent[];
  indexes: number[];
  rejected: Rejection[];
}

/**
 * The capture use case: authenticate by project token, decode, normalize every event on its own, and store
 * the valid ones through the group-commit writer. A request where no event is valid is refused as a whole;
 * otherwise the valid events are stored and the invalid ones reported.
 *
 * Work an anonymous client can cause is bounded: a token outside the body is checked before the body is
 * decoded, decoding runs in a few slots at a time (the rest wait briefly, then get 503), and tokens are
 * cached, known and unknown alike, so a flood of bad tokens does not reach the store per request.
 */
export class Intake {
  readonly limits: IngestLimits;
  private readonly store: Store;
  private readonly writer: GroupCommitWriter;
  private readonly now: () => number;
  private readonly gate: DecodeGate;
  private readonly observer: CaptureObserver | null;
  private readonly known = new Map<string, { value: Project; until: number }>();
  private readonly unknown = new Map<string, { value: null; until: number }>();
  /** Lookups in flight, shared by concurrent requests for the same token. */
  private readonly lookups = new Map<string, Promise<Project | null>>();

  constructor(options: IntakeOptions) {
    this.store = options.store;
    this.writer = options.writer;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.observer = options.observer ?? null;
    this.gate = new DecodeGate({
      slots: this.limits.maxConcurrentDecodes,
      maxQueued: this.limits.maxQueuedDecodes,
      maxWaitMs: this.limits.maxDecodeWaitMs,
    });
  }

  /** Decodes running and waiting right now. */
  get decodeLoad(): { running: number; queued: number } {
    return this.gate.load;
  }

  private projectFor(token: string, nowMs: number): Promise<Project | null> {
    const cached = this.known.get(token) ?? this.unknown.get(token);
    if (cached !== undefined && cached.until > nowMs) return Promise.resolve(cached.value);
    let lookup = this.lookups.get(token);
    if (lookup === undefined) {
      lookup = this.lookUp(token, nowMs);
      this.lookups.set(token, lookup);
    }
    return lookup;
  }

  private async lookUp(token: string, nowMs: number): Promise<Project | null> {
    try {
      const project = await this.store.getProjectByToken(token);
      if (project === null) remember(this.unknown, token, null, nowMs + UNKNOWN_TOKEN_CACHE_MS);
      else remember(this.known, token, project, nowMs + KNOWN_TOKEN_CACHE_MS);
      return project;
    } finally {
      this.lookups.delete(token);
    }
  }

  private async requireProject(token: string | undefined, nowMs: number): Promise<Project> {
    if (token === undefined) {
      throw new IngestError(
        'SLUICE_ERR_INGEST_NO_TOKEN',
        'no project token: send it as "api_key" or "token" in the body, ?token= in the URL, or Authorization: Bearer',
      );
    }
    const project = await this.projectFor(token, nowMs);
    if (project === null) {
      throw new IngestError('SLUICE_ERR_INGEST_INVALID_TOKEN', 'project token is not valid: no project has this token');
    }
    return project;
  }

  /**
   * Refuses a request whose URL or `Authorization` header names an unknown token, before its body is read
   * or decoded. A request without such a token passes: its token is in the body.
   */
  async checkTokenOutsideBody(request: OuterCredentials): Promise<void> {
    const token = tokenOutsideBody(request);
    if (token !== undefined) await this.requireProject(token, this.now());
  }

  async capture(request: CaptureRequest): Promise<CaptureResult> {
    const nowMs = this.now();
    await this.checkTokenOutsideBody(request);
    const checked = await this.gate.run(() => this.decodeAndCheck(request, nowMs));
    if (checked.valid.length === 0) {
      this.observer?.(request.endpoint ?? 'unknown', 0, checked.rejected.length);
      throw allRejected(checked.rejected);
    }
    await this.writer.write(checked.valid);
    this.observer?.(request.endpoint ?? 'unknown', checked.valid.length, checked.rejected.length);
    return {
      projectId: checked.project.id,
      accepted: checked.valid.map((e, i) => ({ index: checked.indexes[i]!, uuid: e.uuid })),
      rejected: checked.rejected,
    };
  }

  /** Everything whose cost grows with what the client sent: decoding, the token, each event's checks. */
  private async decodeAndCheck(request: CaptureRequest, nowMs: number): Promise<Checked> {
    const body = await decodeBody(
      {
        body: request.body,
        contentType: request.contentType,
        contentEncoding: request.contentEncoding,
        compression: request.query.compression,
        queryData: request.query.data,
      },
      this.limits,
    );
    const format = request.format;
    const envelope = format ? format.readEnvelope(body) : readEnvelope(body);
    const outer = tokenOutsideBody(request);
    const token = envelope.token ?? outer;
    const project = await this.requireProject(token, nowMs);
    if (envelope.events.length === 0) {
      throw new IngestError('SLUICE_ERR_INGEST_EMPTY_BATCH', 'the request contains no events');
    }
    if (envelope.events.length > this.limits.maxEventsPerRequest) {
      throw new IngestError(
        'SLUICE_ERR_INGEST_TOO_MANY_EVENTS',
        `the request has ${envelope.events.length} events; at most ${this.limits.maxEventsPerRequest} are taken in one request`,
      );
    }
    // A foreign format reconciles its own credentials; its events' properties are user data, not tokens.
    if (format === undefined) refuseMixedTokens(envelope.events, project.apiToken, outer);

    const ctx = {
      projectId: project.id,
      nowMs,
      receivedAt: new Date(nowMs).toISOString(),
      sentAt: envelope.sentAt ?? request.query._,
      ip: request.ip,
      lib: parseSdkInfo(request.sdkInfo),
      limits: this.limits,
    };
    const checked: Checked = { project, valid: [], indexes: [], rejected: [] };
    for (let index = 0; index < envelope.events.length; index++) {
      // A large batch lets other requests and `/_health` in between its events.
      if (index > 0 && index % EVENTS_PER_TURN === 0) await setImmediate();
      const raw = envelope.events[index];
      // One event's failure, expected or not, is that event's alone: its neighbours are still stored.
      try {
        checked.valid.push(normalizeEvent(format ? format.translate(raw) : raw, ctx));
        checked.indexes.push(index);
      } catch (error) {
        checked.rejected.push(rejectionFor(index, raw, error));
      }
    }
    return checked;
  }

  /**
   * Stores events produced inside Sluice for a known project (no token, no body decoding), through the
   * same normalization and group commit as captured ones. Resolves once they are committed. `endpoint`
   * labels them in the metrics (a webhook source's route; `internal` for `postHogCapture` and health events).
   */
  async captureInternal(projectId: number, events: InternalEvent[], endpoint = 'internal'): Promise<InternalCaptureResult> {
    const nowMs = this.now();
    const ctx = {
      projectId,
      nowMs,
      receivedAt: new Date(nowMs).toISOString(),
      sentAt: undefined,
      ip: undefined,
      lib: undefined,
      limits: this.limits,
    };
    const valid: NewEvent[] = [];
    const rejected: Rejection[] = [];
    events.forEach((raw, index) => {
      try {
        valid.push(normalizeEvent({ event: raw.event, distinct_id: raw.distinct_id, properties: { ...raw.properties } }, ctx));
      } catch (error) {
        rejected.push(rejectionFor(index, undefined, error));
      }
    });
    if (valid.length > 0) await this.writer.write(valid);
    this.observer?.(endpoint, valid.length, rejected.length);
    return { accepted: valid.length, rejected };
  }
}

/** An event emitted inside Sluice (a destination's `postHogCapture`), already tied to its project. */
export interface InternalEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

export interface InternalCaptureResult {
  accepted: number;
  rejected: Rejection[];
}

function allRejected(rejected: Rejection[]): IngestError {
  if (rejected.length === 1) {
    const only = rejected[0]!;
    const code = codeForReason(only.code);
    return new IngestError(code, only.detail, { rejected });
  }
  const reasons = new Set(rejected.map((r) => r.code));
  const code = reasons.size === 1 ? codeForReason(rejected[0]!.code) : 'SLUICE_ERR_INGEST_ALL_EVENTS_REJECTED';
  const first = rejected
    .slice(0, 3)
    .map((r) => `event ${r.index}: ${r.detail}`)
    .join('; ');
  return new IngestError(code, `all ${rejected.length} events were rejected (${first}${rejected.length > 3 ? '; …' : ''})`, { rejected });
}

function codeForReason(reason: string): IngestError['code'] {
  switch (reason) {
    case 'missing_event_name':
      return 'SLUICE_ERR_INGEST_MISSING_EVENT_NAME';
    case 'missing_distinct_id':
      return 'SLUICE_ERR_INGEST_MISSING_DISTINCT_ID';
    case 'event_too_large':
      return 'SLUICE_ERR_INGEST_EVENT_TOO_LARGE';
    case 'invalid_uuid':
      return 'SLUICE_ERR_INGEST_INVALID_UUID';
    case 'event_too_deep':
      return 'SLUICE_ERR_INGEST_EVENT_TOO_DEEP';
    default:
      return 'SLUICE_ERR_INGEST_INVALID_EVENT';
  }
}
