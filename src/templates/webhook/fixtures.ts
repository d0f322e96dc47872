import type { TemplateFixture } from '../types.js';

const UUID = '0190a1b2-0000-7000-8000-000000000001';
// The event and person PostHog's own tests use (its `event-name` event, here a $pageview for the default filters).
const phEvent = {
  event: '$pageview',
  distinct_id: 'distinct-id',
  uuid: UUID,
  timestamp: '2024-01-01T00:00:00Z',
  properties: { $lib_version: '1.0.0' },
};
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const defaultHeaders = { 'content-type': 'application/json', accept: 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: posts the event and person to a templated URL with the default headers',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { url: 'https://example.com?v={event.properties.$lib_version}', debug: false },
    responses: [{ status: 200, body: { message: 'Hello, world!' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://example.com?v=1.0.0',
          headers: defaultHeaders,
          body: {
            event: {
              uuid: UUID,
              event: '$pageview',
              name: '$pageview',
              distinct_id: 'distinct-id',
              properties: { $lib_version: '1.0.0' },
              timestamp: '2024-01-01T00:00:00Z',
              elements_chain: '',
              url: `http://localhost:8040/projects/1/events/${UUID}`,
            },
            person: {
              id: 'person-id',
              uuid: 'person-id',
              name: 'example@posthog.com',
              properties: { email: 'example@posthog.com' },
              url: 'http://localhost:8040/projects/1/persons/person-id',
            },
          },
        },
      ],
    },
  },
  ...([
    [302, 'Found'],
    [400, 'Bad Request'],
    [500, 'Internal Server Error'],
  ] as const).map(
    ([status, message]): TemplateFixture => ({
      name: `PostHog: fails on a ${status} answer`,
      posthog: true,
      event: phEvent,
      person: phPerson,
      inputs: { url: 'https://example.com', debug: false },
      responses: [{ status, body: { message } }],
      expect: { status: 'failed', error: `failed with status ${status}`, requests: [{ method: 'POST', url: 'https://example.com', headers: defaultHeaders }] },
    }),
  ),
  {
    name: 'sends a custom body with templates from the event and person',
    event: { event: '$pageview', distinct_id: 'u1', properties: { $current_url: 'https://example.com/' } },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { url: 'https://hooks.example.com/in', body: { name: '{event.event}', email: '{person.properties.email}', url: '{event.properties.$current_url}' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://hooks.example.com/in',
          headers: defaultHeaders,
          body: { name: '$pageview', email: 'max@example.com', url: 'https://example.com/' },
        },
      ],
    },
  },
  {
    name: 'renders the product example sentence with PUT and custom headers',
    event: { event: '$pageview', distinct_id: 'u1' },
    person: { id: 'p1', properties: { first_name: 'Max', last_name: 'the Hedgehog' } },
    inputs: {
      url: 'https://hooks.example.com/in',
      method: 'PUT',
      body: { text: '{event.name} was triggered by {person.properties.first_name} {person.properties.last_name}' },
      headers: { 'Content-Type': 'application/json', 'X-Source': 'sluice' },
    },
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://hooks.example.com/in',
          headers: { 'content-type': 'application/json', 'x-source': 'sluice' },
          body: { text: '$pageview was triggered by Max the Hedgehog' },
        },
      ],
    },
  },
  {
    name: 'sends a GET without a body',
    event: { event: '$pageview', distinct_id: 'u1' },
    inputs: { url: 'https://hooks.example.com/ping?e={event.event}', method: 'GET' },
    expect: { requests: [{ method: 'GET', url: 'https://hooks.example.com/ping?e=$pageview', headers: defaultHeaders }] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { event: '$autocapture', distinct_id: 'u1' },
    inputs: { url: 'https://hooks.example.com/in' },
    expect: { status: 'skipped', requests: [] },
  },
];
