import type { TemplateDefinition } from '../types.js';

/**
 * Linear GraphQL API, `issueCreate`. GraphQL reports errors in the body (`errors`, often with a 200
 * or 400 status) and a mutation can answer `success: false`: all of these fail the invocation.
 */
export const template: TemplateDefinition = {
  id: 'template-linear',
  name: 'Linear',
  description: 'Create a Linear issue for each event, e.g. for every new exception.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/linear.svg',
  hog: `let input := {'teamId': inputs.team_id, 'title': inputs.title, 'description': inputs.description}
if (notEmpty(inputs.priority)) {
  input.priority := toInt(inputs.priority)
}
if (notEmpty(inputs.label_ids)) {
  input.labelIds := inputs.label_ids
}

let res := fetch('https://api.linear.app/graphql', {
  'method': 'POST',
  'headers': {'Authorization': inputs.api_key, 'Content-Type': 'application/json'},
  'body': {
    'query': 'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }',
    'variables': {'input': input}
  }
})

if (notEmpty(res.body.errors)) {
  let first := res.body.errors[1]
  let detail := first.extensions.userPresentableMessage
  throw Error(f'Linear API error (status {res.status}): {first.message}{notEmpty(detail) ? f' ({detail})' : ''}')
}
if (res.status < 200 or res.status >= 300) {
  throw Error(f'Linear API error (status {res.status}): {res.body}')
}
if (res.body.data.issueCreate.success != true) {
  throw Error(f'Linear API error (status {res.status}): issueCreate did not succeed')
}
let issue := res.body.data.issueCreate.issue
print(f'Created Linear issue {issue.identifier}: {issue.url}')
`,
  inputs_schema: [
    { key: 'api_key', type: 'string', label: 'Linear API key', description: 'Settings → Security & access → Personal API keys.', secret: true, templating: false, required: true },
    { key: 'team_id', type: 'string', label: 'Team ID', description: 'The team’s UUID (Cmd-K → Copy model UUID on the team).', required: true },
    {
      key: 'title',
      type: 'string',
      label: 'Title',
      default: "{event.properties.$exception_type ?? event.event}: {event.properties.$exception_message ?? person.name}",
      required: true,
    },
    {
      key: 'description',
      type: 'string',
      label: 'Description (Markdown)',
      default: '**{event.event}** by [{person.name}]({person.url}) at {event.timestamp}\n\n{event.properties.$current_url}\n\n[View the event]({event.url})',
      required: false,
    },
    {
      key: 'priority',
      type: 'choice',
      label: 'Priority',
      choices: [
        { value: '0', label: 'No priority' },
        { value: '1', label: 'Urgent' },
        { value: '2', label: 'High' },
        { value: '3', label: 'Medium' },
        { value: '4', label: 'Low' },
      ],
      default: '0',
      required: false,
    },
    { key: 'label_ids', type: 'json', label: 'Label IDs', description: 'A list of label UUIDs.', default: [], required: false },
  ],
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
