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

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates a task with assignees, tags, status and a due date',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { apiToken: TOKEN, listId: '901234', taskName: '{event.properties.$exception_type}', assignees: [183, 184], tags: ['bug'], status: 'to do', dueDate: '1767409445000' },
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
            tags: ['bug'],
            status: 'to do',
            due_date: 1767409445000,
          },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends only name and description by default',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { apiToken: TOKEN, listId: '901234' },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            name: '$exception by max@example.com',
            description: '$exception at 2026-01-02T03:04:05.000Z: http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000a01',
          },
        },
      ],
    },
  },
  {
    name: "fails with ClickUp's error when the token is refused",
    event: exception,
    inputs: { apiToken: TOKEN, listId: '901234' },
    responses: [{ status: 401, body: { err: 'Token invalid', ECODE: 'OAUTH_025' } }],
    expect: { status: 'failed', error: 'ClickUp API error (status 401): Token invalid', requests: [{ method: 'POST', url: URL }], logsMustNotContain: [TOKEN] },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { apiToken: TOKEN, listId: '901234' },
    expect: { status: 'skipped', requests: [] },
  },
];
