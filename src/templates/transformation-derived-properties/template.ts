import type { TemplateDefinition } from '../types.js';

/**
 * Adds properties computed from the event: each value is a Hog template evaluated on the event, so
 * `{lower(event.properties.email)}` or `{event.properties.price * event.properties.quantity}` work as
 * they do in a destination's inputs. A template that is one `{…}` keeps the value's type.
 */
export const template: TemplateDefinition = {
  id: 'template-derived-properties',
  type: 'transformation',
  name: 'Add derived properties',
  description: 'Add properties computed from the event with Hog expressions: a domain from an email, a total from price and quantity…',
  category: ['Enrichment'],
  status: 'beta',
  icon_url: '/static/icons/derived-properties.svg',
  hog: `let returnEvent := event
for (let key, value in inputs.properties) {
  if (value != null or not inputs.skip_nulls) {
    returnEvent.properties[key] := value
  }
}
return returnEvent
`,
  inputs_schema: [
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Properties',
      description: 'Property name → its value, a template: {event.properties.price * event.properties.quantity}.',
      default: { email_domain: "{splitByString('@', event.properties.email ?? '')[2]}" },
      required: true,
    },
    {
      key: 'skip_nulls',
      type: 'boolean',
      label: 'Skip empty values',
      description: 'On: a property whose value is null is not added (nor an existing one replaced).',
      default: true,
      required: false,
    },
  ],
};
