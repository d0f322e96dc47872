import type { TemplateFixture } from '../types.js';

/** AWS's documentation example credentials. */
export const ACCESS_KEY_ID = 'AKIDEXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

const credentials = { aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET };

const purchase = { event: 'purchase', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000101' };

/** The exact body: the hash in the signature covers these bytes. */
export const SIGNED_BODY = JSON.stringify({
  StreamName: 'events',
  PartitionKey: '0190a1b2-0000-7000-8000-000000000101',
  Data: Buffer.from(JSON.stringify({ event: 'purchase', distinct_id: 'user-42' })).toString('base64'),
});

/** The inputs PostHog's template tests use (a region name that is not real, the stream given by ARN). */
const phInputs = {
  aws_access_key_id: 'aws_access_key_id',
  aws_secret_access_key: 'aws_secret_access_key',
  aws_region: 'aws_region',
  aws_kinesis_stream_name: 'aws_kinesis_stream_arn',
  aws_kinesis_partition_key: '1',
  payload: { hello: 'world' },
};
const phEvent = { event: 'event-name', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: puts the record',
    posthog: true,
    event: phEvent,
    person: phPerson,
    now: '2024-01-01T00:00:00.000Z',
    inputs: phInputs,
    responses: [{ status: 200, body: {} }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://kinesis.aws_region.amazonaws.com',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'Kinesis_20131202.PutRecord',
            'x-amz-date': '20240101T000000Z',
            authorization:
              'AWS4-HMAC-SHA256 Credential=aws_access_key_id/20240101/aws_region/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=59a22fea46e443f62d7e5097dd926e21f475681661cbe5e2ff382c32ac3eb967',
          },
          body: '{"StreamName":"aws_kinesis_stream_arn","PartitionKey":"1","Data":"eyJoZWxsbyI6IndvcmxkIn0="}',
        },
      ],
      logsMustNotContain: ['aws_secret_access_key'],
    },
  },
  {
    name: 'PostHog: generates a partition key when none is given',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, aws_kinesis_partition_key: null },
    // The key is a random UUID, so only the request line is compared.
    expect: { requests: [{ method: 'POST', url: 'https://kinesis.aws_region.amazonaws.com' }] },
  },
  {
    name: 'PostHog: errors on a non-2xx response',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 403, body: { message: 'denied' } }],
    expect: { status: 'failed', error: 'AWS Kinesis API error (status 403): denied', requests: [{ method: 'POST', url: 'https://kinesis.aws_region.amazonaws.com' }] },
  },
  {
    name: 'puts the record with an exact SigV4 Authorization header',
    event: purchase,
    now: '2026-01-02T03:04:05.000Z',
    inputs: {
      ...credentials,
      aws_region: 'eu-west-1',
      aws_kinesis_stream_name: 'events',
      payload: { event: '{event.event}', distinct_id: '{event.distinct_id}' },
    },
    responses: [{ status: 200, body: { SequenceNumber: '49590338271490256608559692538361571095921575989136588898', ShardId: 'shardId-000000000000' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://kinesis.eu-west-1.amazonaws.com',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-date': '20260102T030405Z',
            'x-amz-target': 'Kinesis_20131202.PutRecord',
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/eu-west-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=8797f776f0f977fafe36cca4690cb930c340a1bc59b13b3c4913d52a24eb3194',
          },
          body: SIGNED_BODY,
        },
      ],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails clearly when the stream does not exist',
    event: purchase,
    inputs: { ...credentials, aws_kinesis_stream_name: 'nope', payload: { event: '{event.event}' } },
    responses: [{ status: 400, body: { __type: 'ResourceNotFoundException', message: 'Stream nope under account 123456789012 not found.' } }],
    expect: {
      status: 'failed',
      error: 'AWS Kinesis API error (status 400): ResourceNotFoundException: Stream nope under account 123456789012 not found.',
      requests: [{ method: 'POST', url: 'https://kinesis.us-east-1.amazonaws.com' }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails clearly on a bad signature',
    event: purchase,
    inputs: { ...credentials, aws_kinesis_stream_name: 'events', payload: { event: '{event.event}' } },
    responses: [{ status: 403, body: { __type: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided.' } }],
    expect: { status: 'failed', error: 'AWS Kinesis API error (status 403): InvalidSignatureException', requests: [{ method: 'POST', url: 'https://kinesis.us-east-1.amazonaws.com' }], logsMustNotContain: [SECRET] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { ...credentials, aws_kinesis_stream_name: 'events' },
    expect: { status: 'skipped', requests: [] },
  },
];
