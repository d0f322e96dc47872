import { createHash, createHmac } from 'node:crypto';
import type { TemplateFixture } from '../types.js';

/** Example credentials in AWS's documented format (not a real key). */
export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * An independent SigV4 signer on node:crypto, written from the algorithm rather than from the Hog code,
 * so the fixtures check the template's signature instead of echoing it.
 */
export function sigV4Authorization(req: {
  method: string;
  host: string;
  path: string;
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  service: string;
  now: string;
}): string {
  const amzDate = new Date(req.now).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const dateStamp = amzDate.slice(0, 8);
  const all: Record<string, string> = { host: req.host, 'x-amz-date': amzDate };
  for (const [name, value] of Object.entries(req.headers)) all[name.toLowerCase()] = value.trim();
  const names = Object.keys(all).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [req.method, req.path, '', names.map((n) => `${n}:${all[n]}\n`).join(''), signedHeaders, req.payloadHash].join('\n');
  const scope = `${dateStamp}/${req.region}/${req.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${SECRET}`).update(dateStamp).digest();
  for (const part of [req.region, req.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

const NOW = '2026-01-02T03:04:05.000Z';
const AMZ_DATE = '20260102T030405Z';
const credentials = { aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET };
const pageview = { event: '$pageview', distinct_id: 'user-42', uuid: '0190a1b2-0000-7000-8000-000000000201', properties: { $current_url: 'https://example.com/' } };
const payload = { event: '{event.event}', distinct_id: '{event.distinct_id}', url: '{event.properties.$current_url}' };
/** The exact object content: the signature covers its hash. */
const BODY = JSON.stringify({ event: '$pageview', distinct_id: 'user-42', url: 'https://example.com/' });
const BODY_HASH = sha256Hex(BODY);

function expectedPut(scheme: 'http' | 'https', host: string, path: string, region: string) {
  const headers = { 'Content-Type': 'application/json', 'x-amz-content-sha256': BODY_HASH };
  return {
    method: 'PUT',
    url: `${scheme}://${host}${path}`,
    headers: {
      'content-type': 'application/json',
      'x-amz-content-sha256': BODY_HASH,
      'x-amz-date': AMZ_DATE,
      authorization: sigV4Authorization({ method: 'PUT', host, path, headers, payloadHash: BODY_HASH, region, service: 's3', now: NOW }),
    },
    body: BODY,
  };
}

export const fixtures: TemplateFixture[] = [
  {
    name: 'puts the object on AWS (virtual-hosted) with an exact SigV4 signature; the key is URI-encoded',
    event: pageview,
    now: NOW,
    inputs: { ...credentials, aws_region: 'eu-west-1', bucket: 'my-events', payload },
    responses: [{ status: 200, body: '' }],
    expect: {
      requests: [expectedPut('https', 'my-events.s3.eu-west-1.amazonaws.com', '/%24pageview/0190a1b2-0000-7000-8000-000000000201.json', 'eu-west-1')],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'MinIO: a custom endpoint with a port, path-style, a custom key',
    event: pageview,
    now: NOW,
    inputs: {
      ...credentials,
      bucket: 'events',
      endpoint: 'http://minio:9000/',
      path_style: true,
      object_key: "/raw/{event.distinct_id}/it's (1).json",
      payload,
    },
    expect: {
      requests: [expectedPut('http', 'minio:9000', '/events/raw/user-42/it%27s%20%281%29.json', 'us-east-1')],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'Cloudflare R2: region auto, path-style; an explicit default port is left out of the signed host',
    event: pageview,
    now: NOW,
    inputs: { ...credentials, aws_region: 'auto', bucket: 'events', endpoint: 'https://ACCOUNT123.r2.cloudflarestorage.com:443', path_style: true, payload },
    expect: {
      requests: [expectedPut('https', 'account123.r2.cloudflarestorage.com', '/events/%24pageview/0190a1b2-0000-7000-8000-000000000201.json', 'auto')],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'fails with S3’s error code and message',
    event: pageview,
    now: NOW,
    inputs: { ...credentials, bucket: 'my-events', payload },
    responses: [
      {
        status: 403,
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>',
      },
    ],
    expect: {
      status: 'failed',
      error: 'S3 PutObject to my-events failed with status 403: SignatureDoesNotMatch: The request signature we calculated does not match',
      requests: [{ method: 'PUT', url: 'https://my-events.s3.us-east-1.amazonaws.com/%24pageview/0190a1b2-0000-7000-8000-000000000201.json' }],
      logsMustNotContain: [SECRET],
    },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'user-42' },
    inputs: { ...credentials, bucket: 'my-events' },
    expect: { status: 'skipped', requests: [] },
  },
];
