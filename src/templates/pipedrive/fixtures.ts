import type { TemplateFixture } from '../types.js';

const TOKEN = 'pipedrive-secret-token';
const person = { id: 'p1', properties: { email: 'Max@Example.com', name: 'Max Hedgehog', phone: '+44 20 0000 0000' } };
const SEARCH = 'https://api.pipedrive.com/v1/persons/search?term=max%40example.com&fields=email&exact_match=true&limit=1';
const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-api-token': TOKEN };
const noMatch = { status: 200, body: { success: true, data: { items: [] } } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates the person when the search finds nobody',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_token: TOKEN, properties: { phone: '{person.properties.phone}', org_id: '{person.properties.org}' } },
    responses: [noMatch, { status: 201, body: { success: true, data: { id: 17 } } }],
    expect: {
      requests: [
        { method: 'GET', url: SEARCH, headers },
        {
          method: 'POST',
          url: 'https://api.pipedrive.com/v1/persons',
          headers,
          body: { phone: '+44 20 0000 0000', name: 'Max Hedgehog', email: [{ value: 'max@example.com', primary: true, label: 'work' }] },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'updates the person the search finds, without touching its emails',
    event: { event: '$set', distinct_id: 'u1' },
    person,
    inputs: { api_token: TOKEN },
    responses: [
      { status: 200, body: { success: true, data: { items: [{ result_score: 1, item: { id: 42, type: 'person', name: 'Max' } }] } } },
      { status: 200, body: { success: true, data: { id: 42 } } },
    ],
    expect: {
      requests: [
        { method: 'GET', url: SEARCH },
        { method: 'PUT', url: 'https://api.pipedrive.com/v1/persons/42', body: { name: 'Max Hedgehog' } },
      ],
    },
  },
  {
    name: 'names a new person after the email when no name is known',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { api_token: TOKEN },
    responses: [{ status: 200, body: { success: true, data: { items: [] } } }],
    expect: {
      requests: [
        { method: 'GET', url: 'https://api.pipedrive.com/v1/persons/search?term=anon%40example.com&fields=email&exact_match=true&limit=1' },
        {
          method: 'POST',
          url: 'https://api.pipedrive.com/v1/persons',
          body: { name: 'anon@example.com', email: [{ value: 'anon@example.com', primary: true, label: 'work' }] },
        },
      ],
    },
  },
  {
    name: 'fails clearly on a rejected token, before any write',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_token: TOKEN },
    responses: [{ status: 401, body: { success: false, error: 'unauthorized access', errorCode: 401, error_info: 'Please check the API token.' } }],
    expect: {
      status: 'failed',
      error: 'Pipedrive API error while searching for the person (status 401): unauthorized access (Please check the API token.)',
      requests: [{ method: 'GET', url: SEARCH }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when the creation is refused',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { api_token: TOKEN },
    responses: [noMatch, { status: 400, body: { success: false, error: 'Bad request', error_info: 'Field org_id is invalid.' } }],
    expect: {
      status: 'failed',
      error: 'Pipedrive API error while creating the person (status 400): Bad request (Field org_id is invalid.)',
      requests: [
        { method: 'GET', url: SEARCH },
        { method: 'POST', url: 'https://api.pipedrive.com/v1/persons' },
      ],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: '$identify', distinct_id: 'u1' },
    person: { id: 'p1', properties: { name: 'Max' } },
    inputs: { api_token: TOKEN },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { api_token: TOKEN },
    expect: { status: 'skipped', requests: [] },
  },
];
