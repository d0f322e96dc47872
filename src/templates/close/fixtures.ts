import type { TemplateFixture } from '../types.js';

const SEARCH = 'https://api.close.com/api/v1/data/search/';
const LEAD = 'https://api.close.com/api/v1/lead/';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const headersFor = (key: string) => ({ 'content-type': 'application/json', accept: 'application/json', authorization: basic(key) });

function searchBody(email: string) {
  return {
    query: {
      type: 'and',
      queries: [
        { type: 'object_type', object_type: 'contact' },
        {
          type: 'has_related',
          this_object_type: 'contact',
          related_object_type: 'contact_email',
          related_query: {
            type: 'field_condition',
            field: { type: 'regular_field', object_type: 'contact_email', field_name: 'email' },
            condition: { type: 'text', mode: 'phrase', value: email },
          },
        },
      ],
    },
    _fields: { contact: ['id', 'lead_id'] },
    _limit: 1,
  };
}

const noContact = { status: 200, body: { data: [], cursor: null } };
const oneContact = { status: 200, body: { data: [{ __object_type: 'contact', id: 'cont_123', lead_id: 'lead_456' }] } };

/** The event and person PostHog's template tests run with ($identify, so our default filter passes). */
const phEvent = { event: '$identify', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = {
  apiKey: 'API_KEY',
  email: 'max@posthog.com',
  leadName: 'PostHog',
  firstName: 'Max',
  lastName: 'AI',
  properties: { title: 'Hedgehog in Residence' },
  leadProperties: {},
};
const PH_HEADERS = headersFor('API_KEY');
const PH_SEARCH = { method: 'POST', url: SEARCH, headers: PH_HEADERS, body: searchBody('max@posthog.com') };

const KEY = 'api_secretclosekey';
const person = { id: 'p1', properties: { email: 'max@example.com', first_name: 'Max', last_name: 'Hedgehog', company: 'Hedgehog Inc', job_title: 'CEO', website: 'https://hog.example' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates a lead when no contact matches',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, leadProperties: { url: 'https://posthog.com' } },
    responses: [noContact, { status: 200, body: { id: 'lead_123' } }],
    expect: {
      requests: [
        PH_SEARCH,
        {
          method: 'POST',
          url: LEAD,
          headers: PH_HEADERS,
          body: {
            name: 'PostHog',
            contacts: [{ emails: [{ email: 'max@posthog.com', type: 'office' }], name: 'Max AI', title: 'Hedgehog in Residence' }],
            url: 'https://posthog.com',
          },
        },
      ],
      logsMustNotContain: ['API_KEY', basic('API_KEY')],
    },
  },
  {
    name: 'PostHog: updates the matched contact without touching its emails',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: { email: 'example@posthog.com', $geoip_country_name: 'United States', plan: 'pay-as-you-go' } },
    inputs: phInputs,
    responses: [oneContact, { status: 200, body: { id: 'cont_123' } }],
    expect: {
      requests: [
        PH_SEARCH,
        { method: 'PUT', url: 'https://api.close.com/api/v1/contact/cont_123/', headers: PH_HEADERS, body: { name: 'Max AI', title: 'Hedgehog in Residence' } },
      ],
    },
  },
  {
    name: 'PostHog: omits the name when both first and last name are empty',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, firstName: '', lastName: '' },
    responses: [noContact],
    expect: {
      requests: [
        PH_SEARCH,
        { method: 'POST', url: LEAD, body: { name: 'PostHog', contacts: [{ emails: [{ email: 'max@posthog.com', type: 'office' }], title: 'Hedgehog in Residence' }] } },
      ],
    },
  },
  {
    name: 'PostHog: skips the PUT when a contact matches but there is nothing to update',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, firstName: '', lastName: '', properties: {} },
    responses: [oneContact],
    expect: { status: 'succeeded', requests: [PH_SEARCH] },
  },
  {
    name: 'PostHog: JSON-encodes list and object contact fields',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, properties: { title: 'Hedgehog in Residence', 'custom.cf_addresses': [{ city: 'Berlin' }, { city: 'London' }] } },
    responses: [noContact],
    expect: {
      requests: [
        PH_SEARCH,
        {
          method: 'POST',
          url: LEAD,
          body: {
            name: 'PostHog',
            contacts: [
              {
                emails: [{ email: 'max@posthog.com', type: 'office' }],
                name: 'Max AI',
                title: 'Hedgehog in Residence',
                'custom.cf_addresses': '[{"city":"Berlin"},{"city":"London"}]',
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: skips when the email is empty',
    posthog: true,
    event: phEvent,
    person: { id: 'person-id', properties: {} },
    // Sluice rejects a literal '' for a required input, so the email is a template that comes out empty.
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: throws when the search request fails',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { error: 'error' } }],
    expect: { status: 'failed', error: 'Close API error while searching for the contact (status 400): error', requests: [PH_SEARCH] },
  },
  {
    name: 'PostHog: throws when the lead create request fails',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [noContact, { status: 400, body: { error: 'error' } }],
    expect: { status: 'failed', error: 'Close API error while creating the lead (status 400): error', requests: [PH_SEARCH, { method: 'POST', url: LEAD }] },
  },
  {
    name: 'PostHog: throws when the contact update request fails',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [oneContact, { status: 400, body: { error: 'error' } }],
    expect: {
      status: 'failed',
      error: 'Close API error while updating the contact (status 400): error',
      requests: [PH_SEARCH, { method: 'PUT', url: 'https://api.close.com/api/v1/contact/cont_123/' }],
    },
  },
  {
    name: 'creates a lead named after the company with the default fields',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY, leadProperties: { url: '{person.properties.website}', 'custom.cf_plan': '{person.properties.plan}' } },
    responses: [noContact, { status: 200, body: { id: 'lead_abc', name: 'Hedgehog Inc' } }],
    expect: {
      requests: [
        { method: 'POST', url: SEARCH, headers: headersFor(KEY), body: searchBody('max@example.com') },
        {
          method: 'POST',
          url: LEAD,
          headers: headersFor(KEY),
          body: {
            name: 'Hedgehog Inc',
            contacts: [{ emails: [{ email: 'max@example.com', type: 'office' }], name: 'Max Hedgehog', title: 'CEO' }],
            url: 'https://hog.example',
          },
        },
      ],
      logsMustNotContain: [KEY, basic(KEY)],
    },
  },
  {
    name: 'names the lead after the email when no company is known',
    event: { event: '$set', distinct_id: 'u1' },
    person: { id: 'p1', properties: { email: 'anon@example.com' } },
    inputs: { apiKey: KEY },
    responses: [noContact],
    expect: {
      requests: [
        { method: 'POST', url: SEARCH, body: searchBody('anon@example.com') },
        { method: 'POST', url: LEAD, body: { name: 'anon@example.com', contacts: [{ emails: [{ email: 'anon@example.com', type: 'office' }] }] } },
      ],
    },
  },
  {
    name: 'fails clearly with the field errors Close returns',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    responses: [noContact, { status: 400, body: { errors: [], 'field-errors': { status_id: 'Invalid status.' } } }],
    expect: {
      status: 'failed',
      error: 'Close API error while creating the lead (status 400): status_id: Invalid status.',
      requests: [
        { method: 'POST', url: SEARCH },
        { method: 'POST', url: LEAD },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly on a rejected key, before any write',
    event: { event: '$identify', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    responses: [{ status: 401, body: { error: 'The API key is invalid.' } }],
    expect: {
      status: 'failed',
      error: 'Close API error while searching for the contact (status 401): The API key is invalid.',
      requests: [{ method: 'POST', url: SEARCH }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person,
    inputs: { apiKey: KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
