import type { TemplateFixture } from '../types.js';

const KEY = 'api_secretclosekey';
const BASIC = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
const person = { id: 'p1', properties: { email: 'Max@Example.com', name: 'Max Hedgehog', company: 'Hedgehog Inc', website: 'https://hog.example' } };
const SEARCH = 'https://api.close.com/api/v1/lead/?query=email_address%3A%22max%40example.com%22&_fields=id&_limit=1';
const LEAD = 'https://api.close.com/api/v1/lead/';
const noLead = { status: 200, body: { data: [], has_more: false } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates a lead with the person as its contact when none has the email',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY, lead_fields: { url: '{person.properties.website}', 'custom.cf_plan': '{person.properties.plan}' } },
    responses: [noLead, { status: 200, body: { id: 'lead_abc', name: 'Hedgehog Inc' } }],
    expect: {
      requests: [
        { method: 'GET', url: SEARCH, headers: { authorization: BASIC, accept: 'application/json' } },
        {
          method: 'POST',
          url: LEAD,
          headers: { authorization: BASIC, accept: 'application/json', 'content-type': 'application/json' },
          body: {
            name: 'Hedgehog Inc',
            contacts: [{ name: 'Max Hedgehog', emails: [{ type: 'office', email: 'max@example.com' }] }],
            url: 'https://hog.example',
          },
        },
      ],
      logsMustNotContain: [KEY, BASIC],
    },
  },
  {
    name: 'names the lead after the email when neither company nor name is known',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { api_key: KEY },
    responses: [noLead],
    expect: {
      requests: [
        { method: 'GET', url: 'https://api.close.com/api/v1/lead/?query=email_address%3A%22anon%40example.com%22&_fields=id&_limit=1' },
        { method: 'POST', url: LEAD, body: { name: 'anon@example.com', contacts: [{ emails: [{ type: 'office', email: 'anon@example.com' }] }] } },
      ],
    },
  },
  {
    name: 'creates nothing when a lead already has the email',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 200, body: { data: [{ id: 'lead_abc' }], has_more: false } }],
    expect: { status: 'succeeded', requests: [{ method: 'GET', url: SEARCH }] },
  },
  {
    name: 'fails clearly with the field errors Close returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    responses: [noLead, { status: 400, body: { errors: [], 'field-errors': { status_id: 'Invalid status.' } } }],
    expect: {
      status: 'failed',
      error: 'Close API error while creating the lead (status 400): status_id: Invalid status.',
      requests: [
        { method: 'GET', url: SEARCH },
        { method: 'POST', url: LEAD },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly on a rejected key, before any write',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 401, body: { error: 'The API key is invalid.' } }],
    expect: {
      status: 'failed',
      error: 'Close API error while searching for the lead (status 401): The API key is invalid.',
      requests: [{ method: 'GET', url: SEARCH }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
