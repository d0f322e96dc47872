import type { TemplateFixture } from '../types.js';

const TOKEN = 'glpat-0123456789abcdefghij';

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000901',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $exception_type: 'KeyError', $exception_message: "'plan'" },
};

const created = { id: 901, iid: 12, web_url: 'https://gitlab.example.com/acme/web/-/issues/12' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates an issue on a self-managed instance with an encoded project path',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { gitlab_url: 'https://gitlab.example.com/', access_token: TOKEN, project: 'acme/web', description: 'Type {event.properties.$exception_type}', labels: ['bug', 'prod'] },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://gitlab.example.com/api/v4/projects/acme%2Fweb/issues',
          headers: { 'private-token': TOKEN, 'content-type': 'application/json' },
          body: { title: "KeyError: 'plan'", description: 'Type KeyError', labels: 'bug,prod' },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'defaults to gitlab.com and takes a numeric project id',
    event: { ...exception, properties: {} },
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { access_token: TOKEN, project: '278964' },
    responses: [{ status: 201, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'https://gitlab.com/api/v4/projects/278964/issues',
          body: {
            title: '$exception: max@example.com',
            description:
              '**$exception** by [max@example.com](http://localhost:8040/projects/1/persons/p-1) at 2026-01-02T03:04:05.000Z\n\n[View the event](http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000901)',
          },
        },
      ],
    },
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
