import type { TemplateDefinition } from '../types.js';

/** Removes the listed properties (a dot reaches into nested ones) before anything else sees them. */
export const template: TemplateDefinition = {
  id: 'template-remove-properties',
  type: 'transformation',
  name: 'Remove properties',
  description: 'Remove properties you do not want stored or forwarded, such as IP addresses or free-text fields.',
  category: ['Privacy'],
  status: 'beta',
  icon_url: '/static/icons/remove-properties.svg',
  hog: `// Hog has no delete: a dict is rebuilt without the removed key.
fn without(dict, key) {
  let kept := {}
  for (let k, v in dict) {
    if (k != key) {
      kept[k] := v
    }
  }
  return kept
}

fn removeAt(root, path, i) {
  if (typeof(root) != 'object') {
    return root
  }
  let key := path[i]
  if (not has(keys(root), key)) {
    return root
  }
  if (i == length(path)) {
    return without(root, key)
  }
  root[key] := removeAt(root[key], path, i + 1)
  return root
}

let returnEvent := event
for (let path in inputs.properties_to_remove) {
  returnEvent.properties := removeAt(returnEvent.properties, splitByString('.', path), 1)
}
return returnEvent
`,
  inputs_schema: [
    {
      key: 'properties_to_remove',
      type: 'json',
      label: 'Properties to remove',
      description: "A list of property names; a dot reaches into nested properties ('$set.phone').",
      default: ['$ip'],
      required: true,
      templating: false,
    },
  ],
};
