import { createHash } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

const TOKEN = 'AQV-linkedin-access-token-123';
const URL = 'https://api.linkedin.com/rest/conversionEvents';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const purchase = {
  event: 'purchase',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000501',
  timestamp: '2026-01-02T03:04:05.678Z',
  properties: { revenue: 1500, currency: 'EUR', li_fat_id: 'df5gf5-gh6t7-ph4j7h-fgf6n1' },
};
const person = { id: 'p-1', properties: { email: ' Mike@Example.com ', first_name: 'Mike', last_name: 'Smith', company: 'Acme' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'streams the conversion with a hashed email and the li_fat_id',
    event: purchase,
    person,
    inputs: { access_token: TOKEN, conversion_rule_id: '104012' },
    responses: [{ status: 201, body: null }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'linkedin-version': '202601', 'x-restli-protocol-version': '2.0.0' },
          body: {
            conversion: 'urn:lla:llaPartnerConversion:104012',
            conversionHappenedAt: 1767323045678,
            eventId: '0190a1b2-0000-7000-8000-000000000501',
            user: {
              userIds: [
                { idType: 'SHA256_EMAIL', idValue: sha('mike@example.com') },
                { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'df5gf5-gh6t7-ph4j7h-fgf6n1' },
              ],
              userInfo: { firstName: 'Mike', lastName: 'Smith', companyName: 'Acme' },
            },
            conversionValue: { currencyCode: 'EUR', amount: '1500' },
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'makes no request when the person cannot be matched',
    event: { event: 'purchase', distinct_id: 'user-42' },
    person: { id: 'p-1', properties: { first_name: 'Mike' } },
    inputs: { access_token: TOKEN, conversion_rule_id: '104012' },
    expect: { requests: [] },
  },
  {
    name: 'fails clearly on LinkedIn’s error answer',
    event: purchase,
    person,
    inputs: { access_token: TOKEN, conversion_rule_id: '104012' },
    responses: [{ status: 400, body: { status: 400, code: 'INVALID_CONVERSION_RULE', message: 'Conversion rule 104012 is not a CONVERSIONS_API rule' } }],
    expect: {
      status: 'failed',
      error: 'LinkedIn API error (status 400): Conversion rule 104012 is not a CONVERSIONS_API rule (INVALID_CONVERSION_RULE)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events other than purchase by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    person,
    inputs: { access_token: TOKEN, conversion_rule_id: '104012' },
    expect: { status: 'skipped', requests: [] },
  },
];
