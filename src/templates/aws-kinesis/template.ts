import type { TemplateDefinition } from '../types.js';

/**
 * AWS Kinesis Data Streams `PutRecord`, signed with AWS Signature Version 4 entirely in Hog:
 * canonical request → string to sign → HMAC chain from `AWS4<secret>` over date, region, service and
 * `aws4_request` → signature. The body is sent as the exact string that was hashed. Input keys, defaults
 * and the request body follow PostHog's AWS Kinesis template (which leaves the signing to its fetch service).
 */
export const template: TemplateDefinition = {
  id: 'template-aws-kinesis',
  name: 'AWS Kinesis',
  description: 'Put each event as a JSON record into an AWS Kinesis data stream (PutRecord, SigV4-signed).',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/aws-kinesis.svg',
  hog: `let region := trim(inputs.aws_region)
let service := 'kinesis'
let host := f'kinesis.{region}.amazonaws.com'
let target := 'Kinesis_20131202.PutRecord'
let contentType := 'application/x-amz-json-1.1'

let body := jsonStringify({
  'StreamName': inputs.aws_kinesis_stream_name,
  'PartitionKey': inputs.aws_kinesis_partition_key ?? generateUUIDv4(),
  'Data': base64Encode(jsonStringify(inputs.payload))
})

let amzDate := formatDateTime(now(), '%Y%m%dT%H%i%SZ')
let dateStamp := formatDateTime(now(), '%Y%m%d')

let signedHeaders := 'content-type;host;x-amz-date;x-amz-target'
let canonicalHeaders := f'content-type:{contentType}\\nhost:{host}\\nx-amz-date:{amzDate}\\nx-amz-target:{target}\\n'
let canonicalRequest := f'POST\\n/\\n\\n{canonicalHeaders}\\n{signedHeaders}\\n{sha256Hex(body)}'

let scope := f'{dateStamp}/{region}/{service}/aws4_request'
let stringToSign := f'AWS4-HMAC-SHA256\\n{amzDate}\\n{scope}\\n{sha256Hex(canonicalRequest)}'
let signature := sha256HmacChainHex([f'AWS4{inputs.aws_secret_access_key}', dateStamp, region, service, 'aws4_request', stringToSign])

let res := fetch(f'https://{host}', {
  'method': 'POST',
  'headers': {
    'Content-Type': contentType,
    'X-Amz-Date': amzDate,
    'X-Amz-Target': target,
    'Authorization': f'AWS4-HMAC-SHA256 Credential={inputs.aws_access_key_id}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}'
  },
  'body': body
})

if (res.status < 200 or res.status >= 300) {
  let message := res.body.message ?? res.body.Message ?? res.body
  if (notEmpty(res.body.__type)) {
    message := f'{res.body.__type}: {message}'
  }
  throw Error(f'AWS Kinesis API error (status {res.status}): {message}')
}
`,
  inputs_schema: [
    { key: 'aws_access_key_id', type: 'string', label: 'AWS access key ID', secret: true, templating: false, required: true },
    { key: 'aws_secret_access_key', type: 'string', label: 'AWS secret access key', description: 'Of an IAM user allowed kinesis:PutRecord on the stream.', secret: true, templating: false, required: true },
    { key: 'aws_region', type: 'string', label: 'AWS region', default: 'us-east-1', secret: false, required: true },
    { key: 'aws_kinesis_stream_name', type: 'string', label: 'Stream name', secret: false, required: true },
    {
      key: 'aws_kinesis_partition_key',
      type: 'string',
      label: 'Partition key',
      description: 'Records with the same key go to the same shard, in order. Default: the event uuid (spread evenly).',
      default: '{event.uuid}',
      required: false,
    },
    { key: 'payload', type: 'json', label: 'Record payload', description: 'Sent JSON-encoded as the record data.', default: { event: '{event}', person: '{person}' }, required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
