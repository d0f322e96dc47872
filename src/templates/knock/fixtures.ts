import type { TemplateFixture } from '../types.js';

const WEBHOOK = 'https://api.knock.app/v1/integrations/receive/tkn_c0ffee1234';

// PostHog's test inputs and its harness's default event and person. Its tests use the event name
// 'event-name', which Knock's default filters ($identify, $pageview) would skip here: these use $pageview.
const PH_URL = 'https://api.knock.app/v1/sources/posthog/events';
const phInputs = { webhookUrl: PH_URL, userId: 'user-1', include_all_properties: false, attributes: { plan: 'paid' } };
const phEvent = { uuid: 'event-id', event: '$pageview', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phBody = (properties: Record<string, unknown>) => ({
  type: 'track',
  event: '$pageview',
  userId: 'user-1',
  properties,
  messageId: 'event-id',
  timestamp: '2024-01-01T00:00:00Z',
});

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: tracks the event',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    expect: { requests: [{ method: 'POST', url: PH_URL, headers: { 'content-type': 'application/json' }, body: phBody({ plan: 'paid' }) }] },
  },
  {
    name: 'PostHog: sends only the mapped properties when include_all_properties is false',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, include_all_properties: false },
    expect: { requests: [{ method: 'POST', url: PH_URL, body: phBody({ plan: 'paid' }) }] },
  },
  {
    name: 'PostHog: sends the event properties too when include_all_properties is true',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, include_all_properties: true },
    expect: { requests: [{ method: 'POST', url: PH_URL, body: phBody({ plan: 'paid', $current_url: 'https://example.com' }) }] },
  },
  {
    // A required input cannot be saved empty here, so the user id is a template that renders empty.
    name: 'PostHog: skips the request when the user id is empty',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, userId: '{person.properties.knock_id}' },
    expect: { requests: [] },
  },
  {
    name: 'PostHog: fails on a 401 answer',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 401, body: { message: 'unauthorized' } }],
    expect: { status: 'failed', error: 'Knock API error (status 401): unauthorized', requests: [{ method: 'POST', url: PH_URL }] },
  },
  {
    name: 'posts $identify as a track call with the default mapping, leaving out empty values',
    event: {
      event: '$identify',
      distinct_id: 'user-5',
      uuid: '0190a1b2-0000-7000-8000-00000000kn01',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { price: 19.5 },
    },
    person: { id: 'person-5', properties: { email: 'kim@example.com' } },
    inputs: { webhookUrl: WEBHOOK },
    expect: {
      requests: [
        {
          method: 'POST',
          url: WEBHOOK,
          headers: { 'content-type': 'application/json' },
          body: {
            type: 'track',
            event: '$identify',
            userId: 'person-5',
            properties: { email: 'kim@example.com' },
            messageId: '0190a1b2-0000-7000-8000-00000000kn01',
            timestamp: '2026-01-02T03:04:05.000Z',
          },
        },
      ],
      logsMustNotContain: [WEBHOOK],
    },
  },
  {
    name: 'sends all event properties and the elements chain when asked',
    event: {
      event: '$pageview',
      distinct_id: 'user-5',
      uuid: '0190a1b2-0000-7000-8000-00000000kn02',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { carrier: 'DHL' },
      elements_chain: 'button.ship:text="Ship"',
    },
    inputs: { webhookUrl: WEBHOOK, userId: 'user-5', include_all_properties: true, attributes: { price: '', tier: 'gold' } },
    expect: {
      requests: [
        {
          method: 'POST',
          url: WEBHOOK,
          body: {
            type: 'track',
            event: '$pageview',
            userId: 'user-5',
            properties: { carrier: 'DHL', $elements_chain: 'button.ship:text="Ship"', tier: 'gold' },
            messageId: '0190a1b2-0000-7000-8000-00000000kn02',
            timestamp: '2026-01-02T03:04:05.000Z',
          },
        },
      ],
    },
  },
  {
    name: 'sends nothing when the user id template comes out empty',
    event: { event: '$pageview', distinct_id: 'user-5' },
    inputs: { webhookUrl: WEBHOOK, userId: '{event.properties.knock_user_id}' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly when Knock answers 404',
    event: { event: '$pageview', distinct_id: 'user-5' },
    inputs: { webhookUrl: WEBHOOK, userId: 'user-5' },
    responses: [{ status: 404, body: { message: 'Source not found' } }],
    expect: { status: 'failed', error: 'Knock API error (status 404): Source not found', requests: [{ method: 'POST', url: WEBHOOK }], logsMustNotContain: [WEBHOOK] },
  },
  {
    name: 'is skipped for events other than $identify and $pageview by default',
    event: { event: 'order_shipped', distinct_id: 'user-5' },
    inputs: { webhookUrl: WEBHOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
