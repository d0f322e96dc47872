import type { TemplateFixture } from '../types.js';

const TOKEN = 'github_pat_11AAAAAAA0abcdefghijklmnop';
const URL = 'https://api.github.com/repos/acme/web/issues';
const HEADERS = {
  authorization: `Bearer ${TOKEN}`,
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'Sluice',
  'content-type': 'application/json',
};

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000801',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $exception_type: 'RangeError', $exception_message: 'Invalid array length' },
};

const created = { number: 17, html_url: 'https://github.com/acme/web/issues/17', title: 'RangeError: Invalid array length' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates an issue with the token as a bearer credential',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { github_token: TOKEN, repository: 'acme/web', body: 'Seen on {event.properties.$exception_type}', labels: ['bug', 'sluice'] },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: HEADERS,
          body: { title: 'RangeError: Invalid array length', body: 'Seen on RangeError', labels: ['bug', 'sluice'] },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'renders the default title and body and leaves labels out when none are set',
    event: { ...exception, properties: {} },
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { github_token: TOKEN, repository: 'acme/web' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            title: '$exception: max@example.com',
            body: '**$exception** by [max@example.com](http://localhost:8040/projects/1/persons/p-1) at 2026-01-02T03:04:05.000Z\n\n[View the event](http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000801)',
          },
        },
      ],
    },
  },
  {
    name: 'fails with GitHub\'s message when the repository is not found',
    event: exception,
    inputs: { github_token: TOKEN, repository: 'acme/web' },
    responses: [{ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue' } }],
    expect: { status: 'failed', error: 'GitHub API error (status 404): Not Found', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'fails before fetching when the repository is not owner/repo',
    event: exception,
    inputs: { github_token: TOKEN, repository: 'web' },
    expect: { status: 'failed', error: 'GitHub repository must be given as owner/repo', requests: [] },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { github_token: TOKEN, repository: 'acme/web' },
    expect: { status: 'skipped', requests: [] },
  },
];
