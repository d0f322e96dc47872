import type { TemplateDefinition } from '../types.js';

/** Languages WhatsApp message templates can be approved in: [code, name]. */
const TEMPLATE_LANGUAGES: [string, string][] = [
  ['af', 'Afrikaans'], ['sq', 'Albanian'], ['ar', 'Arabic'], ['az', 'Azerbaijani'], ['bn', 'Bengali'], ['bg', 'Bulgarian'],
  ['ca', 'Catalan'], ['zh_CN', 'Chinese (China)'], ['zh_HK', 'Chinese (Hong Kong)'], ['zh_TW', 'Chinese (Taiwan)'],
  ['hr', 'Croatian'], ['cs', 'Czech'], ['da', 'Danish'], ['nl', 'Dutch'], ['en', 'English'], ['en_GB', 'English (UK)'],
  ['en_US', 'English (US)'], ['et', 'Estonian'], ['fil', 'Filipino'], ['fi', 'Finnish'], ['fr', 'French'], ['ka', 'Georgian'],
  ['de', 'German'], ['el', 'Greek'], ['gu', 'Gujarati'], ['ha', 'Hausa'], ['he', 'Hebrew'], ['hi', 'Hindi'], ['hu', 'Hungarian'],
  ['id', 'Indonesian'], ['ga', 'Irish'], ['it', 'Italian'], ['ja', 'Japanese'], ['kn', 'Kannada'], ['kk', 'Kazakh'],
  ['rw_RW', 'Kinyarwanda'], ['ko', 'Korean'], ['ky_KG', 'Kyrgyz'], ['lo', 'Lao'], ['lv', 'Latvian'], ['lt', 'Lithuanian'],
  ['mk', 'Macedonian'], ['ms', 'Malay'], ['ml', 'Malayalam'], ['mr', 'Marathi'], ['nb', 'Norwegian'], ['fa', 'Persian'],
  ['pl', 'Polish'], ['pt_BR', 'Portuguese (Brazil)'], ['pt_PT', 'Portuguese (Portugal)'], ['pa', 'Punjabi'], ['ro', 'Romanian'],
  ['ru', 'Russian'], ['sr', 'Serbian'], ['sk', 'Slovak'], ['sl', 'Slovenian'], ['es', 'Spanish'], ['es_AR', 'Spanish (Argentina)'],
  ['es_ES', 'Spanish (Spain)'], ['es_MX', 'Spanish (Mexico)'], ['sw', 'Swahili'], ['sv', 'Swedish'], ['ta', 'Tamil'], ['te', 'Telugu'],
  ['th', 'Thai'], ['tr', 'Turkish'], ['uk', 'Ukrainian'], ['ur', 'Urdu'], ['uz', 'Uzbek'], ['vi', 'Vietnamese'], ['zu', 'Zulu'],
];

/**
 * WhatsApp Cloud API (`POST https://graph.facebook.com/{version}/{phone-number-id}/messages`, bearer
 * token). Sends a text message, which WhatsApp only delivers within 24 hours of the user's last message,
 * or a pre-approved template message, which may start a conversation.
 */
export const template: TemplateDefinition = {
  id: 'template-whatsapp',
  name: 'WhatsApp',
  description: 'Send a WhatsApp message (text, or a pre-approved template) through the WhatsApp Cloud API.',
  category: ['Messaging'],
  status: 'beta',
  icon_url: '/static/icons/whatsapp.svg',
  hog: `let to := trim(toString(inputs.to_number ?? ''))
if (empty(to)) {
  throw Error('WhatsApp: the recipient phone number is empty')
}
if (empty(inputs.phone_number_id)) {
  throw Error('WhatsApp: the phone number ID is empty')
}
if (empty(inputs.access_token)) {
  throw Error('WhatsApp: the access token is empty')
}

let message := {'messaging_product': 'whatsapp', 'recipient_type': 'individual', 'to': to}
if (inputs.message_type = 'template') {
  if (empty(inputs.template_name)) {
    throw Error('WhatsApp: a template message needs a template name')
  }
  message.type := 'template'
  message.template := {'name': inputs.template_name, 'language': {'code': notEmpty(inputs.template_language) ? inputs.template_language : 'af'}}
} else {
  if (empty(inputs.message)) {
    throw Error('WhatsApp: a text message needs a message body')
  }
  message.type := 'text'
  message.text := {'preview_url': false, 'body': inputs.message}
}

let version := notEmpty(inputs.api_version) ? trim(inputs.api_version) : 'v21.0'
let url := f'https://graph.facebook.com/{version}/{inputs.phone_number_id}/messages'
if (inputs.debug) {
  print(f'WhatsApp request to {url}: {jsonStringify(message)}')
}

let res := fetch(url, {
  'method': 'POST',
  'headers': {'Authorization': f'Bearer {inputs.access_token}', 'Content-Type': 'application/json'},
  'body': message
})

if (res.status < 200 or res.status >= 300) {
  let detail := typeof(res.body) = 'object' ? (res.body.error.message ?? jsonStringify(res.body)) : res.body
  throw Error(f'WhatsApp API error (status {res.status}): {detail}')
}
if (inputs.debug) {
  print(f'WhatsApp answer (status {res.status}): {jsonStringify(res.body)}')
}
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description: 'A WhatsApp Cloud API access token (Meta for Developers → your app; a system user token for production).',
      secret: true,
      required: true,
    },
    {
      key: 'phone_number_id',
      type: 'string',
      label: 'Phone number ID',
      description: 'The id of the sending number of your WhatsApp Business account (WhatsApp Manager → Phone numbers).',
      secret: false,
      required: true,
    },
    { key: 'api_version', type: 'string', label: 'Graph API version', description: 'Empty means v21.0.', default: 'v21.0', secret: false, required: false },
    {
      key: 'to_number',
      type: 'string',
      label: 'Recipient phone number',
      description: 'In E.164 format, e.g. +1234567890.',
      default: '{person.properties.phone}',
      secret: false,
      required: true,
    },
    {
      key: 'message_type',
      type: 'choice',
      label: 'Message type',
      description: 'Text is only delivered within 24 hours of the user’s last message; a template message can start a conversation.',
      choices: [
        { label: 'Text', value: 'text' },
        { label: 'Template', value: 'template' },
      ],
      default: 'text',
      secret: false,
      required: true,
    },
    {
      key: 'message',
      type: 'string',
      label: 'Message',
      description: 'Text messages: the body, up to 4096 characters.',
      default: 'PostHog event {event.event} was triggered',
      secret: false,
      required: false,
    },
    {
      key: 'template_name',
      type: 'string',
      label: 'Template name',
      description: 'Template messages: the name of the approved template.',
      secret: false,
      required: false,
    },
    {
      key: 'template_language',
      type: 'choice',
      label: 'Template language',
      description: 'Template messages: the language the template was approved in.',
      default: 'af',
      choices: TEMPLATE_LANGUAGES.map(([value, name]) => ({ value, label: `${name} (${value})` })),
      secret: false,
      required: false,
    },
    { key: 'debug', type: 'boolean', label: 'Log messages', description: 'Log each message and WhatsApp’s answer.', default: false, secret: false, required: false },
  ],
  filters: {
    events: [{ id: 'signed_up', name: 'signed_up', type: 'events' }],
  },
};
