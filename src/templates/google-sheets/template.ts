import type { TemplateDefinition } from '../types.js';

/**
 * Google Sheets API v4: writes the field names as the header row (`values:batchUpdate` on `{sheet}!A1:A`),
 * then appends the field values as a new row (`values/{sheet}:append`). A sheet name other than letters,
 * digits and `_` is quoted as A1 notation requires, and percent-encoded in the URL.
 *
 * PostHog's template takes a Google account through an integration (`oauth`, giving an `access_token`).
 * Sluice has no integration accounts, so `oauth` here is an OAuth access token (a secret string under the
 * same key). Google access tokens last about an hour: for a lasting setup leave `oauth` empty and give a
 * refresh token with its OAuth client; exchanging it is a third fetch, so that path needs
 * `SLUICE_MAX_FETCHES` ≥ 3.
 */
export const template: TemplateDefinition = {
  id: 'template-google-sheets',
  name: 'Google Sheets',
  description:
    'Append a row per event to a Google Sheet, with the field names as its header row. Takes an OAuth access token, or a refresh token with its OAuth client (that path needs SLUICE_MAX_FETCHES ≥ 3).',
  category: ['Custom', 'Productivity'],
  status: 'alpha',
  icon_url: '/static/icons/google-sheets.svg',
  hog: `let accessToken := inputs.oauth
if (empty(accessToken)) {
  if (empty(inputs.refresh_token) or empty(inputs.client_id) or empty(inputs.client_secret)) {
    throw Error('Google Sheets: set an access token, or a refresh token with its OAuth client ID and secret')
  }
  let token := fetch('https://oauth2.googleapis.com/token', {
    'method': 'POST',
    'headers': {'Content-Type': 'application/x-www-form-urlencoded'},
    'body': f'grant_type=refresh_token&client_id={encodeURLComponent(inputs.client_id)}&client_secret={encodeURLComponent(inputs.client_secret)}&refresh_token={encodeURLComponent(inputs.refresh_token)}'
  })
  if (token.status != 200 or empty(token.body.access_token)) {
    throw Error(f'Google OAuth error (status {token.status}): {token.body.error ?? token.body}: {token.body.error_description}')
  }
  accessToken := token.body.access_token
}

fun failure(res, step) {
  let detail := res.body.error.message ?? res.body
  return Error(f'Google Sheets API error (status {res.status}) {step}: {detail}')
}

let sheet := inputs.spreadsheet_name
// A1 notation wants other sheet names in single quotes (a quote inside doubled).
if (not (sheet =~ '^[A-Za-z0-9_]+$')) {
  sheet := '\\'' || replaceAll(sheet, '\\'', '\\'\\'') || '\\''
}
let headers := {
  'Content-Type': 'application/json',
  'Authorization': f'Bearer {accessToken}'
}
let base := f'https://sheets.googleapis.com/v4/spreadsheets/{encodeURLComponent(inputs.spreadsheet_id)}'

let res := fetch(f'{base}/values:batchUpdate', {
  'method': 'POST',
  'headers': headers,
  'body': {
    'data': {'range': f'{sheet}!A1:A', 'values': [keys(inputs.fields)]},
    'valueInputOption': inputs.data_format
  }
})
if (res.status >= 400) {
  throw failure(res, 'writing the header row')
}

res := fetch(f'{base}/values/{encodeURLComponent(sheet)}:append?valueInputOption={inputs.data_format}', {
  'method': 'POST',
  'headers': headers,
  'body': {'values': [values(inputs.fields)]}
})
if (res.status >= 400) {
  throw failure(res, 'appending the row')
}
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'string',
      label: 'OAuth access token',
      description:
        'A token with the https://www.googleapis.com/auth/spreadsheets scope. PostHog takes a connected Google account here; Sluice takes a token. It expires after about an hour: leave this empty and fill in the refresh token and OAuth client below for a lasting setup.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'refresh_token', type: 'string', label: 'OAuth refresh token', description: 'Exchanged for an access token on each invocation when the access token is empty (a third fetch).', secret: true, templating: false, required: false },
    { key: 'client_id', type: 'string', label: 'OAuth client ID', default: '', templating: false, required: false },
    { key: 'client_secret', type: 'string', label: 'OAuth client secret', secret: true, templating: false, required: false },
    {
      key: 'spreadsheet_id',
      type: 'string',
      label: 'Spreadsheet ID',
      description: 'The part of the sheet’s URL between /d/ and /edit.',
      secret: false,
      required: true,
    },
    {
      key: 'spreadsheet_name',
      type: 'string',
      label: 'Sheet (tab) name',
      description: 'The tab the rows go to.',
      default: 'Sheet1',
      secret: false,
      required: true,
    },
    {
      key: 'data_format',
      type: 'choice',
      label: 'Value input',
      description: 'How Google reads the values.',
      choices: [
        { value: 'RAW', label: 'RAW: stored exactly as sent' },
        { value: 'USER_ENTERED', label: 'USER_ENTERED: parsed as if typed (numbers, dates, formulas)' },
      ],
      default: 'RAW',
      secret: false,
      required: false,
    },
    {
      key: 'fields',
      type: 'dictionary',
      label: 'Columns',
      description: 'Column header → value, in column order.',
      default: { timestamp: '{event.timestamp}', event_name: '{event.event}' },
      secret: false,
      required: true,
    },
  ],
};
