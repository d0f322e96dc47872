import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const URL = 'https://googleads.googleapis.com/v24/customers/1231231234:uploadClickConversions';
const settings = { oauth: { access_token: 'access-token' }, customerId: '1231231234/5675675678', conversionActionId: '123456789' };
const headers = { authorization: 'Bearer access-token', 'content-type': 'application/json', 'login-customer-id': '5675675678' };
const HASHED_EMAIL = '3d4eee8538a4bbbe2ef7912f90ee494c1280f74dd7fd81232e58deb9cb9997e3'; // example@posthog.com
const HASHED_PHONE = '422ce82c6fc1724ac878042f7d055653ab5e983d186e616826a72d4384b68af8'; // +1234567890

// The event and person PostHog's ad-destination tests start from.
const adPerson = (properties: Record<string, unknown> = {}) => ({
  id: 'person-id',
  properties: {
    email: 'example@posthog.com',
    ttclid: 'tiktok-id',
    gclid: 'google-id',
    sccid: 'snapchat-id',
    rdt_cid: 'reddit-id',
    msclkid: 'microsoft-id',
    phone: '+1234567890',
    external_id: '1234567890',
    first_name: 'Max',
    last_name: 'AI',
    ...properties,
  },
});
const adEvent = (properties: Record<string, unknown> = {}) => ({
  event: 'Order Completed',
  uuid: 'event-id',
  distinct_id: 'distinct-id',
  timestamp: '2025-01-01T00:00:00Z',
  properties,
});
const conversion = { conversion_action: 'customers/1231231234/conversionActions/123456789', conversion_date_time: '2025-01-01 00:00:00+00:00' };

