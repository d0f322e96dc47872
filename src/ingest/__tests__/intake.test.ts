import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { GroupCommitWriter } from '../group-commit.js';
import { Intake, type CaptureRequest } from '../intake.js';
import type { IngestLimits } from '../limits.js';

const TOKEN = 'phc_intake_unit';

describe('intake', () => {
  let store: SqliteStore;
  let writer: GroupCommitWriter;
  /** Tokens the store was asked about, in order. */
  let lookups: string[];

  beforeEach(async () => {
    store = new SqliteStore({ filename: ':memory:' });
    await store.createProject({ name: 'unit', apiToken: TOKEN });
    writer = new GroupCommitWriter(store);
    lookups = [];
    const lookUp = store.getProjectByToken.bind(store);
    store.getProjectByToken = (token: string) => {
      lookups.push(token);
      return lookUp(token);
    };
  });
  afterEach(async () => {
    await writer.close();
    await store.close();
  });

  const intakeWith = (limits: Partial<IngestLimits> = {}) => new Intake({ store, writer, limits });
  const request = (body: unknown, query: Record<string, string> = {}): CaptureRequest => ({
    body: Buffer.from(JSON.stringify(body)),
    contentType: 'application/json',
    query,
  });

  it('turns an unexpected exception in one event into that event alone being rejected', async () => {
    // With the depth cap lifted, JSON.stringify of the deep event throws a RangeError, which no check
    // anticipates: the event is rejected with the reason and its neighbour is stored.
    const intake = intakeWith({ maxEventDepth: 10_000_000 });
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const body = `{"api_key": "${TOKEN}", "batch": [{"event": "deep", "distinct_id": "a", "properties": {"deep": ${deep}}}, {"event": "fine", "distinct_id": "b"}]}`;
    const result = await intake.capture({ body: Buffer.from(body), contentType: 'application/json', query: {} });
    expect(result.accepted.map((a) => a.index)).toEqual([1]);
    expect(result.rejected).toEqual([{ index: 0, code: 'invalid_event', detail: expect.stringMatching(/^event could not be processed: .*call stack/) }]);
  });

  it('asks the store once about an unknown token sent by many requests at once', async () => {
    const intake = intakeWith();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => intake.capture(request({ api_key: 'phc_unknown', event: 'x', distinct_id: 'a' }))),
    );
    expect(outcomes.every((o) => o.status === 'rejected' && /no project has this token/.test(String(o.reason)))).toBe(true);
    expect(lookups.filter((t) => t === 'phc_unknown')).toHaveLength(1);
  });

  it('keeps a known token cached through a flood of unknown ones', async () => {
    const intake = intakeWith();
    await intake.capture(request({ api_key: TOKEN, event: 'x', distinct_id: 'a' }));
    for (let i = 0; i < 10_050; i++) {
      await intake.capture(request({ event: 'x', distinct_id: 'a' }, { token: `phc_bad_${i}` })).catch(() => undefined);
    }
    await intake.capture(request({ api_key: TOKEN, event: 'x', distinct_id: 'a' }));
    expect(lookups.filter((t) => t === TOKEN)).toHaveLength(1);
  });
});
