import type { SourceFixture } from '../types.js';

export const fixtures: SourceFixture[] = [
  {
    name: 'maps the body fields to an event',
    inputs: {},
    request: {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'order placed', distinct_id: 'user-7', properties: { total: 42.5, currency: 'EUR' } }),
    },
    expect: {
      status: 200,
      body: { status: 'ok' },
      events: [{ event: 'order placed', distinct_id: 'user-7', properties: { total: 42.5, currency: 'EUR' } }],
    },
  },
  {
    name: 'refuses a request without the configured Authorization header',
    inputs: { auth_header: 'Bearer s3cret-token' },
    request: { headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: '{"event":"x","distinct_id":"u"}' },
    expect: { status: 401, body: { error: 'unauthorized' }, events: [] },
  },
  {
    name: 'answers 400 when the body has no event name',
    inputs: {},
    request: { headers: { 'content-type': 'application/json' }, body: '{"distinct_id":"u"}' },
    expect: { status: 400, body: { error: 'the event name is missing from the request' }, events: [] },
  },
];
