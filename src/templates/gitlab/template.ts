import type { TemplateDefinition } from '../types.js';

/**
 * GitLab REST API v4, create a project issue. Works with gitlab.com and self-managed instances: the base
 * URL is an input. The project may be its numeric id or its full path, which GitLab wants URL-encoded.
 */
export const template: TemplateDefinition = {
  id: 'template-gitlab',
  name: 'GitLab',
  description: 'Create a GitLab issue for each event, e.g. for every new exception.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/gitlab.svg',
  hog: `let base := replaceAll(inputs.gitlab_url ?? 'https://gitlab.com', '/api/v4', '')
if (substring(base, length(base), 1) == '/') {
  base := substring(base, 1, length(base) - 1)
}
let issue := {'title': inputs.title, 'description': inputs.description}
if (notEmpty(inputs.labels)) {
  -- GitLab takes labels as one comma-separated string
  issue.labels := arrayStringConcat(inputs.labels, ',')
}
let res := fetch(f'{base}/api/v4/projects/{encodeURLComponent(toString(inputs.project))}/issues', {
  'method': 'POST',
  'headers': {'PRIVATE-TOKEN': inputs.access_token, 'Content-Type': 'application/json'},
  'body': issue
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'GitLab API error (status {res.status}): {res.body.message ?? res.body.error ?? res.body}')
}
print(f'Created GitLab issue #{res.body.iid}: {res.body.web_url}')
`,
  inputs_schema: [
    { key: 'gitlab_url', type: 'string', label: 'GitLab URL', description: 'Your instance, e.g. https://gitlab.example.com.', default: 'https://gitlab.com', templating: false, required: true },
    { key: 'access_token', type: 'string', label: 'Access token', description: 'A personal, project or group access token with the api scope.', secret: true, templating: false, required: true, secret_headers: ['PRIVATE-TOKEN'] },
    { key: 'project', type: 'string', label: 'Project', description: 'The numeric project id or its full path, e.g. acme/web.', required: true },
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
      default: '**{event.event}** by [{person.name}]({person.url}) at {event.timestamp}\n\n[View the event]({event.url})',
      required: false,
    },
    { key: 'labels', type: 'json', label: 'Labels', description: 'A list of label names.', default: [], required: false },
  ],
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
