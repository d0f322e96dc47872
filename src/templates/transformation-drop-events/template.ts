import type { TemplateDefinition } from '../types.js';

/**
 * Drops every event its filters match. The filters are the whole configuration: by default a bot's
 * user agent; change them to drop internal users (a distinct id or an email domain), test events, ….
 */
export const template: TemplateDefinition = {
  id: 'template-drop-events',
  type: 'transformation',
  name: 'Drop events',
  description: 'Drop the events its filters match before they are stored for persons and destinations: bots by default, or internal users, test events…',
  category: ['Filtering'],
  status: 'beta',
  icon_url: '/static/icons/drop-events.svg',
  hog: `// Runs only on the events this transformation's filters match, and drops them.
// With no filters at all it would drop every event: keep at least one.
return null
`,
  inputs_schema: [],
  filters: {
    properties: [
      {
        key: '$raw_user_agent',
        type: 'event',
        operator: 'regex',
        value: '(?i)(bot|crawler|spider|slurp|headless|lighthouse|pingdom|uptimerobot|python-requests|curl/)',
      },
    ],
  },
};
