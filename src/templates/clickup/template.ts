import type { TemplateDefinition } from '../types.js';

/**
 * ClickUp API v2, create a task in a list. Personal tokens (`pk_…`) go in `Authorization` as they are,
 * without a scheme, as ClickUp documents. Input keys follow PostHog's ClickUp template.
 */
export const template: TemplateDefinition = {
  id: 'template-clickup',
  name: 'ClickUp',
  description: 'Create a ClickUp task in a list for each event.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/clickup.svg',
  hog: `let task := {'name': inputs.taskName, 'description': inputs.taskDescription}
if (notEmpty(inputs.assignees)) {
  task.assignees := inputs.assignees
}
if (notEmpty(inputs.tags)) {
  task.tags := inputs.tags
}
if (notEmpty(inputs.status)) {
  task.status := inputs.status
}
if (notEmpty(inputs.dueDate)) {
  -- ClickUp wants Unix milliseconds
  task.due_date := toInt(inputs.dueDate)
}
let res := fetch(f'https://api.clickup.com/api/v2/list/{encodeURLComponent(toString(inputs.listId))}/task', {
  'method': 'POST',
  'headers': {'Authorization': inputs.apiToken, 'Content-Type': 'application/json'},
  'body': task
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'ClickUp API error (status {res.status}): {res.body.err ?? res.body}')
}
print(f'Created ClickUp task {res.body.id}: {res.body.url}')
`,
  inputs_schema: [
    { key: 'apiToken', type: 'string', label: 'ClickUp API token', description: 'Settings → Apps → API token (starts with pk_).', secret: true, templating: false, required: true, secret_headers: ['Authorization'] },
    { key: 'listId', type: 'string', label: 'List ID', description: 'The number at the end of the list’s URL.', required: true },
    { key: 'taskName', type: 'string', label: 'Task name', default: '{event.event} by {person.name}', required: true },
    { key: 'taskDescription', type: 'string', label: 'Task description', default: '{event.event} at {event.timestamp}: {event.url}', required: false },
    { key: 'assignees', type: 'json', label: 'Assignees', description: 'A list of ClickUp user ids (numbers).', default: [], required: false },
    { key: 'tags', type: 'json', label: 'Tags', description: 'A list of tag names.', default: [], required: false },
    { key: 'status', type: 'string', label: 'Status', description: 'A status of the list; empty for its first one.', required: false },
    { key: 'dueDate', type: 'string', label: 'Due date', description: 'Unix time in milliseconds.', required: false },
  ],
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
