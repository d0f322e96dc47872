import type { NewEvent, Project, Store } from '../store/store.js';
import { decodeBody } from './decode.js';
import { IngestError } from './errors.js';
import type { Rejection } from './event.js';
import type { GroupCommitWriter } from './group-commit.js';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
import { normalizeEvent, readEnvelope } from './normalize.js';

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
}

const TOKEN_CACHE_MS = 30_000;

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

/**
 * The capture use case: decode, authenticate by project token, normalize every event on its own, and store
 * the valid ones through the group-commit writer. A request where no event is valid is refused as a whole;
 * otherwise the valid events are stored and the invalid ones reported.
 */
export class Intake {
  readonly limits: IngestLimits;
  private readonly store: Store;
  private readonly writer: GroupCommitWriter;
  private readonly now: () => number;
  private readonly projects = new Map<string, { project: Project | null; until: number }>();

  constructor(options: IntakeOptions) {
    this.store = options.store;
    this.writer = options.writer;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
  }

  private async projectFor(token: string, nowMs: number): Promise<Project | null> {
    const cached = this.projects.get(token);
    if (cached !== undefined && cached.until > nowMs) return cached.project;
    const project = await this.store.getProjectByToken(token);
    if (this.projects.size > 10_000) this.projects.clear();
    this.projects.set(token, { project, until: nowMs + (project ? TOKEN_CACHE_MS : TOKEN_CACHE_MS / 10) });
    return project;
  }

  async capture(request: CaptureRequest): Promise<CaptureResult> {
    const nowMs = this.now();
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
    const envelope = readEnvelope(body);
    const token = envelope.token ?? request.query.token ?? request.query.api_key ?? bearer(request.authorization);
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
    if (envelope.events.length === 0) {
      throw new IngestError('SLUICE_ERR_INGEST_EMPTY_BATCH', 'the request contains no events');
    }

    const ctx = {
      projectId: project.id,
      nowMs,
      receivedAt: new Date(nowMs).toISOString(),
      sentAt: envelope.sentAt ?? request.query._,
      ip: request.ip,
      lib: parseSdkInfo(request.sdkInfo),
      limits: this.limits,
    };
    const valid: NewEvent[] = [];
    const indexes: number[] = [];
    const rejected: Rejection[] = [];
    envelope.events.forEach((raw, index) => {
      try {
        valid.push(normalizeEvent(raw, ctx));
        indexes.push(index);
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        const rejection: Rejection = { index, code: error.reason, detail: error.message };
        const uuid = (raw as { uuid?: unknown } | null)?.uuid;
        if (typeof uuid === 'string') rejection.uuid = uuid;
        rejected.push(rejection);
      }
    });
    if (valid.length === 0) throw allRejected(rejected);

    await this.writer.write(valid);
    return {
      projectId: project.id,
      accepted: valid.map((e, i) => ({ index: indexes[i]!, uuid: e.uuid })),
      rejected,
    };
  }

  /**
   * Stores events produced inside Sluice for a known project (no token, no body decoding), through the
   * same normalization and group commit as captured ones. Resolves once they are committed.
   */
  async captureInternal(projectId: number, events: InternalEvent[]): Promise<InternalCaptureResult> {
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
        if (!(error instanceof IngestError)) throw error;
        rejected.push({ index, code: error.reason, detail: error.message });
      }
    });
    if (valid.length > 0) await this.writer.write(valid);
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
    default:
      return 'SLUICE_ERR_INGEST_INVALID_EVENT';
  }
}