const REFRESH = '1//0refresh-token/abc';
const CLIENT_SECRET = 'GOCSPX-client-secret';
const DEV_TOKEN = 'gads-developer-token-Q1w2E3';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: works with single product event',
    posthog: true,
    event: adEvent({ $current_url: 'https://posthog.com/merch?product=tactical-black-t-shirt', currency: 'USD', value: '100', order_id: '1234567890' }),
    person: adPerson(),
    inputs: { ...settings, currencyCode: '{event.properties.currency}', conversionValue: '{event.properties.value}', orderId: '{event.properties.order_id}' },
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            conversions: [
              { ...conversion, gclid: 'google-id', user_identifiers: [{ hashed_email: HASHED_EMAIL }], conversion_value: '100', currency_code: 'USD', order_id: '1234567890' },
            ],
            partialFailure: true,
          },
        },
      ],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: works with empty properties',
    posthog: true,
    event: adEvent(),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { conversions: [{ ...conversion, gclid: 'google-id', user_identifiers: [{ hashed_email: HASHED_EMAIL }] }], partialFailure: true },
        },
      ],
    },
  },
  {
    name: 'PostHog: handles error responses',
    posthog: true,
    event: adEvent(),
    person: adPerson(),
    inputs: { ...settings, currencyCode: '{event.properties.currency}' },
    responses: [{ status: 400, body: { status: 'Something went wrong', message: 'Invalid event properties' } }],
    expect: {
      status: 'failed',
      error: 'Google Ads API error (status 400): {\'status\': \'Something went wrong\', \'message\': \'Invalid event properties\'}',
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { conversions: [{ ...conversion, gclid: 'google-id', user_identifiers: [{ hashed_email: HASHED_EMAIL }] }], partialFailure: true },
        },
      ],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: falls back to hashed identifiers when gclid is missing',
    posthog: true,
    event: adEvent(),
    person: adPerson({ gclid: null }),
    inputs: { ...settings, phone: '{person.properties.phone}' },
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { conversions: [{ ...conversion, user_identifiers: [{ hashed_email: HASHED_EMAIL }, { hashed_phone_number: HASHED_PHONE }] }], partialFailure: true },
        },
      ],
    },
  },
  {
    name: 'PostHog: skips when neither gclid nor user identifiers are present',
    posthog: true,
    event: adEvent(),
    person: adPerson({ gclid: null, email: null }),
    inputs: settings,
    expect: { requests: [] },
  },
  {
    name: 'sends the gbraid when there is no gclid, strips dashes and adds the developer token',
    event: adEvent({ revenue: '49.90' }),
    person: { id: 'p-1', properties: { $initial_gbraid: 'gbraid-1', email: ' Ada@Example.com ' } },
    inputs: {
      oauth: 'ya29.plain-token',
      customerId: '123-123-1234',
      conversionActionId: '987654',
      developerToken: DEV_TOKEN,
      conversionValue: '{event.properties.revenue}',
      currencyCode: 'EUR',
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: 'Bearer ya29.plain-token', 'content-type': 'application/json', 'developer-token': DEV_TOKEN },
          body: {
            conversions: [
              {
                conversion_action: 'customers/1231231234/conversionActions/987654',
                conversion_date_time: '2025-01-01 00:00:00+00:00',
                gbraid: 'gbraid-1',
                user_identifiers: [{ hashed_email: sha('ada@example.com') }],
                conversion_value: '49.90',
                currency_code: 'EUR',
              },
            ],
            partialFailure: true,
          },
        },
      ],
      logsMustNotContain: [DEV_TOKEN, 'ya29.plain-token'],
    },
  },
  {
    name: 'exchanges the refresh token for an access token first when the oauth object holds one',
    event: adEvent(),
    person: adPerson(),
    inputs: {
      ...settings,
      oauth: { access_token: 'ya29.expired', refresh_token: REFRESH, client_id: 'client-1.apps.googleusercontent.com', client_secret: CLIENT_SECRET },
    },
    responses: [{ status: 200, body: { access_token: 'ya29.fresh-token', expires_in: 3599, token_type: 'Bearer' } }, { status: 200, body: { results: [{}] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://oauth2.googleapis.com/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=refresh_token&client_id=client-1.apps.googleusercontent.com&client_secret=${CLIENT_SECRET}&refresh_token=${encodeURIComponent(REFRESH)}`,
        },
        { method: 'POST', url: URL, headers: { ...headers, authorization: 'Bearer ya29.fresh-token' } },
      ],
      logsMustNotContain: [REFRESH, CLIENT_SECRET],
    },
  },
  {
    name: 'fails clearly when the refresh token is refused',
    event: adEvent(),
    person: adPerson(),
    inputs: { ...settings, oauth: { refresh_token: REFRESH, client_id: 'client-1', client_secret: CLIENT_SECRET } },
    responses: [{ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } }],
    expect: {
      status: 'failed',
      error: 'Google OAuth error (status 400): invalid_grant: Token has been expired or revoked.',
      requests: [{ method: 'POST', url: 'https://oauth2.googleapis.com/token' }],
      logsMustNotContain: [REFRESH, CLIENT_SECRET],
    },
  },
  {
    name: 'fails clearly on a partial failure reported inside a 200 answer',
    event: adEvent(),
    person: adPerson(),
    inputs: settings,
    responses: [{ status: 200, body: { partialFailureError: { code: 3, message: 'The imported gclid could not be decoded., at conversions[0].gclid', details: [] }, results: [{}] } }],
    expect: {
      status: 'failed',
      error: 'Google Ads API error (status 200): conversion rejected: The imported gclid could not be decoded.',
      requests: [{ method: 'POST', url: URL }],
    },
  },
  {
    name: 'fails clearly on an authentication error',
    event: adEvent(),
    person: adPerson(),
    inputs: settings,
    responses: [
      {
        status: 401,
        body: {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials.',
            status: 'UNAUTHENTICATED',
            details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v24.errors.GoogleAdsFailure', errors: [{ errorCode: { authenticationError: 'OAUTH_TOKEN_EXPIRED' }, message: 'The OAuth access token has expired.' }] }],
          },
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Google Ads API error (status 401): UNAUTHENTICATED Request had invalid authentication credentials. (The OAuth access token has expired.)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'fails without a conversion action, before any request',
    event: adEvent(),
    person: adPerson(),
    inputs: { ...settings, conversionActionId: '' },
    expect: { status: 'failed', error: 'Google Ads: set the customer ID and the conversion action ID', requests: [] },
  },
  {
    name: 'is skipped for events other than Order Completed by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person: adPerson(),
    inputs: settings,
    expect: { status: 'skipped', requests: [] },
  },
];
