import type { TemplateFixture } from '../types.js';

const TOKEN = 'token_12345';
const URL = 'https://graph.facebook.com/v21.0/987654321/messages';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const event = { event: 'signed_up', distinct_id: 'u1' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends a text message',
    posthog: true,
    event,
    person: { properties: { phone: '+1234567893' } },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', api_version: 'v21.0', message_type: 'text', message: 'Hello from PostHog' },
    responses: [{ status: 200, body: { messages: [{ id: 'wamid.HBgL' }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+1234567893', type: 'text', text: { preview_url: false, body: 'Hello from PostHog' } },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'PostHog: sends a template message',
    posthog: true,
    event,
    person: { properties: {} },
    inputs: {
      access_token: TOKEN,
      phone_number_id: '987654321',
      api_version: 'v21.0',
      to_number: '+1234567893',
      message_type: 'template',
      template_name: 'hello_world',
      template_language: 'en_US',
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+1234567893', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
        },
      ],
    },
  },
  {
    name: 'PostHog: defaults the api version when blank',
    posthog: true,
    event,
    person: { properties: {} },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', api_version: '', to_number: '+1234567893', message_type: 'text', message: 'Hello' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+1234567893', type: 'text', text: { preview_url: false, body: 'Hello' } },
        },
      ],
    },
  },
  {
    name: 'PostHog: errors when the recipient phone is empty',
    posthog: true,
    event,
    person: { properties: {} },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', message_type: 'text', message: 'Hello' },
    expect: { status: 'failed', error: 'WhatsApp: the recipient phone number is empty', requests: [] },
  },
  {
    name: 'PostHog: errors when the template name is empty for template messages',
    posthog: true,
    event,
    person: { properties: {} },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', to_number: '+1234567893', message_type: 'template', template_name: '' },
    expect: { status: 'failed', error: 'WhatsApp: a template message needs a template name', requests: [] },
  },
  {
    name: 'PostHog: errors when the message body is empty for text messages',
    posthog: true,
    event,
    person: { properties: {} },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', to_number: '+1234567893', message_type: 'text', message: '' },
    expect: { status: 'failed', error: 'WhatsApp: a text message needs a message body', requests: [] },
  },
  {
    name: 'PostHog: throws on a non-2xx response',
    posthog: true,
    event,
    person: { properties: {} },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', to_number: '+1234567893', message_type: 'text', message: 'Hello' },
    responses: [{ status: 401, body: { error: { message: 'invalid token' } } }],
    expect: { status: 'failed', error: 'WhatsApp API error (status 401): invalid token', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'the default message names the event; debug logs never show the token',
    event,
    person: { properties: { phone: '+4915112345678' } },
    inputs: { access_token: TOKEN, phone_number_id: '987654321', debug: true },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+4915112345678', type: 'text', text: { preview_url: false, body: 'PostHog event signed_up was triggered' } },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
];
