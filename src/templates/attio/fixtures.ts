import type { TemplateFixture } from '../types.js';

const KEY = 'attio-secret-access-token';
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', job_title: 'Mascot' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'asserts the person record by email',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 200, body: { data: { id: { record_id: 'bf07' } } } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://api.attio.com/v2/objects/people/records?matching_attribute=email_addresses',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: {
            data: {
              values: {
                email_addresses: ['max@example.com'],
                name: [{ first_name: 'Max', last_name: 'Hedgehog', full_name: 'Max Hedgehog' }],
                job_title: 'Mascot',
              },
            },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'sends only the email when nothing else is known',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { api_key: KEY },
    expect: {
      requests: [
        {
          method: 'PUT',
          url: 'https://api.attio.com/v2/objects/people/records?matching_attribute=email_addresses',
          body: { data: { values: { email_addresses: ['anon@example.com'] } } },
        },
      ],
    },
  },
  {
    name: 'fails clearly on a validation error',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    responses: [{ status: 400, body: { status_code: 400, type: 'invalid_request_error', code: 'validation_type', message: 'Attribute job_title not found' } }],
    expect: {
      status: 'failed',
      error: 'Attio API error (status 400): Attribute job_title not found',
      requests: [{ method: 'PUT', url: 'https://api.attio.com/v2/objects/people/records?matching_attribute=email_addresses' }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { first_name: 'Max' } },
    inputs: { api_key: KEY },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { api_key: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
