import type { TemplateFixture } from '../types.js';

const KEY = 'ac0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123';
const URL = 'https://acme.api-us1.com/api/3/contact/sync';

const identify = { event: '$identify', distinct_id: 'user-42', properties: {} };
const person = { id: 'p-1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedge', company: 'Acme' } };
const synced = { contact: { id: '113', email: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'syncs the contact with names and custom field values',
    event: identify,
    person,
    inputs: { accountName: 'acme', apiKey: KEY, attributes: { '1': '{person.properties.company}', '2': '' } },
    responses: [{ status: 201, body: synced }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { 'api-token': KEY, 'content-type': 'application/json' },
          body: { contact: { email: 'max@example.com', firstName: 'Max', lastName: 'Hedge', fieldValues: [{ field: '1', value: 'Acme' }] } },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'takes the full account API URL in place of the name',
    event: identify,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { accountName: 'https://acme.api-us1.com/api/3/', apiKey: KEY },
    responses: [{ status: 200, body: synced }],
    expect: { requests: [{ method: 'POST', url: URL, body: { contact: { email: 'max@example.com' } } }] },
  },
  {
    name: 'makes no request when the person has no email',
    event: identify,
    person: { id: 'p-1', properties: {} },
    inputs: { accountName: 'acme', apiKey: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "fails with ActiveCampaign's error title",
    event: identify,
    person,
    inputs: { accountName: 'acme', apiKey: KEY },
    responses: [{ status: 422, body: { errors: [{ title: 'Email address is not valid.', source: { pointer: '/data/attributes/email' } }] } }],
    expect: { status: 'failed', error: 'ActiveCampaign API error (status 422): Email address is not valid.', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'is skipped for events other than $identify by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { accountName: 'acme', apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
