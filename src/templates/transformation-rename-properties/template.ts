import type { TemplateDefinition } from '../types.js';

/** Renames and copies top-level properties, so events from different sources use the same names. */
export const template: TemplateDefinition = {
  id: 'template-rename-properties',
  type: 'transformation',
  name: 'Rename or copy properties',
  description: 'Rename properties (the old name goes away) or copy them under another name, to line up events from different sources.',
  category: ['Enrichment'],
  status: 'beta',
  icon_url: '/static/icons/rename-properties.svg',
  hog: `let props := event.properties
let result := {}
// Renamed properties leave their old name behind; everything else is kept.
for (let key, value in props) {
  if (empty(inputs.rename[key])) {
    result[key] := value
  }
}
for (let from, to in inputs.rename) {
  if (has(keys(props), from)) {
    result[to] := props[from]
  }
}
// Copies read the original properties, so a copy of a renamed property still works.
for (let from, to in inputs.copy) {
  if (has(keys(props), from)) {
    result[to] := props[from]
  }
}
let returnEvent := event
returnEvent.properties := result
return returnEvent
`,
  inputs_schema: [
    {
      key: 'rename',
      type: 'dictionary',
      label: 'Rename',
      description: 'Old property name → new name. The value moves; an existing property with the new name is replaced.',
      default: { userId: 'user_id' },
      required: false,
      templating: false,
    },
    {
      key: 'copy',
      type: 'dictionary',
      label: 'Copy',
      description: 'Property name → the name of its copy. The original stays.',
      default: {},
      required: false,
      templating: false,
    },
  ],
};
