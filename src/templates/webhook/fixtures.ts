import type { TemplateFixture } from '../types.js';

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the event and person as JSON by default',
    event: { event: '$pageview', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-000000000001', timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://example.com/' } },
    person: { id: 'p1', properties: { email: 'max@example.com' } },
    inputs: { url: 'https://hooks.example.com/in', body: { name: '{event.event}', email: '{person.properties.email}', url: '{event.properties.$current_url}' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://hooks.example.com/in',
          headers: { 'content-type': 'application/json' },
          body: { name: '$pageview', email: 'max@example.com', url: 'https://example.com/' },
        },
      ],
    },
  },
  {
    name: 'renders the product example sentence',
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
    name: 'fails clearly when the endpoint answers 400',
    event: { event: '$pageview', distinct_id: 'u1' },
    inputs: { url: 'https://hooks.example.com/in' },
    responses: [{ status: 400, body: { error: 'bad' } }],
    expect: { status: 'failed', error: 'failed with status 400', requests: [{ method: 'POST', url: 'https://hooks.example.com/in' }] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { event: '$autocapture', distinct_id: 'u1' },
    inputs: { url: 'https://hooks.example.com/in' },
    expect: { status: 'skipped', requests: [] },
  },
];
