import { SIGV4_HOG } from '../sigv4-hog.js';
import type { TemplateDefinition } from '../types.js';

/**
 * S3-compatible object storage: one `PutObject` per event, the JSON payload as the object, signed with
 * AWS Signature Version 4 in Hog (`../sigv4-hog.ts`). The endpoint is AWS by default; MinIO, Cloudflare
 * R2, Backblaze B2, … work with their own endpoint, usually with path-style addressing. The body is sent
 * as the exact string whose hash is signed (`x-amz-content-sha256`).
 */
export const template: TemplateDefinition = {
  id: 'template-s3',
  name: 'Amazon S3 (and S3-compatible)',
  description:
    'Write each event as a JSON object to an S3 bucket, or to MinIO, Cloudflare R2 or any S3-compatible store (PutObject, SigV4-signed).',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/s3.svg',
  hog: `${SIGV4_HOG}
let region := trim(toString(inputs.aws_region ?? ''))
if (empty(region)) {
  region := 'us-east-1'
}
let bucket := trim(toString(inputs.bucket))

let endpoint := replaceAll(trim(toString(inputs.endpoint ?? '')), '{region}', region)
if (empty(endpoint)) {
  endpoint := f'https://s3.{region}.amazonaws.com'
}
let parts := splitByString('://', endpoint)
if (length(parts) != 2 or empty(parts[2])) {
  throw Error(f'S3: the endpoint must look like https://host[:port], got {endpoint}')
}
let scheme := lower(parts[1])
// Only the host (and port) is used: the path is the bucket and the key.
let host := lower(splitByString('/', parts[2])[1])
// The HTTP client leaves a default port out of the Host header, so the signature must too.
if ((scheme = 'https' and host =~ ':443$') or (scheme = 'http' and host =~ ':80$')) {
  host := splitByString(':', host)[1]
}

let key := trim(toString(inputs.object_key ?? ''))
while (startsWith(key, '/')) {
  key := substring(key, 2)
}
if (empty(key)) {
  throw Error('S3: the object key is empty')
}

let path := f'/{awsUriEncode(key, true)}'
if (inputs.path_style) {
  path := f'/{awsUriEncode(bucket, false)}{path}'
} else {
  host := f'{bucket}.{host}'
}

let body := jsonStringify(inputs.payload)
let payloadHash := sha256Hex(body)
let headers := awsSigV4Headers({
  'method': 'PUT',
  'host': host,
  'path': path,
  'query': '',
  'headers': {'Content-Type': 'application/json', 'x-amz-content-sha256': payloadHash},
  'payloadHash': payloadHash,
  'region': region,
  'service': 's3',
  'accessKeyId': trim(toString(inputs.aws_access_key_id)),
  'secretAccessKey': inputs.aws_secret_access_key
})

let res := fetch(f'{scheme}://{host}{path}', {'method': 'PUT', 'headers': headers, 'body': body})

if (res.status < 200 or res.status >= 300) {
  // S3 answers errors as XML: <Error><Code>…</Code><Message>…</Message></Error>.
  let text := typeof(res.body) = 'string' ? res.body : jsonStringify(res.body)
  let code := extractRegex(text, '<Code>([^<]*)</Code>')
  let message := extractRegex(text, '<Message>([^<]*)</Message>')
  if (empty(code) and empty(message)) {
    throw Error(f'S3 PutObject to {bucket} failed with status {res.status}: {substring(text, 1, 300)}')
  }
  throw Error(f'S3 PutObject to {bucket} failed with status {res.status}: {code}: {message}')
}
print(f'Stored s3://{bucket}/{key}')
`,
  inputs_schema: [
    {
      key: 'aws_access_key_id',
      type: 'string',
      label: 'Access key ID',
      secret: false,
      templating: false,
      required: true,
    },
    {
      key: 'aws_secret_access_key',
      type: 'string',
      label: 'Secret access key',
      description: 'Of a key allowed s3:PutObject on the bucket (an R2 or MinIO key for those stores).',
      secret: true,
      templating: false,
      required: true,
    },
    {
      key: 'aws_region',
      type: 'string',
      label: 'Region',
      description: 'The bucket’s region. Cloudflare R2 uses auto; MinIO accepts us-east-1 unless configured otherwise.',
      default: 'us-east-1',
      templating: false,
      required: true,
    },
    { key: 'bucket', type: 'string', label: 'Bucket', templating: false, required: true },
    {
      key: 'endpoint',
      type: 'string',
      label: 'Endpoint',
      description:
        'Scheme and host of the S3 API; {region} is replaced by the region. For MinIO e.g. http://minio:9000 (a private address must be allowed with SLUICE_FETCH_ALLOW_HOSTS), for R2 https://<account-id>.r2.cloudflarestorage.com.',
      default: 'https://s3.{region}.amazonaws.com',
      templating: false,
      required: true,
    },
    {
      key: 'path_style',
      type: 'boolean',
      label: 'Path-style addressing',
      description: 'Address the bucket as endpoint/bucket/key instead of bucket.endpoint/key. Usually needed for MinIO and for bucket names with dots.',
      default: false,
      required: false,
    },
    {
      key: 'object_key',
      type: 'string',
      label: 'Object key',
      description: 'Where each event is written. An existing object with the same key is replaced, so include the event uuid.',
      default: '{event.event}/{event.uuid}.json',
      required: true,
    },
    { key: 'payload', type: 'json', label: 'Object content', default: { event: '{event}', person: '{person}' }, required: true },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
