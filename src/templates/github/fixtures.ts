import type { TemplateFixture } from '../types.js';

const TOKEN = 'github_pat_11AAAAAAA0abcdefghijklmnop';
const URL = 'https://api.github.com/repos/acme/web/issues';
const headersFor = (token: string) => ({
  authorization: `Bearer ${token}`,
  accept: 'application/vnd.github+json',
  'content-type': 'application/json',
  'user-agent': 'Sluice',
});

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000801',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $exception_types: ['RangeError'], $exception_values: ['Invalid array length'] },
};
const EVENT_URL = 'http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000801';

const created = { number: 17, html_url: 'https://github.com/acme/web/issues/17', title: 'RangeError' };

/** PostHog's template tests; the event is an $exception so our default filter passes. */
const phEvent = { event: '$exception', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = {
  github_installation: { access_token: 'token', account: { name: 'PostHog' } },
  repository: 'posthog',
  title: 'TypeError',
  description: 'Something broke',
  posthog_issue_id: 'issue-uuid',
};
const PH_URL = 'https://api.github.com/repos/PostHog/posthog/issues';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: links via the given PostHog issue URL',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: { ...phInputs, posthog_issue_url: 'https://us.posthog.com/project/1/error_tracking/fingerprint/fp%2F1' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: headersFor('token'),
          body: { title: 'TypeError', body: 'Something broke\n\n[View in PostHog](https://us.posthog.com/project/1/error_tracking/fingerprint/fp%2F1)' },
        },
      ],
    },
  },
  {
    name: 'PostHog: falls back to the issue-id URL without a PostHog issue URL',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: headersFor('token'),
          body: { title: 'TypeError', body: 'Something broke\n\n[View in PostHog](http://localhost:8040/projects/1/error_tracking/issue-uuid)' },
        },
      ],
    },
  },
  {
    name: 'creates an issue with a token, the default title and description, and labels',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { github_token: TOKEN, repository: 'acme/web', labels: ['bug', 'sluice'] },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: headersFor(TOKEN),
          body: { title: 'RangeError', body: `Invalid array length\n\n[View the event](${EVENT_URL})`, labels: ['bug', 'sluice'] },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'falls back to the event name for the title and leaves labels out when none are set',
    event: { ...exception, properties: {} },
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { github_token: TOKEN, repository: 'acme/web', description: 'Seen by {person.name}' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [{ method: 'POST', url: URL, body: { title: '$exception', body: `Seen by max@example.com\n\n[View the event](${EVENT_URL})` } }],
    },
  },
  {
    name: "fails with GitHub's message when the repository is not found",
    event: exception,
    inputs: { github_token: TOKEN, repository: 'acme/web' },
    responses: [{ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue' } }],
    expect: { status: 'failed', error: 'GitHub API error (status 404): Not Found', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'fails before fetching when the repository has no owner',
    event: exception,
    inputs: { github_token: TOKEN, repository: 'web' },
    expect: { status: 'failed', error: 'GitHub repository must be given as owner/repo', requests: [] },
  },
  {
    name: 'fails before fetching without a token',
    event: exception,
    inputs: { repository: 'acme/web' },
    expect: { status: 'failed', error: 'GitHub: set a token (github_token) or a connected installation (github_installation)', requests: [] },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { github_token: TOKEN, repository: 'acme/web' },
    expect: { status: 'skipped', requests: [] },
  },
];
