import type { TemplateFixture } from '../types.js';

const TOKEN = 'pat-na1-event-secret';
const person = { id: 'p1', properties: { email: 'max@example.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends the custom event occurrence',
    event: { event: 'signed_up', distinct_id: 'u1', timestamp: '2026-01-02T03:04:05.000Z', properties: { $current_url: 'https://app.example.com/signup' } },
    person,
    inputs: { access_token: TOKEN, event_name: 'pe12345678_signed_up' },
    responses: [{ status: 204 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://api.hubapi.com/events/v3/send',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: {
            eventName: 'pe12345678_signed_up',
            email: 'max@example.com',
            occurredAt: '2026-01-02T03:04:05.000Z',
            properties: { hs_page_url: 'https://app.example.com/signup', posthog_event: 'signed_up' },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when HubSpot does not know the event',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN, event_name: 'pe12345678_unknown' },
    responses: [{ status: 400, body: { status: 'error', message: 'Event definition pe12345678_unknown does not exist', category: 'VALIDATION_ERROR' } }],
    expect: {
      status: 'failed',
      error: 'HubSpot API error (status 400): Event definition pe12345678_unknown does not exist',
      requests: [{ method: 'POST', url: 'https://api.hubapi.com/events/v3/send' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'skips a person without an email, with a log line and no request',
    event: { event: 'signed_up', distinct_id: 'u1' },
    person: { id: 'p1', properties: {} },
    inputs: { access_token: TOKEN, event_name: 'pe12345678_signed_up' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: "is skipped for PostHog's internal $ events by default",
    event: { event: '$autocapture', distinct_id: 'u1' },
    person,
    inputs: { access_token: TOKEN, event_name: 'pe12345678_signed_up' },
    expect: { status: 'skipped', requests: [] },
  },
];
