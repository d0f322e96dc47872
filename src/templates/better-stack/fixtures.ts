import type { TemplateFixture } from '../types.js';

const TOKEN = 'sluiceBetterStackToken4kQ9';
const URL = 'https://uptime.betterstack.com/api/v2/incidents';
const UUID = '0190a1b2-0000-7000-8000-000000000107';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const exception = {
  event: '$exception',
  distinct_id: 'u1',
  uuid: UUID,
  properties: { $exception_message: 'Error: payment gateway timeout', $current_url: 'https://app.example.com/pay' },
};
const person = { id: 'p1', properties: { email: 'ola@example.com' } };
const base = { api_token: TOKEN, requester_email: 'oncall@example.com' };
const created = { data: { id: '12345', type: 'incident', attributes: { name: 'Sluice: $exception', status: 'Started' } } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'opens an incident alerting by email and push',
    event: exception,
    person,
    inputs: base,
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            summary: 'Error: payment gateway timeout',
            requester_email: 'oncall@example.com',
            email: true,
            push: true,
            sms: false,
            call: false,
            critical_alert: false,
            name: 'Sluice: $exception',
            description: `$exception by ola@example.com on https://app.example.com/pay\nhttp://localhost:8040/projects/1/events/${UUID}`,
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'calls and texts with a critical alert under an escalation policy',
    event: exception,
    person,
    inputs: { ...base, name: '', description: '', alert_sms: true, alert_call: true, critical_alert: true, policy_id: '4242' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers,
          body: {
            summary: 'Error: payment gateway timeout',
            requester_email: 'oncall@example.com',
            email: true,
            push: true,
            sms: true,
            call: true,
            critical_alert: true,
            policy_id: '4242',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly with field errors',
    event: exception,
    person,
    inputs: { ...base, requester_email: 'not-a-member@example.com' },
    responses: [{ status: 422, body: { errors: { requester_email: ['is not a member of the team'] } } }],
    expect: {
      status: 'failed',
      error: 'Better Stack API error (status 422): requester_email is not a member of the team',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when the token is rejected',
    event: exception,
    person,
    inputs: base,
    responses: [{ status: 401, body: { errors: 'Invalid Team API token. How to find your Team API token: …' } }],
    expect: {
      status: 'failed',
      error: 'Better Stack API error (status 401): Invalid Team API token.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails before sending when the summary renders empty',
    event: exception,
    person,
    inputs: { ...base, summary: '{event.properties.nothing_here}' },
    expect: { status: 'failed', error: 'Better Stack: the incident summary is empty', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...exception, event: '$pageview' },
    person,
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
