import type { TransformationFixture } from '../types.js';

const human = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

export const fixtures: TransformationFixture[] = [
  {
    name: 'drops an event sent by a crawler',
    event: { event: '$pageview', properties: { $raw_user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' } },
    inputs: {},
    expect: { dropped: true },
  },
  {
    name: 'drops a headless browser, whatever the case',
    event: { event: '$pageview', properties: { $raw_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36' } },
    inputs: {},
    expect: { dropped: true },
  },
  {
    name: 'keeps a person\'s browser as it is',
    event: { event: '$pageview', properties: { $raw_user_agent: human } },
    inputs: {},
    expect: { event: { properties: { $raw_user_agent: human } }, result: 'skipped_by_filter' },
  },
  {
    name: 'keeps an event without a user agent (a server SDK)',
    event: { event: 'order placed', properties: { total: 12 } },
    inputs: {},
    expect: { event: { properties: { total: 12 } }, result: 'skipped_by_filter' },
  },
  {
    name: 'with filters on the email domain: drops internal users',
    event: { event: 'signed up', distinct_id: 'u-1', properties: { email: 'ann@ourcompany.com' } },
    filters: { properties: [{ key: 'email', type: 'event', operator: 'icontains', value: '@ourcompany.com' }] },
    inputs: {},
    expect: { dropped: true },
  },
  {
    name: 'with filters on the email domain: keeps customers',
    event: { event: 'signed up', distinct_id: 'u-2', properties: { email: 'bob@customer.io' } },
    filters: { properties: [{ key: 'email', type: 'event', operator: 'icontains', value: '@ourcompany.com' }] },
    inputs: {},
    expect: { event: { properties: { email: 'bob@customer.io' } }, result: 'skipped_by_filter' },
  },
  {
    name: 'with filters on distinct ids: drops the listed test accounts',
    event: { event: '$pageview', distinct_id: 'qa-bot-1', properties: {} },
    filters: { hog: "distinct_id in ['qa-bot-1', 'qa-bot-2']" },
    inputs: {},
    expect: { dropped: true },
  },
];
