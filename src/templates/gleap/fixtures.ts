import type { TemplateFixture } from '../types.js';

const KEY = 'gleap-api-key-5d4c3b2a';

export const fixtures: TemplateFixture[] = [
  {
    name: 'identifies the contact with the mapped fields',
    event: { event: '$identify', distinct_id: 'user-8' },
    person: { id: 'person-8', properties: { email: 'noor@example.com', name: 'Noor', plan: 'pro' } },
    inputs: { apiKey: KEY },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.gleap.io/admin/identify',
          headers: { 'api-token': KEY, 'content-type': 'application/json' },
          body: { userId: 'person-8', email: 'noor@example.com', name: 'Noor' },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'adds all non-$ person properties when asked',
    event: { event: '$set', distinct_id: 'user-8' },
    person: { id: 'person-8', properties: { email: 'noor@example.com', plan: 'pro', $browser: 'Safari' } },
    inputs: { apiKey: KEY, userId: 'user-8', include_all_properties: true, attributes: { email: '{person.properties.email}', value: 250 } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.gleap.io/admin/identify',
          body: { email: 'noor@example.com', plan: 'pro', userId: 'user-8', value: 250 },
        },
      ],
    },
  },
  {
    name: 'sends nothing when the user id template comes out empty',
    event: { event: '$identify', distinct_id: 'user-8' },
    inputs: { apiKey: KEY, userId: '{person.properties.gleap_id}' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly when Gleap rejects the key',
    event: { event: '$identify', distinct_id: 'user-8' },
    person: { id: 'person-8', properties: {} },
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { message: 'Invalid API token' } }],
    expect: { status: 'failed', error: 'Gleap API error (status 401): Invalid API token', requests: [{ method: 'POST', url: 'https://api.gleap.io/admin/identify' }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for events other than $identify and $set by default',
    event: { event: 'purchase', distinct_id: 'user-8' },
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
