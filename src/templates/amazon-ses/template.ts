import { SIGV4_HOG } from '../sigv4-hog.js';
import type { TemplateDefinition } from '../types.js';

/**
 * Amazon SES v2 `SendEmail` (`POST /v2/email/outbound-emails`) with a simple (subject + body) message,
 * signed with AWS Signature Version 4 in Hog (`../sigv4-hog.ts`, service `ses`). The JSON body is sent
 * as the exact string whose hash is signed. SES answers errors as `{message}` with the error type in
 * the `x-amzn-ErrorType` header.
 */
export const template: TemplateDefinition = {
  id: 'template-amazon-ses',
  name: 'Amazon SES',
  description:
    'Send a transactional email through Amazon SES (API v2 SendEmail, SigV4-signed; one request per event). Events whose recipient is empty are skipped with a log line.',
  category: ['Email'],
  status: 'beta',
  icon_url: '/static/icons/amazon-ses.svg',
  hog: `${SIGV4_HOG}
let to := trim(toString(inputs.email.to ?? ''))
if (empty(to)) {
  print('No recipient: skipping the Amazon SES email')
  return
}
if (empty(inputs.email.from)) {
  throw Error('Amazon SES: the sender (from) is empty; use an address on a verified identity')
}

let content := {}
if (notEmpty(inputs.email.text)) {
  content['Text'] := {'Data': inputs.email.text, 'Charset': 'UTF-8'}
}
if (notEmpty(inputs.email.html)) {
  content['Html'] := {'Data': inputs.email.html, 'Charset': 'UTF-8'}
}
if (empty(content)) {
  throw Error('Amazon SES: the email has neither a text nor an HTML body')
}

let message := {
  'FromEmailAddress': inputs.email.from,
  'Destination': {'ToAddresses': [to]},
  'Content': {'Simple': {'Subject': {'Data': inputs.email.subject ?? '', 'Charset': 'UTF-8'}, 'Body': content}}
}
if (notEmpty(inputs.reply_to)) {
  message['ReplyToAddresses'] := [trim(toString(inputs.reply_to))]
}
if (notEmpty(inputs.configuration_set)) {
  message['ConfigurationSetName'] := inputs.configuration_set
}

let region := trim(toString(inputs.aws_region ?? ''))
if (empty(region)) {
  region := 'us-east-1'
}
let host := f'email.{region}.amazonaws.com'
let path := '/v2/email/outbound-emails'
let body := jsonStringify(message)
let headers := awsSigV4Headers({
  'method': 'POST',
  'host': host,
  'path': path,
  'query': '',
  'headers': {'Content-Type': 'application/json'},
  'payloadHash': sha256Hex(body),
  'region': region,
  'service': 'ses',
  'accessKeyId': trim(toString(inputs.aws_access_key_id)),
  'secretAccessKey': inputs.aws_secret_access_key
})

let res := fetch(f'https://{host}{path}', {'method': 'POST', 'headers': headers, 'body': body})

if (res.status < 200 or res.status >= 300) {
  let kind := res.headers['x-amzn-errortype']
  let detail := typeof(res.body) = 'object' ? (res.body.message ?? res.body.Message ?? jsonStringify(res.body)) : res.body
  if (notEmpty(kind)) {
    detail := f'{splitByString(':', kind)[1]}: {detail}'
  }
  throw Error(f'Amazon SES error (status {res.status}): {detail}')
}
print(f'Amazon SES accepted the email to {to}: {res.body.MessageId}')
`,
  inputs_schema: [
    { key: 'aws_access_key_id', type: 'string', label: 'Access key ID', secret: false, templating: false, required: true },
    {
      key: 'aws_secret_access_key',
      type: 'string',
      label: 'Secret access key',
      description: 'Of an IAM user allowed ses:SendEmail on the sending identity.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'aws_region', type: 'string', label: 'Region', description: 'Where the sending identity is verified.', default: 'us-east-1', templating: false, required: true },
    {
      key: 'email',
      type: 'email',
      label: 'Email',
      description: 'From must be on an identity verified in SES (and, in the SES sandbox, so must the recipient). HTML or text body (or both).',
      default: { to: '{person.properties.email}', from: '', subject: '', html: '', text: '' },
      secret: false,
      required: true,
    },
    { key: 'reply_to', type: 'string', label: 'Reply-to', description: 'Optional reply-to address.', required: false },
    {
      key: 'configuration_set',
      type: 'string',
      label: 'Configuration set',
      description: 'Optional SES configuration set, for event publishing (opens, bounces, …).',
      templating: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
