import type { TemplateDefinition } from '../types.js';

/**
 * GitHub REST API, create an issue (`POST /repos/{owner}/{repo}/issues`). A fine-grained token with
 * "Issues: write" is enough. GitHub rejects requests without a User-Agent, so we always send one.
 */
export const template: TemplateDefinition = {
  id: 'template-github',
  name: 'GitHub',
  description: 'Create a GitHub issue for each event, e.g. for every new exception.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/github.svg',
  hog: `let repo := inputs.repository
if (empty(repo) or not (repo like '%/%')) {
  throw Error('GitHub repository must be given as owner/repo')
}
let issue := {'title': inputs.title, 'body': inputs.body}
if (notEmpty(inputs.labels)) {
  issue.labels := inputs.labels
}
let res := fetch(f'https://api.github.com/repos/{repo}/issues', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.github_token}',
    'Accept': 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'Sluice',
    'Content-Type': 'application/json'
  },
  'body': issue
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'GitHub API error (status {res.status}): {res.body.message ?? res.body}')
}
print(f'Created GitHub issue #{res.body.number}: {res.body.html_url}')
`,
  inputs_schema: [
    { key: 'github_token', type: 'string', label: 'GitHub token', description: 'A fine-grained personal access token with Issues: read and write.', secret: true, templating: false, required: true, secret_headers: ['Authorization'] },
    { key: 'repository', type: 'string', label: 'Repository', description: 'As owner/repo, e.g. acme/web.', required: true },
    {
      key: 'title',
      type: 'string',
      label: 'Title',
      default: "{event.properties.$exception_type ?? event.event}: {event.properties.$exception_message ?? person.name}",
      required: true,
    },
    {
      key: 'body',
      type: 'string',
      label: 'Body (Markdown)',
      default: '**{event.event}** by [{person.name}]({person.url}) at {event.timestamp}\n\n[View the event]({event.url})',
      required: false,
    },
    { key: 'labels', type: 'json', label: 'Labels', description: 'A list of label names.', default: [], required: false },
  ],
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
