import { createHmac } from 'node:crypto';
import type { SourceFixture } from '../types.js';

const SECRET = 'github-fixture-secret';
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

// Written from the documented fields of an `issues` event: action, issue, repository.full_name, sender.login.
const ISSUE_OPENED = JSON.stringify({
  action: 'opened',
  issue: { number: 7, title: 'Fixture issue' },
  repository: { id: 1, full_name: 'octo-org/fixture-repo' },
  organization: { login: 'octo-org' },
  sender: { login: 'octocat-fixture' },
});

const headers = (event: string) => ({ 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': 'delivery-0001' });

export const fixtures: SourceFixture[] = [
  {
    name: 'captures a signed issues event for its sender',
    inputs: { webhook_secret: SECRET },
    request: { headers: headers('issues'), body: ISSUE_OPENED },
    sign: (inputs, body) => ({ 'x-hub-signature-256': sign(String(inputs.webhook_secret), body) }),
    expect: {
      status: 200,
      body: { status: 'ok' },
      events: [
        {
          event: 'github issues',
          distinct_id: 'octocat-fixture',
          properties: { action: 'opened', repository: 'octo-org/fixture-repo', organization: 'octo-org', sender: 'octocat-fixture', github_delivery: 'delivery-0001' },
        },
      ],
    },
  },
  {
    name: 'answers the ping without an event',
    inputs: { webhook_secret: SECRET },
    request: { headers: headers('ping'), body: JSON.stringify({ zen: 'Fixture zen.', hook_id: 1 }) },
    sign: (inputs, body) => ({ 'x-hub-signature-256': sign(String(inputs.webhook_secret), body) }),
    expect: { status: 200, body: { status: 'pong' }, events: [] },
  },
  {
    name: 'refuses a wrong signature',
    inputs: { webhook_secret: SECRET },
    request: { headers: headers('issues'), body: ISSUE_OPENED },
    sign: (_inputs, body) => ({ 'x-hub-signature-256': sign('another-secret', body) }),
    expect: { status: 401, body: { error: 'invalid signature' }, events: [] },
  },
];
