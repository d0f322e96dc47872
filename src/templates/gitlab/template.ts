import type { TemplateDefinition } from '../types.js';

/**
 * GitLab REST API v4, create a project issue. Input keys, defaults and the request follow PostHog's GitLab
 * template, whose `gitlab_project` input is a connected project (`{hostname, project_id, access_token}`).
 * Sluice has no GitLab accounts to connect, so the instance URL, an access token and the project (numeric
 * id or full path, which GitLab wants URL-encoded) may be given instead; they win over `gitlab_project`.
 */
export const template: TemplateDefinition = {
  id: 'template-gitlab',
  name: 'GitLab',
  description: 'Create a GitLab issue for each event, e.g. for every new exception.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/gitlab.svg',
  hog: `let connected := inputs.gitlab_project ?? {}
let base := notEmpty(inputs.gitlab_url) ? inputs.gitlab_url : (connected.hostname ?? 'https://gitlab.com')
base := replaceAll(base, '/api/v4', '')
if (substring(base, length(base), 1) == '/') {
  base := substring(base, 1, length(base) - 1)
}
let projectRef := notEmpty(inputs.project) ? inputs.project : connected.project_id
let token := notEmpty(inputs.access_token) ? inputs.access_token : connected.access_token
if (empty(projectRef) or empty(token)) {
  throw Error('GitLab: set the project and an access token, or a connected project (gitlab_project)')
}

-- Link back to where the exception can be looked at: its PostHog issue when known, else the event
let footer := notEmpty(inputs.posthog_issue_id)
  ? f'[View in PostHog]({project.url}/error_tracking/{inputs.posthog_issue_id})'
  : f'[View the event]({event.url})'
let issue := {
  'title': notEmpty(inputs.title) ? inputs.title : event.event,
  'description': f'{inputs.description}\\n\\n{footer}'
}
if (notEmpty(inputs.labels)) {
  -- GitLab takes labels as one comma-separated string
  issue.labels := arrayStringConcat(inputs.labels, ',')
}
let res := fetch(f'{base}/api/v4/projects/{encodeURLComponent(toString(projectRef))}/issues', {
  'method': 'POST',
  'headers': {'PRIVATE-TOKEN': token, 'Content-Type': 'application/json'},
  'body': issue
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'GitLab API error (status {res.status}): {res.body.message ?? res.body.error ?? res.body}')
}
print(f'Created GitLab issue #{res.body.iid}: {res.body.web_url}')
`,
  inputs_schema: [
    {
      key: 'gitlab_project',
      type: 'integration',
      integration: 'gitlab',
      label: 'GitLab project (PostHog integration)',
      description: 'Kept for PostHog configurations: an object with hostname, project_id and access_token. Prefer the inputs below.',
      secret: true,
      templating: false,
      hidden: false,
      required: false,
    },
    { key: 'gitlab_url', type: 'string', label: 'GitLab URL', description: 'Your instance, e.g. https://gitlab.example.com; empty for gitlab.com.', secret: false, templating: false, required: false },
    { key: 'access_token', type: 'string', label: 'Access token', description: 'A personal, project or group access token with the api scope.', secret: true, templating: false, required: false, secret_headers: ['PRIVATE-TOKEN'] },
    { key: 'project', type: 'string', label: 'Project', description: 'The numeric project id or its full path, e.g. acme/web.', secret: false, required: false },
    { key: 'title', type: 'string', label: 'Title', default: '{event.properties.$exception_types[1]}', secret: false, hidden: false, required: true },
    {
      key: 'description',
      type: 'string',
      label: 'Description (Markdown)',
      description: 'A link to the PostHog issue, or else to the event, is added below it.',
      default: '{event.properties.$exception_values[1]}',
      secret: false,
      hidden: false,
      required: true,
    },
    { key: 'posthog_issue_id', type: 'string', label: 'PostHog issue ID', default: '{event.properties.$exception_issue_id}', secret: false, hidden: true, required: true },
    { key: 'labels', type: 'json', label: 'Labels', description: 'A list of label names (optional).', default: [], secret: false, required: false },
  ],
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
