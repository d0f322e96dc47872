import type { TemplateFixture } from '../types.js';

const SECRET = 'kafka-api-secret-xyz';
const AUTH = `Basic ${Buffer.from(`KEY123:${SECRET}`).toString('base64')}`;
const V3 = 'https://pkc-1.eu-west-1.aws.confluent.cloud:443/v3/clusters/lkc-abc/topics/product-events/records';
const event = { event: 'signed_up', distinct_id: 'user-5', uuid: '0190a1b2-0000-7000-8000-000000000c01', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'pro' } };
const base = { url: 'https://pkc-1.eu-west-1.aws.confluent.cloud:443/', cluster_id: 'lkc-abc', topic: 'product-events', username: 'KEY123', password: SECRET };
const value = { uuid: '0190a1b2-0000-7000-8000-000000000c01', event: 'signed_up', distinct_id: 'user-5', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'pro' }, person_id: 'p-5' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'produces a JSON record keyed by distinct id through the v3 API',
    event,
    person: { id: 'p-5', properties: {} },
    inputs: base,
    responses: [{ status: 200, body: { error_code: 200, cluster_id: 'lkc-abc', topic_name: 'product-events', partition_id: 1, offset: 42 } }],
    expect: {
      requests: [{ method: 'POST', url: V3, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: { value: { type: 'JSON', data: value }, key: { type: 'STRING', data: 'user-5' } } }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'produces through the v2 API of a REST Proxy without credentials',
    event,
    person: { id: 'p-5', properties: {} },
    inputs: { url: 'http://rest-proxy:8082', api_version: 'v2', topic: 'product-events' },
    responses: [{ status: 200, body: { offsets: [{ partition: 0, offset: 7 }] } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'http://rest-proxy:8082/topics/product-events',
          headers: { 'content-type': 'application/vnd.kafka.json.v2+json', accept: 'application/vnd.kafka.v2+json' },
          body: { records: [{ key: 'user-5', value }] },
        },
      ],
    },
  },
  {
    name: 'fails when the record is refused inside a 200 answer',
    event,
    inputs: base,
    responses: [{ status: 200, body: { error_code: 40403, message: 'This server does not host this topic-partition.' } }],
    expect: { status: 'failed', error: 'Kafka REST rejected the record (error 40403): This server does not host this topic-partition.', requests: [{ method: 'POST', url: V3 }] },
  },
  {
    name: 'fails clearly on an HTTP error',
    event,
    inputs: base,
    responses: [{ status: 401, body: { error_code: 401, message: 'Unauthorized' } }],
    expect: { status: 'failed', error: 'Kafka REST error (status 401): Unauthorized', requests: [{ method: 'POST', url: V3 }], logsMustNotContain: [SECRET] },
  },
  {
    name: 'refuses a URL that is not http(s)',
    event,
    inputs: { ...base, url: 'ftp://broker' },
    expect: { status: 'failed', error: 'the URL must be the REST endpoint', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-5' },
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
