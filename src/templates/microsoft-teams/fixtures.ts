import type { TemplateFixture } from '../types.js';

const HOOK =
  'https://prod-01.westeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=sluiceTeamsSignature123';
const AZURE_LOGIC_URL = 'https://prod-180.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01';
const event = { event: '$pageview', distinct_id: 'u1', uuid: '0190a1b2-0000-7000-8000-000000000005' };
const person = { id: 'p1', properties: { email: 'max@example.com' } };
const headers = { 'content-type': 'application/json' };
const PH_TEXT = "**max@posthog.com** triggered event: '$pageview'";

/** The card PostHog's template sends: one wrapped text block. */
function card(text: string, extra: { title?: string; actions?: unknown[] } = {}): unknown {
  const body: unknown[] = [];
  if (extra.title !== undefined) body.push({ type: 'TextBlock', text: extra.title, weight: 'Bolder', size: 'Medium', wrap: true });
  body.push({ type: 'TextBlock', text, wrap: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body,
          ...(extra.actions !== undefined ? { actions: extra.actions } : {}),
        },
      },
    ],
  };
}

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: posts the Adaptive Card',
    posthog: true,
    event,
    person,
    inputs: { webhookUrl: AZURE_LOGIC_URL, text: PH_TEXT },
    responses: [{ status: 200, body: '1' }],
    expect: { requests: [{ method: 'POST', url: AZURE_LOGIC_URL, headers, body: card(PH_TEXT) }] },
  },
  ...[
    AZURE_LOGIC_URL,
    'https://tenant.webhook.office.com/webhookb2/guid1/IncomingWebhook/guid2/guid3',
    'https://region.powerautomate.com/workflows/guid1/triggers/manual/guid2',
    'https://region.flow.microsoft.com/workflows/guid1/triggers/manual/guid2',
    'https://tenant.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/guid1/triggers/manual/paths/invoke?api-version=1',
    'https://tenant.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/guid1/triggers/manual/paths/invoke?api-version=1',
    'https://tenant.df.environment.api.powerplatform.com:443/powerautomate/automations/direct/cu/11/workflows/guid1/triggers/manual/paths/invoke?api-version=1',
  ].map(
    (webhookUrl): TemplateFixture => ({
      name: `PostHog: accepts ${webhookUrl}`,
      posthog: true,
      event,
      person,
      inputs: { webhookUrl, text: PH_TEXT },
      responses: [{ status: 202 }],
      expect: { requests: [{ method: 'POST', url: webhookUrl, headers, body: card(PH_TEXT) }] },
    }),
  ),
  ...['https://webhook.site/def', `https://webhook.site/def#${AZURE_LOGIC_URL}`].map(
    (webhookUrl): TemplateFixture => ({
      name: `PostHog: refuses ${webhookUrl}, without a request`,
      posthog: true,
      event,
      person,
      inputs: { webhookUrl, text: PH_TEXT },
      expect: { status: 'failed', error: 'Microsoft Teams: the webhook URL must be an https:// URL on', requests: [] },
    }),
  ),
  {
    name: 'PostHog: fails on a non-2xx answer',
    posthog: true,
    event,
    person,
    inputs: { webhookUrl: AZURE_LOGIC_URL, text: PH_TEXT },
    responses: [{ status: 400, body: 'Bad Request' }],
    expect: { status: 'failed', error: 'Microsoft Teams API error (status 400): Bad Request', requests: [{ method: 'POST', url: AZURE_LOGIC_URL }] },
  },
  {
    name: 'posts the default text as a card, keeping the URL out of the logs',
    event,
    person,
    inputs: { webhookUrl: HOOK },
    responses: [{ status: 202, body: '' }],
    expect: {
      requests: [{ method: 'POST', url: HOOK, headers, body: card("**max@example.com** triggered event: '$pageview'") }],
      logsMustNotContain: ['sluiceTeamsSignature123'],
    },
  },
  {
    name: 'adds a title and buttons when they are set',
    event,
    person,
    inputs: { webhookUrl: HOOK, title: '{event.event}', links: { 'View Person': '{person.url}', 'View Event': '{event.url}', Empty: '' } },
    responses: [{ status: 202 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: HOOK,
          headers,
          body: card("**max@example.com** triggered event: '$pageview'", {
            title: '$pageview',
            actions: [
              { type: 'Action.OpenUrl', title: 'View Person', url: 'http://localhost:8040/projects/1/persons/p1' },
              { type: 'Action.OpenUrl', title: 'View Event', url: 'http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000005' },
            ],
          }),
        },
      ],
    },
  },
  {
    name: 'sends plain text to a legacy connector',
    event,
    person,
    inputs: { webhookUrl: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi', format: 'text', text: '{person.name} did {event.event}' },
    responses: [{ status: 200, body: '1' }],
    expect: {
      requests: [{ method: 'POST', url: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi', headers, body: { text: 'max@example.com did $pageview' } }],
    },
  },
  {
    name: 'fails clearly when the workflow rejects the request (400 JSON)',
    event,
    person,
    inputs: { webhookUrl: HOOK },
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
    inputs: { webhookUrl: HOOK },
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
    inputs: { webhookUrl: HOOK },
    expect: { status: 'skipped', requests: [] },
  },
];
