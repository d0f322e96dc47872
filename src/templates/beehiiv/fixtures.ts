import type { TemplateFixture } from '../types.js';

const PUBLICATION_ID = 'pub_00000000-0000-0000-0000-000000000000';
const EMAIL = 'max+newsletter@posthog.com';
const COLLECTION = `https://api.beehiiv.com/v2/publications/${PUBLICATION_ID}/subscriptions`;
const SUBSCRIPTION = `${COLLECTION}/by_email/max%2Bnewsletter%40posthog.com`;
const headers = { authorization: 'Bearer API_KEY', 'content-type': 'application/json' };
const event = { event: '$identify', distinct_id: 'distinct-id' };
const inputs = {
  apiKey: 'API_KEY',
  publicationId: PUBLICATION_ID,
  email: EMAIL,
  customFields: { 'First Name': 'Max', 'Last Name': 'AI', Empty: '' },
  sendWelcomeEmail: false,
  reactivateExisting: false,
  utmSource: 'posthog',
  utmMedium: 'product',
  utmCampaign: 'newsletter-launch',
  utmTerm: 'product-analytics',
  utmContent: 'upgrade-cta',
  referringSite: 'https://posthog.com/blog',
};
const fields = [
  { name: 'First Name', value: 'Max' },
  { name: 'Last Name', value: 'AI' },
];
const lookup = { method: 'GET', url: SUBSCRIPTION, headers };
const subscriber = (status: string) => ({ status: 200, body: { data: { id: 'sub_123', email: EMAIL, status } } });

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates a subscriber when none has the email',
    posthog: true,
    event,
    inputs,
    responses: [{ status: 404, body: { errors: [{ message: 'Subscription not found' }] } }, { status: 200, body: { data: { id: 'sub_123', email: EMAIL } } }],
    expect: {
      requests: [
        lookup,
        {
          method: 'POST',
          url: COLLECTION,
          headers,
          body: {
            email: EMAIL,
            reactivate_existing: false,
            send_welcome_email: false,
            utm_source: 'posthog',
            utm_medium: 'product',
            utm_campaign: 'newsletter-launch',
            utm_term: 'product-analytics',
            utm_content: 'upgrade-cta',
            referring_site: 'https://posthog.com/blog',
            custom_fields: fields,
          },
        },
      ],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'PostHog: updates the custom fields of an existing subscriber',
    posthog: true,
    event,
    inputs,
    responses: [subscriber('active')],
    expect: { requests: [lookup, { method: 'PUT', url: SUBSCRIPTION, headers, body: { custom_fields: fields } }] },
  },
  {
    name: 'PostHog: reactivates an unsubscribed subscriber through a create, then updates (3 fetches)',
    posthog: true,
    maxFetches: 3,
    event,
    inputs: { ...inputs, reactivateExisting: true },
    responses: [subscriber('inactive'), { status: 201, body: { data: { id: 'sub_123', email: EMAIL, status: 'active' } } }],
    expect: {
      requests: [
        lookup,
        { method: 'POST', url: COLLECTION, headers, body: { email: EMAIL, reactivate_existing: true, send_welcome_email: false } },
        { method: 'PUT', url: SUBSCRIPTION, headers, body: { custom_fields: fields } },
      ],
    },
  },
  ...['active', 'validating', 'invalid'].map(
    (status): TemplateFixture => ({
      name: `PostHog: goes straight to the update for a ${status} subscriber when reactivation is on`,
      posthog: true,
      event,
      inputs: { ...inputs, reactivateExisting: true },
      responses: [subscriber(status)],
      expect: { requests: [lookup, { method: 'PUT', url: SUBSCRIPTION }] },
    }),
  ),
  {
    name: 'PostHog: asks the create to reactivate a missing subscriber when reactivation is on',
    posthog: true,
    event,
    inputs: { ...inputs, reactivateExisting: true },
    responses: [{ status: 404, body: {} }],
    expect: {
      requests: [
        lookup,
        {
          method: 'POST',
          url: COLLECTION,
          body: {
            email: EMAIL,
            reactivate_existing: true,
            send_welcome_email: false,
            utm_source: 'posthog',
            utm_medium: 'product',
            utm_campaign: 'newsletter-launch',
            utm_term: 'product-analytics',
            utm_content: 'upgrade-cta',
            referring_site: 'https://posthog.com/blog',
            custom_fields: fields,
          },
        },
      ],
    },
  },
  {
    name: 'PostHog: leaves an existing subscriber alone when there are no fields to update',
    posthog: true,
    event,
    inputs: { ...inputs, customFields: {} },
    responses: [subscriber('active')],
    expect: { requests: [lookup] },
  },
  {
    name: 'PostHog: skips a person without an email',
    posthog: true,
    event,
    person: { id: 'p1', properties: {} },
    inputs: { ...inputs, email: '{person.properties.email}' },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: fails when the lookup fails',
    posthog: true,
    event,
    inputs,
    responses: [{ status: 401, body: { errors: [{ message: 'Unauthorized' }] } }],
    expect: { status: 'failed', error: 'beehiiv API error (status 401) looking up the subscription: Unauthorized', requests: [lookup], logsMustNotContain: ['API_KEY'] },
  },
  {
    name: 'PostHog: fails when the create fails',
    posthog: true,
    event,
    inputs,
    responses: [{ status: 404, body: {} }, { status: 400, body: { errors: [{ message: 'Invalid email' }] } }],
    expect: {
      status: 'failed',
      error: 'beehiiv API error (status 400) creating the subscription: Invalid email',
      requests: [lookup, { method: 'POST', url: COLLECTION }],
    },
  },
  {
    name: 'PostHog: fails when the update fails',
    posthog: true,
    event,
    inputs,
    responses: [{ status: 200, body: { data: { id: 'sub_123', email: EMAIL } } }, { status: 429, body: { errors: [{ message: 'Rate limit exceeded' }] } }],
    expect: {
      status: 'failed',
      error: 'beehiiv API error (status 429) updating the subscription: Rate limit exceeded',
      requests: [lookup, { method: 'PUT', url: SUBSCRIPTION }],
    },
  },
  {
    name: 'takes the email and names from the person by default, leaving empty acquisition fields out',
    event: { event: '$set', distinct_id: 'u1', properties: { utm_medium: 'email' } },
    person: { id: 'p1', properties: { email: 'ada@example.com', first_name: 'Ada' } },
    inputs: { apiKey: 'bh-secret-key', publicationId: PUBLICATION_ID },
    responses: [{ status: 404, body: {} }],
    expect: {
      requests: [
        { method: 'GET', url: `${COLLECTION}/by_email/ada%40example.com`, headers: { authorization: 'Bearer bh-secret-key', 'content-type': 'application/json' } },
        {
          method: 'POST',
          url: COLLECTION,
          body: {
            email: 'ada@example.com',
            reactivate_existing: false,
            send_welcome_email: false,
            utm_source: 'posthog',
            utm_medium: 'email',
            custom_fields: [{ name: 'First Name', value: 'Ada' }],
          },
        },
      ],
      logsMustNotContain: ['bh-secret-key'],
    },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    inputs,
    expect: { status: 'skipped', requests: [] },
  },
];
