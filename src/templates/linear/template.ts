import type { TemplateDefinition } from '../types.js';

/**
 * Linear GraphQL API: one issue per PostHog error tracking issue. Input keys, defaults and the requests follow
 * PostHog's template of the same id: look for an issue already linked to the PostHog issue URL
 * (`attachmentsForURL`), else `issueCreate`, then `attachmentCreate` to link it. The token comes from the
 * `linear_workspace` value a PostHog configuration carries (`{access_token}`, sent as a Bearer token) or from
 * a personal API key typed in Sluice. GraphQL reports errors in the body, often with a 200 or 400 status.
 */
export const template: TemplateDefinition = {
  id: 'template-linear',
  name: 'Linear',
  description:
    'Create a Linear issue for each new error tracking issue, linked back to it so that later exceptions do not open another. Creating and linking an issue takes three requests: it needs SLUICE_MAX_FETCHES ≥ 3.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/linear.svg',
  hog: `fun linear(operation, authorization) {
  return fetch('https://api.linear.app/graphql', {
    'method': 'POST',
    'headers': {'Authorization': authorization, 'Content-Type': 'application/json'},
    'body': {'query': operation}
  })
}

let auth := ''
let oauthToken := inputs.linear_workspace?.access_token
if (notEmpty(oauthToken)) {
  auth := f'Bearer {oauthToken}'
} else if (notEmpty(inputs.api_key)) {
  // Personal API keys go in the header as they are, without Bearer.
  auth := inputs.api_key
} else {
  throw Error('Linear: set an API key (api_key), or a linear_workspace with an access_token')
}

let phIssue := inputs.posthog_issue_id
let phIssueUrl := f'{project.url}/error_tracking/{phIssue}'

// Linear keeps the link to the PostHog issue: ask it whether an issue exists instead of keeping state here.
if (notEmpty(phIssue)) {
  let found := linear(concat('query AttachmentsForURL { attachmentsForURL(url: ', jsonStringify(phIssueUrl), ') { nodes { id } } }'), auth)
  if (found.status = 200 and notEmpty(found.body?.data?.attachmentsForURL?.nodes)) {
    print(f'PostHog issue {phIssue} already has a Linear issue: not creating another')
    return
  }
}

let fields := concat('title: ', jsonStringify(inputs.title), ' description: ', jsonStringify(inputs.description), ' teamId: ', jsonStringify(inputs.team))
if (notEmpty(inputs.priority)) {
  fields := concat(fields, ' priority: ', toString(toInt(inputs.priority)))
}
if (notEmpty(inputs.label_ids)) {
  fields := concat(fields, ' labelIds: ', jsonStringify(inputs.label_ids))
}
let created := linear(concat('mutation IssueCreate { issueCreate(input: { ', fields, ' }) { success issue { identifier } } }'), auth)
if (notEmpty(created.body?.errors)) {
  let first := created.body.errors[1]
  let detail := first.extensions?.userPresentableMessage
  throw Error(f'Linear API error (status {created.status}): {first.message}{notEmpty(detail) ? f' ({detail})' : ''}')
}
if (created.status != 200) {
  throw Error(f'Linear API error (status {created.status}): {created.body}')
}
if (created.body?.data?.issueCreate?.success != true) {
  throw Error(f'Linear API error (status {created.status}): issueCreate did not succeed')
}
let identifier := created.body.data.issueCreate.issue.identifier
print(f'Created Linear issue {identifier}')

if (empty(phIssue)) {
  return
}
let linkTitle := notEmpty(project.name) ? f'PostHog issue ({project.name})' : 'PostHog issue'
let linked := linear(concat('mutation AttachmentCreate { attachmentCreate(input: { issueId: ', jsonStringify(identifier), ', title: ', jsonStringify(linkTitle), ', url: ', jsonStringify(phIssueUrl), ' }) { success } }'), auth)
// Not an error: a retry would create a second issue. The next exception of this issue will, though.
if (linked.status != 200 or notEmpty(linked.body?.errors)) {
  print(f'Created Linear issue {identifier}, but could not link it to PostHog issue {phIssue} (status {linked.status})')
}
`,
  inputs_schema: [
    {
      key: 'linear_workspace',
      type: 'integration',
      integration: 'linear',
      label: 'Linear workspace (PostHog integration)',
      description: 'A PostHog configuration brings it as {"access_token": "…"}. In Sluice, prefer the API key below.',
      secret: false,
      hidden: false,
      required: false,
    },
    {
      key: 'api_key',
      type: 'string',
      label: 'Linear API key',
      description: 'Settings → Security & access → Personal API keys.',
      secret: true,
      templating: false,
      required: false,
    },
    { key: 'team', type: 'string', label: 'Team ID', description: 'The team’s UUID (Cmd-K → Copy model UUID on the team).', secret: false, hidden: false, required: true },
    { key: 'title', type: 'string', label: 'Title', default: '{event.properties.$exception_types[1]}', secret: false, hidden: false, required: true },
    { key: 'description', type: 'string', label: 'Description (Markdown)', default: '{event.properties.$exception_values[1]}', secret: false, hidden: false, required: true },
    {
      key: 'posthog_issue_id',
      type: 'string',
      label: 'Error tracking issue ID',
      description: 'One Linear issue is made per issue ID. An event without one gets an issue of its own, without a link.',
      default: '{event.properties.$exception_issue_id}',
      secret: false,
      hidden: true,
      required: true,
    },
    {
      key: 'priority',
      type: 'choice',
      label: 'Priority',
      description: 'Optional.',
      choices: [
        { value: '0', label: 'No priority' },
        { value: '1', label: 'Urgent' },
        { value: '2', label: 'High' },
        { value: '3', label: 'Medium' },
        { value: '4', label: 'Low' },
      ],
      required: false,
    },
    { key: 'label_ids', type: 'json', label: 'Label IDs', description: 'A list of label UUIDs (optional).', default: [], required: false },
  ],
  renamed_inputs: { team_id: 'team' },
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
