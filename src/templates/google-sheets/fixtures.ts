import type { TemplateFixture } from '../types.js';

const TOKEN = 'ya29.sheets-access-token';
const BASE = 'https://sheets.googleapis.com/v4/spreadsheets/spreadsheet-id';
const event = { event: 'event-name', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z' };
const headers = { authorization: 'Bearer access-token', 'content-type': 'application/json' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: writes the header row, then appends the event row',
    posthog: true,
    event,
    inputs: { oauth: 'access-token', spreadsheet_id: 'spreadsheet-id' },
    responses: [{ status: 200, body: { status: 'OK' } }, { status: 200, body: { status: 'OK' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${BASE}/values:batchUpdate`,
          headers,
          body: { data: { range: 'Sheet1!A1:A', values: [['timestamp', 'event_name']] }, valueInputOption: 'RAW' },
        },
        {
          method: 'POST',
          url: `${BASE}/values/Sheet1:append?valueInputOption=RAW`,
          headers,
          body: { values: [['2024-01-01T00:00:00Z', 'event-name']] },
        },
      ],
      logsMustNotContain: ['access-token'],
    },
  },
  {
    name: 'PostHog: fails when the header row cannot be written',
    posthog: true,
    event,
    inputs: { oauth: 'access-token', spreadsheet_id: 'spreadsheet-id' },
    responses: [{ status: 400, body: { message: 'Bad Request' } }],
    expect: {
      status: 'failed',
      error: 'Google Sheets API error (status 400) writing the header row',
      requests: [{ method: 'POST', url: `${BASE}/values:batchUpdate` }],
    },
  },
  {
    name: 'quotes and encodes a sheet name with spaces, and parses values as typed',
    event: { event: 'purchase', distinct_id: 'u1', properties: { amount: 49 } },
    inputs: {
      oauth: TOKEN,
      spreadsheet_id: 'spreadsheet-id',
      spreadsheet_name: "Max's Orders",
      data_format: 'USER_ENTERED',
      fields: { user: '{event.distinct_id}', amount: '{event.properties.amount}' },
    },
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${BASE}/values:batchUpdate`,
          body: { data: { range: "'Max''s Orders'!A1:A", values: [['user', 'amount']] }, valueInputOption: 'USER_ENTERED' },
        },
        {
          method: 'POST',
          url: `${BASE}/values/'Max''s%20Orders':append?valueInputOption=USER_ENTERED`,
          body: { values: [['u1', 49]] },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'exchanges the refresh token first (3 fetches)',
    event,
    maxFetches: 3,
    inputs: { spreadsheet_id: 'spreadsheet-id', refresh_token: '1//0sheets-refresh', client_id: 'client.apps.googleusercontent.com', client_secret: 'GOCSPX-sheets-secret' },
    responses: [{ status: 200, body: { access_token: TOKEN, expires_in: 3599 } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://oauth2.googleapis.com/token',
          body: 'grant_type=refresh_token&client_id=client.apps.googleusercontent.com&client_secret=GOCSPX-sheets-secret&refresh_token=1%2F%2F0sheets-refresh',
        },
        { method: 'POST', url: `${BASE}/values:batchUpdate`, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } },
        { method: 'POST', url: `${BASE}/values/Sheet1:append?valueInputOption=RAW`, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } },
      ],
      logsMustNotContain: [TOKEN, '1//0sheets-refresh', 'GOCSPX-sheets-secret'],
    },
  },
  {
    name: 'fails with Google’s message when the row cannot be appended',
    event,
    inputs: { oauth: TOKEN, spreadsheet_id: 'spreadsheet-id' },
    responses: [{ status: 200, body: {} }, { status: 403, body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } } }],
    expect: {
      status: 'failed',
      error: 'Google Sheets API error (status 403) appending the row: The caller does not have permission',
      requests: [
        { method: 'POST', url: `${BASE}/values:batchUpdate` },
        { method: 'POST', url: `${BASE}/values/Sheet1:append?valueInputOption=RAW` },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
];
