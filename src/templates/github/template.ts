import type { TemplateDefinition } from '../types.js';

/**
 * GitHub REST API, create an issue (`POST /repos/{owner}/{repo}/issues`). Input keys, defaults and the
 * request follow PostHog's GitHub template, whose `github_installation` input is a connected GitHub App
 * (`{access_token, account: {name}}`, the account being the repository owner). Sluice has no GitHub App
 * to connect, so a token (fine-grained, "Issues: write") and an owner/repo repository may be given instead.
 * GitHub rejects requests without a User-Agent, so we always send one.
 */
export const template: TemplateDefinition = {
  id: 'template-github',
  name: 'GitHub',
  description: 'Create a GitHub issue for each event, e.g. for every new exception.',
  category: ['Productivity'],
  status: 'beta',
  icon_url: '/static/icons/github.svg',
  hog: `let owner := inputs.github_installation.account.name
let repo := inputs.repository
if (repo like '%/%') {
  let parts := splitByString('/', repo)
  owner := parts[1]
  repo := parts[2]
}
if (empty(owner) or empty(repo)) {
  throw Error('GitHub repository must be given as owner/repo')
}
let token := notEmpty(inputs.github_token) ? inputs.github_token : inputs.github_installation.access_token
if (empty(token)) {
  throw Error('GitHub: set a token (github_token) or a connected installation (github_installation)')
}

-- Link back to where the exception can be looked at: its PostHog issue when known, else the event
let link := inputs.posthog_issue_url
if (empty(link) and notEmpty(inputs.posthog_issue_id)) {
  link := f'{project.url}/error_tracking/{inputs.posthog_issue_id}'
}
let footer := notEmpty(link) ? f'[View in PostHog]({link})' : f'[View the event]({event.url})'
let issue := {
  'title': notEmpty(inputs.title) ? inputs.title : event.event,
  'body': f'{inputs.description}\\n\\n{footer}'
}
if (notEmpty(inputs.labels)) {
  issue.labels := inputs.labels
}
let res := fetch(f'https://api.github.com/repos/{owner}/{repo}/issues', {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {token}',
    'Accept': 'application/vnd.github+json',
    'Content-Type': 'application/json',
    'User-Agent': 'Sluice'
  },
  'body': issue
})
if (res.status < 200 or res.status >= 300) {
  throw Error(f'GitHub API error (status {res.status}): {res.body.message ?? res.body}')
}
print(f'Created GitHub issue #{res.body.number}: {res.body.html_url}')
`,
  inputs_schema: [
    {
      key: 'github_installation',
      type: 'integration',
      integration: 'github',
      label: 'GitHub installation (PostHog integration)',
      description: 'Kept for PostHog configurations: an object with access_token and account.name. Prefer the token below.',
      secret: true,
      templating: false,
      hidden: false,
      required: false,
    },
    {
      key: 'github_token',
      type: 'string',
      label: 'GitHub token',
      description: 'A fine-grained personal access token with Issues: read and write.',
      secret: true,
      templating: false,
      required: false,
      secret_headers: ['Authorization'],
    },
    { key: 'repository', type: 'string', label: 'Repository', description: 'As owner/repo, e.g. acme/web (just the name with a connected installation).', secret: false, hidden: false, required: true },
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
    {
      key: 'posthog_issue_url',
      type: 'string',
      label: 'PostHog issue URL',
      description: 'The link back to the issue; when empty, it is made from the issue ID.',
      secret: false,
      hidden: true,
      required: false,
    },
    { key: 'labels', type: 'json', label: 'Labels', description: 'A list of label names (optional).', default: [], secret: false, required: false },
  ],
  renamed_inputs: { body: 'description' },
  filters: {
    events: [{ id: '$exception', name: '$exception', type: 'events' }],
  },
};
