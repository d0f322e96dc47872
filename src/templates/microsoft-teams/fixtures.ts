import type { TemplateFixture } from '../types.js';

const HOOK =
  'https://prod-01.westeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=sluiceTeamsSignature123';
const event = { event: '$pageview', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-000000000005' };
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'posts the default Adaptive Card with a title, the text and two buttons',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 202, body: '' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: {
            type: 'message',
            attachments: [
              {
                contentType: 'application/vnd.microsoft.card.adaptive',
                content: {
                  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                  type: 'AdaptiveCard',
                  version: '1.4',
                  body: [
                    { type: 'TextBlock', text: '$pageview', weight: 'Bolder', size: 'Medium', wrap: true },
                    { type: 'TextBlock', text: "**max@example.com** triggered event: '$pageview'", wrap: true },
                  ],
                  actions: [
                    { type: 'Action.OpenUrl', title: 'View Person', url: 'http://localhost:8040/projects/1/persons/p1' },
                    {
                      type: 'Action.OpenUrl',
                      title: 'View Event',
                      url: 'http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000005',
                    },
                  ],
                },
              },
            ],
          },
        },
      ],
      logsMustNotContain: ['sluiceTeamsSignature123'],
    },
  },
  {
    name: 'sends a card without title or buttons when those are emptied',
    event,
    person,
    inputs: { webhook_url: HOOK, title: '', links: {} },
    responses: [{ status: 202 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: {
            type: 'message',
            attachments: [
              {
                contentType: 'application/vnd.microsoft.card.adaptive',
                content: {
                  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                  type: 'AdaptiveCard',
                  version: '1.4',
                  body: [{ type: 'TextBlock', text: "**max@example.com** triggered event: '$pageview'", wrap: true }],
                },
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'sends plain text to a legacy connector',
    event,
    person,
    inputs: { webhook_url: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi', format: 'text', text: '{person.name} did {event.event}' },
    responses: [{ status: 200, body: '1' }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi',
          headers,
          body: { text: 'max@example.com did $pageview' },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the workflow rejects the request (400)',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 400, body: { error: { code: 'InvalidRequestContent', message: "The input body for trigger 'manual' of type 'Request' must be of type JSON." } } }],
    expect: {
      status: 'failed',
      error: 'Microsoft Teams API error (status 400): The input body for trigger',
      requests: [{ method: 'POST', url: HOOK }],
      logsMustNotContain: ['sluiceTeamsSignature123'],
    },
  },
  {
    name: 'fails clearly when a legacy connector reports an error inside a 200',
    event,
    person,
    inputs: { webhook_url: HOOK },
    responses: [{ status: 200, body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429' }],
    expect: {
      status: 'failed',
      error: 'Microsoft Teams API error (status 200): Webhook message delivery failed with error',
      requests: [{ method: 'POST', url: HOOK }],
    },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$autocapture' },
    person,
    inputs: { webhook_url: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
