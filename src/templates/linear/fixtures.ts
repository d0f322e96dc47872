import type { TemplateFixture } from '../types.js';

const KEY = 'lin_api_0123456789abcdefghij';
const URL = 'https://api.linear.app/graphql';
const PH_ISSUE_URL = 'http://localhost:8040/projects/1/error_tracking/issue-abc';
const LOOKUP = `query AttachmentsForURL { attachmentsForURL(url: "${PH_ISSUE_URL}") { nodes { id } } }`;

const exception = {
  event: '$exception',
  distinct_id: 'user-42',
  uuid: '0190a1b2-0000-7000-8000-000000000701',
  timestamp: '2026-01-02T03:04:05.000Z',
  properties: {
    $exception_types: ['TypeError'],
    $exception_values: ["Cannot read properties of undefined (reading 'id')"],
    $exception_issue_id: 'issue-7',
  },
};

// The inputs PostHog's own tests use.
const phInputs = {
  linear_workspace: { access_token: 'test-access-token' },
  team: 'test-team-id',
  title: 'TypeError',
  description: 'undefined is not a function',
  posthog_issue_id: 'issue-abc',
};
const phHeaders = { authorization: 'Bearer test-access-token', 'content-type': 'application/json' };
const created = { data: { issueCreate: { success: true, issue: { identifier: 'ENG-1' } } } };

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: does not create an issue when the PostHog issue already has one',
    posthog: true,
    event: exception,
    inputs: phInputs,
    responses: [{ status: 200, body: { data: { attachmentsForURL: { nodes: [{ id: 'existing-attachment' }] } } } }],
    expect: {
      requests: [{ method: 'POST', url: URL, headers: phHeaders, body: { query: LOOKUP } }],
      logsMustNotContain: ['test-access-token'],
    },
  },
  {
    name: 'PostHog: creates the issue and links it back when there is none yet',
    posthog: true,
    maxFetches: 3,
    event: exception,
    inputs: phInputs,
    responses: [
      { status: 200, body: { data: { attachmentsForURL: { nodes: [] } } } },
      { status: 200, body: created },
      { status: 200, body: { data: { attachmentCreate: { success: true } } } },
    ],
    expect: {
      requests: [
        { method: 'POST', url: URL, headers: phHeaders, body: { query: LOOKUP } },
        {
          method: 'POST',
          url: URL,
          headers: phHeaders,
          body: {
            query:
              'mutation IssueCreate { issueCreate(input: { title: "TypeError" description: "undefined is not a function" teamId: "test-team-id" }) { success issue { identifier } } }',
          },
        },
        {
          method: 'POST',
          url: URL,
          headers: phHeaders,
          body: {
            query: `mutation AttachmentCreate { attachmentCreate(input: { issueId: "ENG-1", title: "PostHog issue (Test project)", url: "${PH_ISSUE_URL}" }) { success } }`,
          },
        },
      ],
      logsMustNotContain: ['test-access-token'],
    },
  },
  {
    name: 'creates an issue from the default title and description with a personal API key, priority and labels',
    maxFetches: 3,
    event: exception,
    inputs: { api_key: KEY, team: 'team-uuid', priority: '2', label_ids: ['label-1'] },
    responses: [
      { status: 200, body: { data: { attachmentsForURL: { nodes: [] } } } },
      { status: 200, body: created },
      { status: 200, body: { data: { attachmentCreate: { success: true } } } },
    ],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: KEY, 'content-type': 'application/json' },
          body: { query: 'query AttachmentsForURL { attachmentsForURL(url: "http://localhost:8040/projects/1/error_tracking/issue-7") { nodes { id } } }' },
        },
        {
          method: 'POST',
          url: URL,
          body: {
            query:
              'mutation IssueCreate { issueCreate(input: { title: "TypeError" description: "Cannot read properties of undefined (reading \'id\')" teamId: "team-uuid" priority: 2 labelIds: ["label-1"] }) { success issue { identifier } } }',
          },
        },
        { method: 'POST', url: URL },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'creates an issue without a lookup or a link when the event has no issue ID, escaping quotes in the text',
    event: { ...exception, properties: { $exception_types: ['Error'], $exception_values: ['Bad "quote"\nnext line'] } },
    inputs: { api_key: KEY, team: 'team-uuid' },
    responses: [{ status: 200, body: created }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: {
            query:
              'mutation IssueCreate { issueCreate(input: { title: "Error" description: "Bad \\"quote\\"\\nnext line" teamId: "team-uuid" }) { success issue { identifier } } }',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly on GraphQL errors in the body',
    event: exception,
    inputs: { api_key: KEY, team: 'not-a-team' },
    responses: [
      { status: 200, body: { data: { attachmentsForURL: { nodes: [] } } } },
      {
        status: 400,
        body: { errors: [{ message: 'Argument Validation Error', extensions: { code: 'INVALID_INPUT', userPresentableMessage: 'teamId must be a UUID.' } }], data: null },
      },
    ],
    expect: {
      status: 'failed',
      error: 'Linear API error (status 400): Argument Validation Error (teamId must be a UUID.)',
      requests: [
        { method: 'POST', url: URL },
        { method: 'POST', url: URL },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'fails clearly when issueCreate answers success: false',
    event: { ...exception, properties: { $exception_types: ['Error'], $exception_values: ['boom'] } },
    inputs: { api_key: KEY, team: 'team-uuid' },
    responses: [{ status: 200, body: { data: { issueCreate: { success: false, issue: null } } } }],
    expect: { status: 'failed', error: 'Linear API error (status 200): issueCreate did not succeed', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'fails before sending without a token',
    event: exception,
    inputs: { team: 'team-uuid' },
    expect: { status: 'failed', error: 'Linear: set an API key', requests: [] },
  },
  {
    name: 'is skipped for events other than $exception by default',
    event: { event: '$pageview', distinct_id: 'user-42' },
    inputs: { api_key: KEY, team: 'team-uuid' },
    expect: { status: 'skipped', requests: [] },
  },
];
