import { describe, expect, it } from 'vitest';
import { compileProgramSource } from '../../hog/index.js';
import { validateDestination } from '../../destinations/validation.js';
import { initialHealth, observe, type HealthRecord } from '../../runtime/health.js';
import type { Event } from '../../store/store.js';
import { compileTransformationChain, type ChainResult } from '../chain.js';
import { transformationFunctionOf, type TransformationFunction } from '../functions.js';
import { recordChainResult } from '../record.js';

const CONTEXT = { project: { id: 7, name: 'Shop' } };

let counter = 0;

/** A transformation saved through the same validation as the API. */
function transformation(hog: string, extra: Record<string, unknown> = {}): TransformationFunction {
  counter++;
  const validated = validateDestination({ type: 'transformation', name: `T${counter}`, hog, ...extra }, { newId: () => `t-${counter}` });
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return transformationFunctionOf(validated.destination);
}

function event(properties: Record<string, unknown> = {}, overrides: Partial<Event> = {}): Event {
  return {
    uuid: '01900000-0000-7000-8000-000000000001',
    event: '$pageview',
    distinct_id: 'user-1',
    properties,
    timestamp: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const results = (r: ChainResult<Event>) => r.outcomes.map((o) => o.result);

describe('transformation chain: order', () => {
  it('runs in execution_order, so two transformations in both orders give different events', () => {
    const double = (order: number) => transformation("let e := event\ne.properties.x := event.properties.x * 2\nreturn e", { execution_order: order });
    const addOne = (order: number) => transformation("let e := event\ne.properties.x := event.properties.x + 1\nreturn e", { execution_order: order });
    const doubleFirst = compileTransformationChain([addOne(1), double(0)]);
    const addFirst = compileTransformationChain([double(1), addOne(0)]);
    expect(doubleFirst.apply(event({ x: 5 }), CONTEXT).event?.properties.x).toBe(11);
    expect(addFirst.apply(event({ x: 5 }), CONTEXT).event?.properties.x).toBe(12);
  });

  it('puts functions without an execution_order last, ties in creation order', () => {
    const a = { ...transformation("return event"), executionOrder: null, createdAt: '2026-01-01T00:00:00Z' };
    const b = { ...transformation("return event"), executionOrder: 3, createdAt: '2026-01-03T00:00:00Z' };
    const c = { ...transformation("return event"), executionOrder: 3, createdAt: '2026-01-02T00:00:00Z' };
    expect(compileTransformationChain([a, b, c]).ids).toEqual([c.id, b.id, a.id]);
  });
});

describe('transformation chain: results', () => {
  it('returns the very same event object when nothing changed', () => {
    const input = event({ a: 1 });
    const result = compileTransformationChain([transformation('return event')]).apply(input, CONTEXT);
    expect(result.event).toBe(input);
    expect(results(result)).toEqual(['unchanged']);
    expect(result.metrics.map((m) => m.name)).toEqual(['unchanged', 'duration_us']);
  });

  it('takes a new dict as the event, keeping identity fields it leaves out and the caller\'s own fields', () => {
    const input = { ...event({ a: 1 }), seq: 42, propertiesJson: '{"a":1}' };
    const chain = compileTransformationChain([transformation("return {'event': 'renamed', 'properties': {'b': 2}}")]);
    const result = chain.apply(input, CONTEXT);
    expect(result.event).toEqual({ ...input, event: 'renamed', properties: { b: 2 }, propertiesJson: '{"b":2}' });
    expect(results(result)).toEqual(['transformed']);
  });

  it('reads a changed `name` as the event name when `event` was left alone', () => {
    const result = compileTransformationChain([transformation("let e := event\ne.name := 'other'\nreturn e")]).apply(event(), CONTEXT);
    expect(result.event?.event).toBe('other');
  });

  it('drops the event on return null, and the later transformations do not run', () => {
    const chain = compileTransformationChain([
      transformation("if (event.properties.bot) { return null }\nreturn event", { execution_order: 0 }),
      transformation("let e := event\ne.properties.seen := true\nreturn e", { execution_order: 1 }),
    ]);
    const dropped = chain.apply(event({ bot: true }), CONTEXT);
    expect(dropped.event).toBeNull();
    expect(results(dropped)).toEqual(['dropped']);
    expect(dropped.metrics.find((m) => m.name === 'dropped')?.count).toBe(1);
    const kept = chain.apply(event({ bot: false }), CONTEXT);
    expect(kept.event?.properties).toEqual({ bot: false, seen: true });
  });

  it('skips events its filters do not match', () => {
    const chain = compileTransformationChain([
      transformation("let e := event\ne.properties.tagged := true\nreturn e", { filters: { events: [{ id: 'purchase', type: 'events' }] } }),
    ]);
    expect(results(chain.apply(event(), CONTEXT))).toEqual(['skipped_by_filter']);
    expect(chain.apply(event(), CONTEXT).metrics.map((m) => m.name)).toEqual(['filtered', 'duration_us']);
    expect(chain.apply(event({}, { event: 'purchase' }), CONTEXT).event?.properties.tagged).toBe(true);
  });

  it('skips a transformation the health watcher disabled', () => {
    const t = transformation("let e := event\ne.properties.x := 1\nreturn e");
    const result = compileTransformationChain([t]).apply(event(), { ...CONTEXT, isDisabled: (id) => id === t.id });
    expect(results(result)).toEqual(['skipped_disabled']);
    expect(result.metrics).toEqual([]);
  });

  it('sees the destination globals: event, project, source, inputs, and no person before person processing', () => {
    const t = transformation(
      "let e := event\ne.properties.seen := [event.uuid, event.distinct_id, project.id, project.name, source.name, inputs.greeting, person]\nreturn e",
      { inputs_schema: [{ key: 'greeting', type: 'string' }], inputs: { greeting: { value: 'hi {event.properties.who}' } } },
    );
    const result = compileTransformationChain([t]).apply(event({ who: 'Ann' }), CONTEXT);
    expect(result.event?.properties.seen).toEqual(['01900000-0000-7000-8000-000000000001', 'user-1', 7, 'Shop', t.name, 'hi Ann', null]);
  });
});

describe('transformation chain: failures pass the event through unchanged', () => {
  function failsThenCounts(hog: string) {
    const chain = compileTransformationChain([
      transformation(hog, { execution_order: 0 }),
      transformation("let e := event\ne.properties.after := true\nreturn e", { execution_order: 1 }),
    ]);
    return chain.apply(event({ a: 1 }), CONTEXT);
  }

  it.each([
    ['a thrown error', "throw Error('boom')", 'boom'],
    ['a runtime error', "let x := event.properties.a.b.c()\nreturn event", ''],
    ['a string instead of the event', "return 'nope'", 'the code returned the string "nope"'],
    ['a list', 'return [event]', 'returned a list'],
    ['properties that are not a dict', "return {'event': 'x', 'properties': 'flat'}", 'properties must be a dict'],
    ['an empty event name', "let e := event\ne.event := ''\nreturn e", 'event must be a non-empty string'],
    ['no return at all', 'let e := event\ne.properties.x := 1', 'ended without a return'],
    ['a return only on some paths', "if (event.properties.a == 2) { return null }", 'ended without a return'],
    ['a call to fetch', "fetch('https://example.com')\nreturn event", 'fetch() is not available in transformations'],
    ['sleep', 'sleep(1)\nreturn event', 'sleep() is not available in transformations'],
  ])('%s', (_name, hog, message) => {
    const raw = compileProgramSource(hog);
    const t: TransformationFunction = { ...transformation('return event', { execution_order: 0 }), bytecode: raw.bytecode, lines: raw.lines };
    const chain = compileTransformationChain([t, transformation("let e := event\ne.properties.after := true\nreturn e", { execution_order: 5 })]);
    const result = chain.apply(event({ a: 1 }), CONTEXT);
    expect(result.outcomes[0]).toMatchObject({ result: 'failed' });
    expect(result.outcomes[0]!.error).toContain(message);
    expect(result.event?.properties).toEqual({ a: 1, after: true });
    expect(result.metrics.filter((m) => m.destinationId === t.id).map((m) => m.name)).toEqual(['failed', 'duration_us']);
    expect(result.observations.find((o) => o.destinationId === t.id)?.observation).toMatchObject({ kind: 'failed' });
    expect(result.logs.some((l) => l.destinationId === t.id && l.level === 'error' && l.message.includes('passes on unchanged'))).toBe(true);
  });

  it('refuses fetch and postHogCapture when the transformation is saved, naming the line', () => {
    const fetchCall = validateDestination({ type: 'transformation', name: 'x', hog: "let a := 1\nfetch('https://example.com')\nreturn event" });
    expect(fetchCall).toMatchObject({ ok: false, errors: [{ path: 'hog', line: 2, message: expect.stringContaining('fetch() is not available in transformations') }] });
    const capture = validateDestination({ type: 'transformation', name: 'x', hog: "postHogCapture({'event': 'x'})\nreturn event" });
    expect(capture).toMatchObject({ ok: false, errors: [{ path: 'hog', message: expect.stringContaining('postHogCapture() is not available') }] });
    const masking = validateDestination({ type: 'transformation', name: 'x', hog: 'return event', masking: { ttl: 60, hash: '{event.uuid}' } });
    expect(masking).toMatchObject({ ok: false, errors: [{ path: 'masking' }] });
  });

  it('keeps a changed event that would not pass capture out: too deep, too large, or with U+0000', () => {
    const deep = transformation("let e := event\nlet d := {}\nfor (let i := 0; i < 80; i := i + 1) { d := {'a': d} }\ne.properties.deep := d\nreturn e");
    const big = transformation("let e := event\nlet s := 'xxxxxxxxxx'\nfor (let i := 0; i < 8; i := i + 1) { s := concat(s, s) }\ne.properties.big := s\nreturn e");
    const nul = transformation("let e := event\ne.properties.bad := jsonParse('\"a\\\\u0000b\"')\nreturn e");
    const chain = compileTransformationChain([deep, big, nul], { limits: { maxEventBytes: 1000 } });
    const result = chain.apply(event({ a: 1 }), CONTEXT);
    expect(result.event?.properties).toEqual({ a: 1 });
    expect(result.outcomes.map((o) => o.error)).toEqual([
      expect.stringContaining('nested deeper than 64 levels (at properties.deep.a.a.a.a…)'),
      expect.stringContaining('larger than 1000 bytes'),
      expect.stringContaining('U+0000'),
    ]);
  });

  it('redacts secret inputs from its logs and errors', () => {
    const t = transformation("print('salt is', inputs.salt)\nthrow Error(f'bad {inputs.salt}')", {
      inputs_schema: [{ key: 'salt', type: 'string', secret: true }],
      inputs: { salt: { value: 'pepper-123' } },
    });
    const result = compileTransformationChain([t]).apply(event(), CONTEXT);
    expect(JSON.stringify(result.logs)).not.toContain('pepper-123');
    expect(result.outcomes[0]!.error).not.toContain('pepper-123');
    expect(result.logs[0]).toMatchObject({ level: 'info', projectId: 7, destinationId: t.id, invocationId: event().uuid });
  });

  it('keeps at most the print line limit per event', () => {
    const t = transformation("for (let i := 0; i < 50; i := i + 1) { print(i) }\nreturn event");
    const logs = compileTransformationChain([t], { limits: { maxLogLines: 3 } }).apply(event(), CONTEXT).logs;
    expect(logs.map((l) => l.message)).toEqual(['0', '1', '2', 'More than 3 print lines on this event: the rest are not kept.']);
  });
});

describe('transformation chain: identity fields', () => {
  it.each([
    ['distinct_id', "let e := event\ne.distinct_id := 'someone-else'"],
    ['uuid', "let e := event\ne.uuid := '01900000-0000-7000-8000-0000000000ff'"],
    ['timestamp', "let e := event\ne.timestamp := '2020-01-01T00:00:00Z'"],
  ])('refuses a change of %s without allow_identity_changes', (field, change) => {
    const result = compileTransformationChain([transformation(`${change}\nreturn e`)]).apply(event(), CONTEXT);
    expect(result.outcomes[0]).toMatchObject({ result: 'failed', error: expect.stringContaining(`changed ${field}`) });
    expect(result.event).toEqual(event());
  });

  it('accepts valid changes with allow_identity_changes, normalizing the timestamp', () => {
    const t = transformation(
      "let e := event\ne.distinct_id := 'merged'\ne.uuid := '01900000-0000-7000-8000-0000000000FF'\ne.timestamp := '2020-01-01T01:00:00+01:00'\nreturn e",
      { allow_identity_changes: true },
    );
    const result = compileTransformationChain([t]).apply(event(), CONTEXT);
    expect(result.event).toMatchObject({ distinct_id: 'merged', uuid: '01900000-0000-7000-8000-0000000000ff', timestamp: '2020-01-01T00:00:00.000Z' });
  });

  it('refuses invalid identity values even when allowed', () => {
    const t = transformation("let e := event\ne.uuid := 'not-a-uuid'\nreturn e", { allow_identity_changes: true });
    expect(compileTransformationChain([t]).apply(event(), CONTEXT).outcomes[0]).toMatchObject({ result: 'failed', error: expect.stringContaining('uuid must be a UUID') });
    expect(validateDestination({ type: 'destination', name: 'd', hog: 'return 1', allow_identity_changes: true })).toMatchObject({ ok: false, errors: [{ path: 'allow_identity_changes' }] });
  });
});

describe('transformation chain: hostile code fails only that transformation, on that event', () => {
  /** Misbehaves only on events with `properties.attack`, then a well-behaved transformation runs. */
  function hostile(attack: string) {
    return compileTransformationChain([
      transformation(`let e := event\nif (event.properties.attack) {\n${attack}\n}\ne.properties.first := true\nreturn e`, { execution_order: 0 }),
      transformation("let e := event\ne.properties.second := true\nreturn e", { execution_order: 1 }),
    ]);
  }

  it.each([
    ['an endless loop', 'while (true) { let a := 1 }', 'time limit of 50 ms per event'],
    ['a memory bomb', "let s := 'x'\nwhile (true) { s := concat(s, s) }", 'memory limit of 8 MiB'],
    ['a shared-reference bomb', "let a := [1]\nfor (let i := 0; i < 60; i := i + 1) { a := [a, a] }\ne.properties.a := a", 'limit'],
    ['deep recursion', 'fn f(n) { return f(n + 1) }\nf(0)', 'limit'],
    ['a deeply nested result', "let d := {}\nfor (let i := 0; i < 20000; i := i + 1) { d := {'a': d} }\nreturn {'event': 'x', 'properties': d}", ''],
  ])('%s', (_name, attack, message) => {
    const chain = hostile(attack);
    const attacked = chain.apply(event({ attack: true }), CONTEXT);
    expect(attacked.outcomes.map((o) => o.result)).toEqual(['failed', 'transformed']);
    expect(attacked.outcomes[0]!.error).toContain(message);
    expect(attacked.event?.properties).toEqual({ attack: true, second: true });
    // The next event through the same chain is not affected.
    const next = chain.apply(event({ attack: false }), CONTEXT);
    expect(next.outcomes.map((o) => o.result)).toEqual(['transformed', 'transformed']);
    expect(next.event?.properties).toEqual({ attack: false, first: true, second: true });
  });

  it('runs under the 5 ms limit once past its first (warm-up) events', () => {
    const chain = hostile('while (true) { let a := 1 }');
    for (let i = 0; i < 3; i++) chain.apply(event({ attack: false }), CONTEXT);
    const attacked = chain.apply(event({ attack: true }), CONTEXT);
    expect(attacked.outcomes[0]!.error).toContain('time limit of 5 ms per event');
    expect(attacked.outcomes[0]!.durationMs).toBeLessThan(1000);
  });

  it('fails a transformation whose secret does not decrypt on every event, and runs the others', () => {
    const broken = { ...transformation('return null', { execution_order: 0 }), brokenReason: 'a secret input could not be decrypted: bad key' };
    const chain = compileTransformationChain([broken, transformation("let e := event\ne.properties.ok := 1\nreturn e", { execution_order: 1 })]);
    const result = chain.apply(event(), CONTEXT);
    expect(result.outcomes[0]).toMatchObject({ result: 'failed', error: 'a secret input could not be decrypted: bad key' });
    expect(result.event?.properties).toEqual({ ok: 1 });
  });
});

describe('transformation chain: records for the runtime', () => {
  it('feeds the health watcher enough to disable a transformation that fails on most events', () => {
    const failing = transformation("if (event.properties.n % 10 != 0) { throw Error('bad') }\nreturn event");
    const chain = compileTransformationChain([failing]);
    let record: HealthRecord = initialHealth(0);
    let disabledAt = -1;
    for (let n = 0; n < 1000 && disabledAt < 0; n++) {
      for (const o of chain.apply(event({ n }), CONTEXT).observations) {
        record = observe(record, o.observation, n * 10).record;
      }
      if (record.state === 'disabled_temporarily') disabledAt = n;
    }
    expect(disabledAt).toBeGreaterThan(0);
    expect(record.reason).toContain('bad');
  });

  it('hands metrics, observations and log lines to the recorder as they are', () => {
    const calls: unknown[][] = [];
    const recorder = {
      metric: (...args: unknown[]) => void calls.push(['metric', ...args]),
      observe: (...args: unknown[]) => void calls.push(['observe', ...args]),
      logSteps: (...args: unknown[]) => void calls.push(['log', ...args]),
    };
    const t = transformation("print('hello')\nreturn null");
    recordChainResult(recorder, compileTransformationChain([t], { now: () => Date.parse('2026-02-01T00:00:00Z') }).apply(event(), CONTEXT));
    expect(calls).toEqual([
      ['metric', 7, t.id, 'dropped', 1],
      ['metric', 7, t.id, 'duration_us', expect.any(Number)],
      ['observe', 7, t.id, expect.objectContaining({ kind: 'hog' })],
      ['log', 7, t.id, event().uuid, [{ timestamp: '2026-02-01T00:00:00.000Z', level: 'info', message: 'hello' }]],
    ]);
  });
});
