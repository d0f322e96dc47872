import type { TemplateDefinition } from '../types.js';

/**
 * ClickUp API v2, create a task in a list. Input keys, defaults and the request body follow PostHog's
 * ClickUp template, whose `oauth` input is a connected account (`{access_token}`, sent as a Bearer token).
 * Sluice has no ClickUp accounts to connect, so a personal token (`pk_…`) may be given instead; ClickUp
 * takes those in `Authorization` as they are, without a scheme.
 */
export const template: TemplateDefinition = {
  id: 'template-clickup',
  name: 'ClickUp',
  description: 'Create a ClickUp task in a list for each event.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/clickup.svg',
  hog: `let auth := null
if (notEmpty(inputs.apiToken)) {
  auth := inputs.apiToken
} else if (notEmpty(inputs.oauth.access_token)) {
  auth := f'Bearer {inputs.oauth.access_token}'
} else {
  throw Error('ClickUp: set a personal API token (apiToken) or a connected account (oauth)')
}

let task := {
  'name': inputs.taskName,
  'description': inputs.description,
  'assignees': inputs.assigneeId,
  'status': inputs.statusId,
  'priority': inputs.priorityId
}
if (notEmpty(inputs.tags)) {
  task.tags := inputs.tags
}
if (notEmpty(inputs.dueDate)) {
  -- ClickUp wants Unix milliseconds
  task.due_date := toInt(inputs.dueDate)
}
let res := fetch(f'https://api.clickup.com/api/v2/list/{encodeURLComponent(toString(inputs.listId))}/task', {
  'method': 'POST',
  'headers': {'Authorization': auth, 'Content-Type': 'application/json'},
  'body': task
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'ClickUp API error (status {res.status}): {res.body.err ?? res.body.message ?? res.body}')
}
print(f'Created ClickUp task {res.body.id}: {res.body.url}')
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'clickup',
      label: 'ClickUp account (PostHog integration)',
      description: 'Kept for PostHog configurations: an object with access_token. Prefer the API token below.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'apiToken',
      type: 'string',
      label: 'ClickUp API token',
      description: 'Settings → Apps → API token (starts with pk_).',
      secret: true,
      templating: false,
      required: false,
      secret_headers: ['Authorization'],
    },
    {
      key: 'workspaceId',
      type: 'integration_field',
      integration_key: 'oauth',
      integration_field: 'clickup_workspace_id',
      label: 'Workspace ID',
      description: 'Kept for PostHog configurations; not needed to create the task.',
      secret: false,
      hidden: true,
      required: false,
    },
    {
      key: 'spaceId',
      type: 'integration_field',
      integration_key: 'oauth',
      integration_field: 'clickup_space_id',
      requires_field: 'workspaceId',
      label: 'Space ID',
      description: 'Kept for PostHog configurations; not needed to create the task.',
      secret: false,
      hidden: true,
      required: false,
    },
    { key: 'listId', type: 'string', label: 'List ID', description: 'The number at the end of the list’s URL.', secret: false, required: true },
    { key: 'taskName', type: 'string', label: 'Task name', description: 'e.g. {event.event} by {person.name}.', secret: false, required: true },
    { key: 'statusId', type: 'string', label: 'Status', description: 'A status of the list, by name.', default: 'to do', secret: false, required: false },
    { key: 'priorityId', type: 'string', label: 'Priority', description: '1 urgent, 2 high, 3 normal, 4 low.', default: '3', secret: false, required: false },
    {
      key: 'assigneeId',
      type: 'string',
      label: 'Assignees',
      description: 'A list of ClickUp user ids, written as a template that makes a list: {[183, 184]}.',
      secret: false,
      required: false,
    },
    { key: 'description', type: 'string', label: 'Description', description: 'e.g. {event.event} at {event.timestamp}: {event.url}.', secret: false, required: false },
    { key: 'tags', type: 'json', label: 'Tags', description: 'A list of tag names (optional).', default: [], secret: false, required: false },
    { key: 'dueDate', type: 'string', label: 'Due date', description: 'Unix time in milliseconds (optional).', secret: false, required: false },
  ],
  renamed_inputs: { taskDescription: 'description', status: 'statusId' },
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
