import type { TransformationFixture } from '../types.js';

const cases: [string, string, Record<string, unknown>][] = [
  [
    'Chrome on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36',
    { $browser: 'Chrome', $browser_version: '120.0.6099.71', $os: 'Windows', $os_version: '10.0', $device_type: 'Desktop' },
  ],
  [
    'Safari on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    { $browser: 'Safari', $browser_version: '17.4.1', $os: 'Mac OS X', $os_version: '10.15.7', $device_type: 'Desktop' },
  ],
  [
    'Mobile Safari on an iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    { $browser: 'Mobile Safari', $browser_version: '17.4', $os: 'iOS', $os_version: '17.4', $device_type: 'Mobile' },
  ],
  [
    'Chrome on an Android phone',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
    { $browser: 'Chrome', $browser_version: '124.0.6367.82', $os: 'Android', $os_version: '14', $device_type: 'Mobile' },
  ],
  [
    'Edge, which also says Chrome',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
    { $browser: 'Microsoft Edge', $browser_version: '124.0.2478.51', $os: 'Windows', $os_version: '10.0', $device_type: 'Desktop' },
  ],
  [
    'Firefox on Linux',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    { $browser: 'Firefox', $browser_version: '125.0', $os: 'Linux', $device_type: 'Desktop' },
  ],
  [
    'Safari on an iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    { $browser: 'Mobile Safari', $browser_version: '16.6', $os: 'iOS', $os_version: '16.6', $device_type: 'Tablet' },
  ],
];

export const fixtures: TransformationFixture[] = [
  ...cases.map(([name, ua, parsed]): TransformationFixture => ({
    name: `parses ${name}`,
    event: { event: '$pageview', properties: { $raw_user_agent: ua } },
    inputs: {},
    expect: { event: { properties: { $raw_user_agent: ua, ...parsed } }, result: 'transformed' },
  })),
  {
    name: 'keeps properties the SDK already set unless told to replace them',
    event: { event: '$pageview', properties: { $raw_user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', $browser: 'Custom' } },
    inputs: {},
    expect: {
      event: { properties: { $raw_user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', $browser: 'Custom', $browser_version: '125.0', $os: 'Linux', $device_type: 'Desktop' } },
    },
  },
  {
    name: 'reads another property and replaces existing values when configured',
    event: { event: 'api call', properties: { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', $browser: 'Custom' } },
    inputs: { user_agent_property: 'ua', overwrite: true },
    expect: {
      event: { properties: { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', $browser: 'Firefox', $browser_version: '125.0', $os: 'Linux', $device_type: 'Desktop' } },
    },
  },
  {
    name: 'leaves an event without a user agent alone',
    event: { event: 'order placed', properties: { total: 3 } },
    inputs: {},
    expect: { event: { properties: { total: 3 } }, result: 'unchanged' },
  },
];
