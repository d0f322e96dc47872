import type { TemplateFixture } from '../types.js';

const KEY = 'lin_api_0123456789abcdefghij';
const URL = 'https://api.linear.app/graphql';
const QUERY = 'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }';

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000701',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: { $exception_type: 'TypeError', $exception_message: "Cannot read properties of undefined (reading 'id')", $current_url: 'https://app.example.com/settings' },
};

const created = { data: { issueCreate: { success: true, issue: { id: 'i-1', identifier: 'ENG-42', url: 'https://linear.app/acme/issue/ENG-42' } } } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'creates an issue for an exception',
    event: exception,
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { api_key: KEY, team_id: 'team-uuid', priority: '2', description: '{event.properties.$current_url}' },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: KEY, 'content-type': 'application/json' },
          body: {
            query: QUERY,
            variables: {
              input: {
                teamId: 'team-uuid',
                title: "TypeError: Cannot read properties of undefined (reading 'id')",
                description: 'https://app.example.com/settings',
                priority: 2,
              },
            },
          },
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'renders the default description with the event and person links, and sends labels',
    event: { ...exception, properties: {} },
    person: { id: 'p-1', properties: { email: 'max@example.com' } },
    inputs: { api_key: KEY, team_id: 'team-uuid', label_ids: ['label-1'] },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            query: QUERY,
            variables: {
              input: {
                teamId: 'team-uuid',
                title: '$exception: max@example.com',
                description:
                  '**$exception** by [max@example.com](http://localhost:8040/projects/1/persons/p-1) at 2026-01-02T03:04:05.000Z\n\n\n\n[View the event](http://localhost:8040/projects/1/events/0190a1b2-0000-7000-8000-000000000701)',
                priority: 0,
                labelIds: ['label-1'],
              },
            },
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on GraphQL errors in the body',
    event: exception,
    inputs: { api_key: KEY, team_id: 'not-a-team' },
    responses: [
      {
        status: 400,
        body: { errors: [{ message: 'Argument Validation Error', extensions: { code: 'INVALID_INPUT', userPresentableMessage: 'teamId must be a UUID.' } }], data: null },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Linear API error (status 400): Argument Validation Error (teamId must be a UUID.)',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when issueCreate answers success: false',
    event: exception,
    inputs: { api_key: KEY, team_id: 'team-uuid' },
    responses: [{ status: 200, body: { data: { issueCreate: { success: false, issue: null } } } }],
    expect: { status: 'failed', error: 'Linear API error (status 200): issueCreate did not succeed', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { api_key: KEY, team_id: 'team-uuid' },
    expect: { status: 'skipped', requests: [] },
  },
];
