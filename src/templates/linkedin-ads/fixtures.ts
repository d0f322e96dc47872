import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const URL = 'https://api.linkedin.com/rest/conversionEvents';
const headers = { authorization: 'Bearer oauth-1234', 'content-type': 'application/json', 'linkedin-version': '202607' };
const HASHED_EMAIL = '3edfaed7454eedb3c72bad566901af8bfbed1181816dde6db91dfff0f0cffa98';

// PostHog's test inputs (its conversionDateTime is the number 1737464596570; a string input here).
const inputs = (overrides: Record<string, unknown> = {}) => ({
  oauth: { access_token: 'oauth-1234' },
  accountId: 'account-12345',
  conversionRuleId: 'conversion-rule-12345',
  conversionDateTime: '1737464596570',
  conversionValue: '100',
  currencyCode: 'USD',
  eventId: 'event-12345',
  userIds: { SHA256_EMAIL: HASHED_EMAIL, LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID: 'abc' },
  userInfo: { lastName: 'AI', firstName: 'Max', companyName: 'PostHog', countryCode: 'US' },
  ...overrides,
});
const event = { event: 'Order Completed', uuid: 'event-id', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z' };
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const userIds = [
  { idType: 'SHA256_EMAIL', idValue: HASHED_EMAIL },
  { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'abc' },
];

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: works with all properties',
    posthog: true,
    event,
    person,
    inputs: inputs(),
    responses: [{ status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            conversion: 'urn:lla:llaPartnerConversion:conversion-rule-12345',
            conversionHappenedAt: 1737464596570,
            user: { userIds, userInfo: { lastName: 'AI', firstName: 'Max', companyName: 'PostHog', countryCode: 'US' } },
            eventId: 'event-12345',
            conversionValue: { currencyCode: 'USD', amount: '100' },
          },
        },
      ],
      logsMustNotContain: ['oauth-1234'],
    },
  },
  {
    name: 'PostHog: does not contain empty objects',
    posthog: true,
    event,
    person,
    inputs: inputs({ conversionValue: null, currencyCode: null, userInfo: {} }),
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: { conversion: 'urn:lla:llaPartnerConversion:conversion-rule-12345', conversionHappenedAt: 1737464596570, user: { userIds }, eventId: 'event-12345' },
        },
      ],
    },
  },
  {
    name: 'sends the defaults: hashed email, li_fat_id, event time and uuid; no userInfo without a last name',
    event: { event: 'Order Completed', uuid: '0190a1b2-0000-7000-8000-000000000501', timestamp: '2026-01-02T03:04:05.678Z', properties: {} },
    person: { id: 'p-1', properties: { email: 'mike@example.com', first_name: 'Mike', $initial_li_fat_id: 'df5gf5-gh6t7' } },
    inputs: { oauth: 'AQV-plain-token', accountId: '512345678', conversionRuleId: '104012', conversionValue: '49.90' },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { ...headers, authorization: 'Bearer AQV-plain-token' },
          body: {
            conversion: 'urn:lla:llaPartnerConversion:104012',
            conversionHappenedAt: 1767323045678,
            user: {
              userIds: [
                { idType: 'SHA256_EMAIL', idValue: sha('mike@example.com') },
                { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'df5gf5-gh6t7' },
              ],
            },
            eventId: '0190a1b2-0000-7000-8000-000000000501',
            conversionValue: { amount: '49.90' },
          },
        },
      ],
      logsMustNotContain: ['AQV-plain-token'],
    },
  },
  {
    name: 'makes no request when the person cannot be matched',
    event,
    person: { id: 'p-1', properties: { first_name: 'Mike' } },
    inputs: { oauth: { access_token: 'oauth-1234' }, accountId: '512345678', conversionRuleId: '104012' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly on LinkedIn’s error answer',
    event,
    person,
    inputs: inputs(),
    responses: [{ status: 400, body: { status: 400, code: 'INVALID_CONVERSION_RULE', message: 'Conversion rule 104012 is not a CONVERSIONS_API rule' } }],
    expect: {
      status: 'failed',
      error: 'LinkedIn API error (status 400): Conversion rule 104012 is not a CONVERSIONS_API rule (INVALID_CONVERSION_RULE)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: ['oauth-1234'],
    },
  },
  {
    name: 'is skipped for events other than Order Completed by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: inputs(),
    expect: { status: 'skipped', requests: [] },
  },
];
