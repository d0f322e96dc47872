import type { TemplateDefinition } from '../types.js';

/**
 * Kudosity SMS (`POST https://api.transmitmessage.com/v2/sms`, key in `x-api-key`). Meant for alerts:
 * by default it runs on PostHog-style insight alert events and fills the text from their properties.
 * An empty recipient or message is logged and skipped; optional fields are left out rather than sent
 * empty.
 */
export const template: TemplateDefinition = {
  id: 'template-kudosity-sms',
  name: 'Kudosity SMS',
  description:
    'Send an SMS through Kudosity when an event arrives, e.g. an alert crossing its threshold. Events with no recipient or no text are skipped with a log line.',
  category: ['SMS & Push', 'Alerts'],
  status: 'beta',
  icon_url: '/static/icons/kudosity-sms.svg',
  hog: `let recipient := trim(toString(inputs.recipient ?? ''))
if (empty(recipient)) {
  print('Kudosity: no recipient phone number, so no SMS is sent')
  return
}
if (empty(inputs.message)) {
  print('Kudosity: the message is empty, so no SMS is sent')
  return
}

let sms := {'message': inputs.message, 'sender': inputs.sender, 'recipient': recipient}
if (notEmpty(inputs.message_ref)) {
  sms['message_ref'] := inputs.message_ref
}
if (inputs.track_links) {
  sms['track_links'] := true
}
if (inputs.debug) {
  print(f'Kudosity: sending to {recipient} from {inputs.sender}: {inputs.message}')
}

let res := fetch('https://api.transmitmessage.com/v2/sms', {
  'method': 'POST',
  'headers': {'x-api-key': inputs.api_key, 'Content-Type': 'application/json'},
  'body': sms
})

if (res.status >= 400) {
  let detail := typeof(res.body) = 'object' ? jsonStringify(res.body) : res.body
  throw Error(f'Kudosity API error (status {res.status}): {detail}')
}
if (inputs.debug) {
  print(f'Kudosity accepted the SMS (status {res.status}): {jsonStringify(res.body)}')
}
`,
  inputs_schema: [
    {
      key: 'api_key',
      type: 'string',
      label: 'API key',
      description: 'A Kudosity API key (Settings → API Keys).',
      secret: true,
      required: true,
      secret_headers: ['x-api-key'],
    },
    {
      key: 'sender',
      type: 'string',
      label: 'Sender',
      description: 'An approved sender number in E.164 format, or an approved alphanumeric id of up to 11 characters.',
      default: '61XXXXXXXXX',
      secret: false,
      required: true,
    },
    {
      key: 'recipient',
      type: 'string',
      label: 'Recipient',
      description: 'Phone number in E.164 format, fixed or from the event, e.g. {person.properties.phone}.',
      default: '',
      secret: false,
      required: true,
    },
    {
      key: 'message',
      type: 'string',
      label: 'Message',
      description: 'The SMS text; longer than 160 characters is sent as several parts.',
      default: '🚨 Alert: {event.properties.insight_name} is {event.properties.current_value} (threshold: {event.properties.threshold_value})',
      secret: false,
      required: true,
    },
    {
      key: 'message_ref',
      type: 'string',
      label: 'Message reference',
      description: 'Optional id (up to 500 characters) to find the message in Kudosity’s delivery reports.',
      default: 'alert_{event.properties.alert_id}',
      secret: false,
      required: false,
    },
    {
      key: 'track_links',
      type: 'boolean',
      label: 'Track links',
      description: 'Let Kudosity shorten and track links in the text.',
      default: false,
      secret: false,
      required: false,
    },
    {
      key: 'debug',
      type: 'boolean',
      label: 'Log messages',
      description: 'Log each SMS and Kudosity’s answer, for troubleshooting.',
      default: false,
      secret: false,
      required: false,
    },
  ],
  filters: {
    events: [{ id: '$insight_alert_firing', name: '$insight_alert_firing', type: 'events' }],
  },
};
