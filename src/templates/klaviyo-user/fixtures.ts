import type { TemplateFixture } from '../types.js';

const KEY = 'pk_secret_klaviyo_key';
const headers = {
  authorization: `Klaviyo-API-Key ${KEY}`,
  revision: '2026-01-15',
  accept: 'application/vnd.api+json',
  'content-type': 'application/vnd.api+json',
};
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', plan: 'pro' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'imports the profile with its custom properties',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY, external_id: '{event.distinct_id}' },
    responses: [{ status: 201, body: { data: { type: 'profile', id: '01J' } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://a.klaviyo.com/api/profile-import',
          headers,
          body: {
            data: {
              type: 'profile',
              attributes: { email: 'max@example.com', external_id: 'user-42', first_name: 'Max', last_name: 'Hedgehog', properties: { plan: 'pro' } },
            },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'imports a phone-only profile',
    event: { event: '$set', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { phone: '+15005550006' } },
    inputs: { api_key: KEY },
    responses: [{ status: 200, body: { data: { type: 'profile', id: '01J' } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://a.klaviyo.com/api/profile-import',
          headers,
          body: { data: { type: 'profile', attributes: { phone_number: '+15005550006' } } },
        },
      ],
    },
  },
  {
    name: 'fails clearly with the JSON:API error detail',
    event: { event: '$identify', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    responses: [
      {
        status: 400,
        body: { errors: [{ id: 'e1', status: 400, code: 'invalid', title: 'Invalid input.', detail: 'Invalid email address', source: { pointer: '/data/attributes/email' } }] },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Klaviyo API error (status 400): Invalid email address',
      requests: [{ method: 'POST', url: 'https://a.klaviyo.com/api/profile-import' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without email or phone, with a log line and no request',
    event: { event: '$identify', distinct_id: 'user-42' },
    person: { id: 'p1', properties: { first_name: 'Max' } },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
