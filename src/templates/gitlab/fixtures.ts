import type { TemplateFixture } from '../types.js';

const TOKEN = 'glpat-0123456789abcdefghij';

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000901',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $exception_types: ['KeyError'], $exception_values: ["'plan'"] },
};
const EVENT_URL = 'http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000901';

const created = { id: 901, iid: 12, web_url: 'https://gitlab.example.com/acme/web/-/issues/12' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates an issue on a self-managed instance with an encoded project path and labels',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { gitlab_url: 'https://gitlab.example.com/', access_token: TOKEN, project: 'acme/web', labels: ['bug', 'prod'] },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://gitlab.example.com/api/v4/projects/acme%2Fweb/issues',
          headers: { 'private-token': TOKEN, 'content-type': 'application/json' },
          body: { title: 'KeyError', description: `'plan'\n\n[View the event](${EVENT_URL})`, labels: 'bug,prod' },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'takes a connected project as PostHog stores it and links to the PostHog issue',
    event: { ...exception, properties: { ...exception.properties, $exception_issue_id: 'issue-uuid' } },
    inputs: { gitlab_project: { hostname: 'https://gitlab.com', project_id: 278964, access_token: TOKEN }, title: 'TypeError', description: 'Something broke' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://gitlab.com/api/v4/projects/278964/issues',
          headers: { 'private-token': TOKEN, 'content-type': 'application/json' },
          body: { title: 'TypeError', description: 'Something broke\n\n[View in PostHog](http://localhost:8040/projects/1/error_tracking/issue-uuid)' },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'defaults to gitlab.com and falls back to the event name for the title',
    event: { ...exception, properties: {} },
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { access_token: TOKEN, project: '278964', description: 'Seen by {person.name}' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [{ method: 'POST', url: 'https://gitlab.com/api/v4/projects/278964/issues', body: { title: '$exception', description: `Seen by max@example.com\n\n[View the event](${EVENT_URL})` } }],
    },
  },
  {
    name: 'fails before fetching without a project or token',
    event: exception,
    inputs: { access_token: TOKEN },
    expect: { status: 'failed', error: 'GitLab: set the project and an access token, or a connected project (gitlab_project)', requests: [], logsMustNotContain: [TOKEN] },
  },
  {
    name: "fails with GitLab's message when the token is refused",
    event: exception,
    inputs: { access_token: TOKEN, project: 'acme/web' },
    responses: [{ status: 401, body: { message: '401 Unauthorized' } }],
    expect: {
      status: 'failed',
      error: 'GitLab API error (status 401): 401 Unauthorized',
      requests: [{ method: 'POST', url: 'https://gitlab.com/api/v4/projects/acme%2Fweb/issues' }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { access_token: TOKEN, project: 'acme/web' },
    expect: { status: 'skipped', requests: [] },
  },
];
