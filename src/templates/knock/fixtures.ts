import type { TemplateFixture } from '../types.js';

const WEBHOOK = 'https://api.knock.app/v1/integrations/receive/tkn_c0ffee1234';

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts a custom event as a track call with the mapped properties',
    event: {
      event: 'order_shipped',
      distinct_id: 'user-5',
      uuid: '0190a1b2-0000-7000-8000-00000000kn01',
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: { price: 19.5, carrier: 'DHL' },
    },
    person: { id: 'person-5', properties: {} },
    inputs: { webhookUrl: WEBHOOK },
    expect: {
      requests: [
        {
          method: 'POST',
          url: WEBHOOK,
          headers: { 'content-type': 'application/json' },
          body: {
            type: 'track',
            event: 'order_shipped',
            userId: 'person-5',
            properties: { price: 19.5 },
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
      event: 'order_shipped',
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
            event: 'order_shipped',
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
    event: { event: 'order_shipped', distinct_id: 'user-5' },
    inputs: { webhookUrl: WEBHOOK, userId: '{event.properties.knock_user_id}' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly when Knock answers 404',
    event: { event: 'order_shipped', distinct_id: 'user-5' },
    inputs: { webhookUrl: WEBHOOK, userId: 'user-5' },
    responses: [{ status: 404, body: { message: 'Source not found' } }],
    expect: { status: 'failed', error: 'Knock API error (status 404): Source not found', requests: [{ method: 'POST', url: WEBHOOK }], logsMustNotContain: [WEBHOOK] },
  },
  {
    name: 'is skipped for PostHog system events by default',
    event: { event: '$pageview', distinct_id: 'user-5' },
    inputs: { webhookUrl: WEBHOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
