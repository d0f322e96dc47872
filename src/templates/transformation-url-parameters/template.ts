import type { TemplateDefinition } from '../types.js';

/**
 * Strips query parameters from URL properties: all of them, or only the listed ones (tokens, emails,
 * session ids that pages put in links). The fragment (`#…`) is kept.
 */
export const template: TemplateDefinition = {
  id: 'template-url-parameters',
  type: 'transformation',
  name: 'Strip URL query parameters',
  description: 'Remove the query string from URL properties, or only the parameters you list (tokens, emails, ids).',
  category: ['Privacy'],
  status: 'beta',
  icon_url: '/static/icons/url-parameters.svg',
  hog: `fn stripQuery(url) {
  if (typeof(url) != 'string') {
    return url
  }
  let fragment := ''
  let rest := url
  let hashAt := position(url, '#')
  if (hashAt > 0) {
    fragment := substring(url, hashAt, length(url))
    rest := substring(url, 1, hashAt - 1)
  }
  let queryAt := position(rest, '?')
  if (queryAt == 0) {
    return url
  }
  let base := substring(rest, 1, queryAt - 1)
  if (empty(inputs.parameters)) {
    return concat(base, fragment)
  }
  let kept := []
  for (let pair in splitByString('&', substring(rest, queryAt + 1, length(rest)))) {
    let name := tryDecodeURLComponent(splitByString('=', pair)[1]) ?? ''
    if (pair != '' and not has(inputs.parameters, name)) {
      kept := arrayPushBack(kept, pair)
    }
  }
  if (empty(kept)) {
    return concat(base, fragment)
  }
  return concat(base, '?', arrayStringConcat(kept, '&'), fragment)
}

let returnEvent := event
let properties := returnEvent.properties
for (let key in inputs.url_properties) {
  let value := properties[key]
  // This runs on every event: a value without a '?' (or one that is not text) is left without a call,
  // and a property is only set when it changes, so an event without a query string is returned untouched.
  if (value != null) {
    if (position(value, '?') > 0) {
      let stripped := stripQuery(value)
      if (stripped != value) {
        properties[key] := stripped
      }
    }
  }
}
return returnEvent
`,
  inputs_schema: [
    {
      key: 'url_properties',
      type: 'json',
      label: 'URL properties',
      description: 'The properties that hold URLs.',
      default: ['$current_url', '$referrer', '$pathname', '$initial_current_url', '$initial_referrer'],
      required: true,
      templating: false,
    },
    {
      key: 'parameters',
      type: 'json',
      label: 'Parameters to remove',
      description: 'Parameter names to remove; an empty list removes the whole query string.',
      default: [],
      required: false,
      templating: false,
    },
  ],
};
