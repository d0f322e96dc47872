import type { TemplateDefinition } from '../types.js';

/**
 * Replaces the listed properties by their HMAC-SHA-256 with a secret salt: the same value always
 * gives the same hash (joins and counts still work), and without the salt the value cannot be guessed
 * back by hashing candidate emails.
 */
export const template: TemplateDefinition = {
  id: 'template-pii-hashing',
  type: 'transformation',
  name: 'Hash properties',
  description: 'Replace personal data (emails, phone numbers…) with a keyed SHA-256 hash, so the same value still matches itself.',
  category: ['Privacy'],
  status: 'beta',
  icon_url: '/static/icons/pii-hashing.svg',
  hog: `// Each entry is a property name, or a path into nested properties ('$set.email').
fn hashAt(root, keys) {
  let node := root
  let i := 1
  while (i < length(keys) and typeof(node) == 'object') {
    node := node[keys[i]]
    i := i + 1
  }
  let last := keys[length(keys)]
  if (typeof(node) == 'object' and node[last] != null) {
    node[last] := sha256HmacHex(inputs.salt, toString(node[last]))
  }
}

let returnEvent := event
let properties := returnEvent.properties
for (let path in inputs.properties_to_hash) {
  let keys := splitByString('.', path)
  // This runs on every event, and most events have none of the listed properties: a path whose first
  // part is missing has nothing to hash.
  if (properties[keys[1]] != null) {
    hashAt(properties, keys)
  }
}
return returnEvent
`,
  inputs_schema: [
    {
      key: 'salt',
      type: 'string',
      label: 'Secret salt',
      description: 'The HMAC key. Keep it secret and keep it the same: a new salt gives every value a new hash.',
      secret: true,
      required: true,
    },
    {
      key: 'properties_to_hash',
      type: 'json',
      label: 'Properties to hash',
      description: "A list of property names; a dot reaches into nested properties ('$set.email').",
      default: ['email', '$set.email', '$set_once.email', 'phone'],
      required: true,
      templating: false,
    },
  ],
};
