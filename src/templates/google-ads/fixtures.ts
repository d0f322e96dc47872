import type { TemplateFixture } from '../types.js';

const DEV_TOKEN = 'gads-developer-token-Q1w2E3';
const OAUTH = 'ya29.google-ads-oauth-token';
const REFRESH = '1//0refresh-token/abc';
const CLIENT_SECRET = 'GOCSPX-client-secret';
const URL = 'https://googleads.googleapis.com/v26/customers/1234567890:uploadClickConversions';

const purchase = {
  event: 'purchase',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000401',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { gclid: 'Cj0KCQiA-gclid', revenue: '49.90', currency: 'EUR', order_id: 1001 },
};
const inputs = { customer_id: '123-456-7890', conversion_action_id: '987654', developer_token: DEV_TOKEN, oauth_token: OAUTH };

export const fixtures: TemplateFixture[] = [
  {
    name: 'uploads the click conversion with value, currency and order id',
    event: purchase,
    inputs: { ...inputs, login_customer_id: '111-222-3333' },
    responses: [{ status: 200, body: { results: [{ gclid: 'Cj0KCQiA-gclid', conversionAction: 'customers/1234567890/conversionActions/987654', conversionDateTime: '2026-01-02 03:04:05+00:00' }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${OAUTH}`, 'developer-token': DEV_TOKEN, 'content-type': 'application/json', 'login-customer-id': '1112223333' },
          body: {
            conversions: [
              {
                conversionAction: 'customers/1234567890/conversionActions/987654',
                conversionDateTime: '2026-01-02 03:04:05+00:00',
                gclid: 'Cj0KCQiA-gclid',
                conversionValue: 49.9,
                currencyCode: 'EUR',
                orderId: '1001',
              },
            ],
            partialFailure: true,
          },
        },
      ],
      logsMustNotContain: [DEV_TOKEN, OAUTH],
    },
  },
  {
    name: 'takes the initial gclid from the person and sends no value when there is none',
    event: { event: 'purchase', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000402', timestamp: '2026-01-02T03:04:05.000Z' },
    person: { id: 'p-1', properties: { $initial_gclid: 'initial-gclid' } },
    inputs,
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            conversions: [{ conversionAction: 'customers/1234567890/conversionActions/987654', conversionDateTime: '2026-01-02 03:04:05+00:00', gclid: 'initial-gclid' }],
            partialFailure: true,
          },
        },
      ],
    },
  },
  {
    name: 'exchanges the refresh token for an access token first when no access token is set',
    event: purchase,
    inputs: { customer_id: '123-456-7890', conversion_action_id: '987654', developer_token: DEV_TOKEN, refresh_token: REFRESH, client_id: 'client-1.apps.googleusercontent.com', client_secret: CLIENT_SECRET },
    responses: [{ status: 200, body: { access_token: 'ya29.fresh-token', expires_in: 3599, token_type: 'Bearer' } }, { status: 200, body: { results: [{}] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://oauth2.googleapis.com/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=refresh_token&client_id=client-1.apps.googleusercontent.com&client_secret=${CLIENT_SECRET}&refresh_token=${encodeURIComponent(REFRESH)}`,
        },
        {
          method: 'POST',
          url: URL,
          headers: { authorization: 'Bearer ya29.fresh-token', 'developer-token': DEV_TOKEN, 'content-type': 'application/json' },
        },
      ],
      logsMustNotContain: [DEV_TOKEN, REFRESH, CLIENT_SECRET],
    },
  },
  {
    name: 'fails clearly when the refresh token is refused',
    event: purchase,
    inputs: { customer_id: '123-456-7890', conversion_action_id: '987654', developer_token: DEV_TOKEN, refresh_token: REFRESH, client_id: 'client-1', client_secret: CLIENT_SECRET },
    responses: [{ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } }],
    expect: {
      status: 'failed',
      error: 'Google OAuth error (status 400): invalid_grant: Token has been expired or revoked.',
      requests: [{ method: 'POST', url: 'https://oauth2.googleapis.com/token' }],
      logsMustNotContain: [DEV_TOKEN, REFRESH, CLIENT_SECRET],
    },
  },
  {
    name: 'makes no request for an event without a click id',
    event: { event: 'purchase', distinct_id: 'user-42' },
    inputs,
    expect: { requests: [] },
  },
  {
    name: 'fails clearly on a partial failure reported inside a 200 answer',
    event: purchase,
    inputs,
    responses: [
      {
        status: 200,
        body: {
          partialFailureError: { code: 3, message: 'The imported gclid could not be decoded., at conversions[0].gclid', details: [] },
          results: [{}],
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Google Ads API error (status 200): conversion rejected: The imported gclid could not be decoded.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [DEV_TOKEN, OAUTH],
    },
  },
  {
    name: 'fails clearly on an authentication error',
    event: purchase,
    inputs,
    responses: [
      {
        status: 401,
        body: {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials.',
            status: 'UNAUTHENTICATED',
            details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure', errors: [{ errorCode: { authenticationError: 'OAUTH_TOKEN_EXPIRED' }, message: 'The OAuth access token has expired.' }] }],
          },
        },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Google Ads API error (status 401): UNAUTHENTICATED Request had invalid authentication credentials. (The OAuth access token has expired.)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [DEV_TOKEN, OAUTH],
    },
  },
  {
    name: 'is skipped for events other than purchase by default',
    event: { event: '$pageview', distinct_id: 'user-42', properties: { gclid: 'x' } },
    inputs,
    expect: { status: 'skipped', requests: [] },
  },
];
