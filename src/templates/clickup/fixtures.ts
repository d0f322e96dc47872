import type { TemplateFixture } from '../types.js';

const TOKEN = 'pk_4242_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const URL = 'https://api.clickup.com/api/v2/list/901234/task';

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000a01',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $exception_type: 'TimeoutError' },
};

const created = { id: '86a1b2c3', name: '$exception by max@example.com', url: 'https://app.clickup.com/t/86a1b2c3' };

/** PostHog's template tests; the event is an $exception so our default filter passes. */
const phEvent = { event: '$exception', distinct_id: 'distinct-id', uuid: 'event-id', timestamp: '2024-01-01T00:00:00Z', properties: { $current_url: 'https://example.com', $lib_version: '1.0.0' } };
const phPerson = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const phInputs = {
  oauth: { access_token: 'test-access-token' },
  workspaceId: 'test-workspace-id',
  listId: 'test-list-id',
  taskName: 'test-name',
  description: 'test-description',
  statusId: 'to do',
  priorityId: '3',
  // PostHog's test passes the list itself; a Sluice string input takes it as a template that makes the list.
  assigneeId: "{['test-assignee-id']}",
};
const PH_URL = 'https://api.clickup.com/api/v2/list/test-list-id/task';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: creates the task with the connected account',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 200, body: { message: 'Hello, world!' } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: PH_URL,
          headers: { authorization: 'Bearer test-access-token', 'content-type': 'application/json' },
          body: { name: 'test-name', description: 'test-description', assignees: ['test-assignee-id'], status: 'to do', priority: '3' },
        },
      ],
      logsMustNotContain: ['test-access-token'],
    },
  },
  {
    name: 'PostHog: throws an error if the request fails',
    posthog: true,
    event: phEvent,
    person: phPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { message: 'Bad Request' } }],
    expect: { status: 'failed', error: 'ClickUp API error (status 400): Bad Request', requests: [{ method: 'POST', url: PH_URL }], logsMustNotContain: ['test-access-token'] },
  },
  {
    name: 'creates a task with a personal token, assignees, tags and a due date',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: {
      apiToken: TOKEN,
      listId: '901234',
      taskName: '{event.properties.$exception_type}',
      description: '{event.event} at {event.timestamp}: {event.url}',
      assigneeId: '{[183, 184]}',
      tags: ['bug'],
      statusId: 'in progress',
      dueDate: '1767409445000',
    },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: TOKEN, 'content-type': 'application/json' },
          body: {
            name: 'TimeoutError',
            description: '$exception at 2026-01-02T03:04:05.000Z: http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000a01',
            assignees: [183, 184],
            status: 'in progress',
            priority: '3',
            tags: ['bug'],
            due_date: 1767409445000,
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends the name with the default status and priority',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { apiToken: TOKEN, listId: '901234', taskName: '{event.event} by {person.name}' },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [{ method: 'POST', url: URL, body: { name: '$exception by max@example.com', description: null, assignees: null, status: 'to do', priority: '3' } }],
    },
  },
  {
    name: 'fails before fetching without a token',
    event: exception,
    inputs: { listId: '901234', taskName: 'Bug' },
    expect: { status: 'failed', error: 'ClickUp: set a personal API token (apiToken) or a connected account (oauth)', requests: [] },
  },
  {
    name: "fails with ClickUp's error when the token is refused",
    event: exception,
    inputs: { apiToken: TOKEN, listId: '901234', taskName: 'Bug' },
    responses: [{ status: 401, body: { err: 'Token invalid', ECODE: 'OAUTH_025' } }],
    expect: { status: 'failed', error: 'ClickUp API error (status 401): Token invalid', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { apiToken: TOKEN, listId: '901234', taskName: 'Bug' },
    expect: { status: 'skipped', requests: [] },
  },
];
