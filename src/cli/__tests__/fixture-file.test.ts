/**
 * The fixtures of a `sluice test` file: built only from checked values, and every malformed field named
 * with its path (hostile values included: wrong types, deep nesting, huge lists).
 */
import { describe, expect, it } from 'vitest';
import { readFixtures } from '../fixture-file.js';

const fixture = {
  name: 'sends the event',
  event: { event: '$pageview', distinct_id: 'u1', properties: { $current_url: 'https://example.com' } },
  person: { id: 'p1', properties: { email: 'a@example.com' } },
  groups: { company: { key: 'acme', index: 0 } },
  inputs: { url: 'https://api.example.com' },
  now: '2026-02-01T00:00:00.000Z',
  maxFetches: 3,
  responses: [{ status: 201, body: { ok: true }, headers: { 'x-id': '7' } }],
  expect: { status: 'succeeded', requests: [{ method: 'POST', url: 'https://api.example.com', headers: { 'content-type': 'application/json' }, body: { a: 1 } }] },
  posthog: true,
  comment: 'a field fixtures do not have',
};

describe('readFixtures', () => {
  it('keeps every field a fixture has, typed, and leaves out the others', () => {
    const read = readFixtures([fixture, { name: 'minimal', event: { event: 'x' }, expect: { requests: [] } }]);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const { comment: _ignored, ...known } = fixture;
    expect(read.fixtures[0]).toEqual(known);
    expect(read.fixtures[1]).toEqual({ name: 'minimal', event: { event: 'x' }, inputs: {}, expect: { requests: [] } });
  });

  it('names every malformed field with its path', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const read = readFixtures([
      'not an object',
      {
        name: '',
        event: { event: 'x', distinct_id: 7, properties: deep },
        person: 'p1',
        groups: { company: { key: 'acme', index: 1.5 } },
        inputs: [],
        now: 'yesterday',
        maxFetches: 0,
        responses: [{ status: '200' }],
        expect: { status: 'done', requests: [{ url: 'https://x' }], error: 5, logsMustNotContain: 'secret' },
      },
      { name: 'no expect', event: { event: 'x' }, expect: { requests: Array.from({ length: 100_000 }, () => ({ method: 'GET', url: 1 })) } },
    ]);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.slice(0, 15)).toEqual([
      'fixtures[0]: must be an object',
      'fixtures[1].name: must be a non-empty string',
      'fixtures[1].event.distinct_id: must be a string',
      'fixtures[1].event.properties: must be an object',
      'fixtures[1].inputs: must be an object',
      'fixtures[1].person: must be null or an object {id?, properties?}',
      'fixtures[1].groups.company: must be an object {key, index, properties?}',
      'fixtures[1].now: must be an ISO-8601 time',
      'fixtures[1].maxFetches: must be a positive integer',
      'fixtures[1].responses: must be a list of {status, body?, headers?}',
      'fixtures[1].expect.requests[0]: must be an object with "method" and "url"',
      'fixtures[1].expect.status: must be succeeded, failed or skipped',
      'fixtures[1].expect.error: must be a string',
      'fixtures[1].expect.logsMustNotContain: must be a list of strings',
      'fixtures[2].expect.requests[0]: must be an object with "method" and "url"',
    ]);
    // The first 20 are named, the rest counted.
    expect(read.problems).toHaveLength(21);
    expect(read.problems[20]).toBe('… and 99994 more problems');
  });

  it('refuses a list that is not one', () => {
    expect(readFixtures({ name: 'x' })).toEqual({ ok: false, problems: ['fixtures: must be a list of fixtures ({name, event, inputs, expect})'] });
  });
});
