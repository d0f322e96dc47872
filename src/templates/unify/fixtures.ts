import type { TemplateFixture } from '../types.js';

const KEY = 'test-write-key';
const URL = 'https://analytics.unifygtm.com/api/v1/webhooks/posthog';
const headers = { 'content-type': 'application/json', 'x-write-key': KEY };
const inputs = {
  write_key: KEY,
  person_attributes: {
    email: '{person.properties.email}',
    first_name: '{person.properties.first_name}',
    last_name: '{person.properties.last_name}',
    title: '{person.properties.title}',
    linkedin_url: '{person.properties.linkedin_url}',
  },
  company_attributes: { domain: '{event.properties.company_domain}', name: '{event.properties.company_name}' },
};

/** The event as the destination sees it (`event` global), which Unify receives whole. */
function data(e: { uuid: string; event: string; distinct_id: string; timestamp: string; properties: Record<string, unknown> }) {
  return { ...e, name: e.event, elements_chain: '', url: `http://localhost:8040/projects/1/events/${e.uuid}` };
}

const pageview = { uuid: 'event-uuid-001', event: '$pageview', distinct_id: 'distinct-123', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com', plan: 'pro' } };
const signup = { uuid: 'event-uuid-002', event: 'Signed Up', distinct_id: 'distinct-456', timestamp: '2024-01-02T00:00:00Z', properties: { plan: 'enterprise', referrer: 'ads' } };
const companyUpdated = {
  uuid: 'event-uuid-003',
  event: 'Company Updated',
  distinct_id: 'distinct-789',
  timestamp: '2024-01-03T00:00:00Z',
  properties: { company_domain: 'acme.com', company_name: 'Acme Inc' },
};
const noPersonFields = { first_name: null, last_name: null, title: null, linkedin_url: null };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends correct payload for pageview with person email',
    posthog: true,
    event: pageview,
    person: { properties: { email: 'person@acme.com', role: 'admin' } },
    inputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { type: '$pageview', data: data(pageview), person: { email: 'person@acme.com', ...noPersonFields }, company: { domain: null, name: null } },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'PostHog: sends correct payload for custom event with different person',
    posthog: true,
    event: signup,
    person: { properties: { email: 'founder@acme.com', role: 'owner' } },
    inputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { type: 'Signed Up', data: data(signup), person: { email: 'founder@acme.com', ...noPersonFields }, company: { domain: null, name: null } },
        },
      ],
    },
  },
  {
    name: 'PostHog: resolves company mapping from event properties',
    posthog: true,
    event: companyUpdated,
    person: { properties: { email: 'owner@acme.com' } },
    inputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { type: 'Company Updated', data: data(companyUpdated), person: { email: 'owner@acme.com', ...noPersonFields }, company: { domain: 'acme.com', name: 'Acme Inc' } },
        },
      ],
    },
  },
  {
    name: 'PostHog: allows empty attribute dictionaries',
    posthog: true,
    event: signup,
    inputs: { write_key: KEY, person_attributes: {}, company_attributes: {} },
    expect: { requests: [{ method: 'POST', url: URL, headers, body: { type: 'Signed Up', data: data(signup), person: {}, company: {} } }] },
  },
  ...['$groupidentify', '$set', '$web_vitals'].map(
    (name): TemplateFixture => ({
      name: `PostHog: skips unsupported event type ${name}`,
      posthog: true,
      event: { event: name },
      inputs,
      expect: { status: 'succeeded', requests: [] },
    }),
  ),
  {
    name: 'PostHog: throws on API error response',
    posthog: true,
    event: signup,
    inputs,
    responses: [{ status: 400, body: { error: 'invalid request' } }],
    expect: { status: 'failed', error: 'Unify API error (status 400): {"error":"invalid request"}', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [KEY] },
  },
  {
    name: 'the default company attributes come from the company group',
    event: signup,
    person: { properties: { email: 'founder@acme.com' } },
    groups: { company: { key: 'acme.com', index: 0, properties: { domain: 'acme.com', name: 'Acme', employee_count: 50 } } },
    inputs: { write_key: KEY, person_attributes: { email: '{person.properties.email}' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            type: 'Signed Up',
            data: data(signup),
            person: { email: 'founder@acme.com' },
            company: {
              domain: 'acme.com',
              address: null,
              corporate_phone: null,
              description: null,
              do_not_contact: null,
              employee_count: 50,
              founded: null,
              industry: null,
              lead_source: null,
              linkedin_url: null,
              name: 'Acme',
              revenue: null,
              status: null,
              time_zone: null,
            },
          },
        },
      ],
    },
  },
];
