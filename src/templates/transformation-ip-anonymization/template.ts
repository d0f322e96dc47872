import type { TemplateDefinition } from '../types.js';

/**
 * Truncates IP addresses: an IPv4 address loses its last octet (`203.0.113.7` → `203.0.113.0`), an IPv6
 * address its last 80 bits (`2001:db8:85a3::8a2e:370:7334` → `2001:db8:85a3::`), which keeps the network
 * but not the household. A value that is not an IP address is removed rather than kept as it was.
 */
export const template: TemplateDefinition = {
  id: 'template-ip-anonymization',
  type: 'transformation',
  name: 'Anonymize IP addresses',
  description: 'Truncate IP addresses: the last octet of IPv4, the last 80 bits of IPv6. Values that are not IP addresses are removed.',
  category: ['Privacy'],
  status: 'beta',
  icon_url: '/static/icons/ip-anonymization.svg',
  hog: `fn isDigits(text) {
  if (empty(text) or length(text) > 3) {
    return false
  }
  for (let i := 1; i <= length(text); i := i + 1) {
    if (position('0123456789', substring(text, i, 1)) == 0) {
      return false
    }
  }
  return true
}

fn anonymizeV4(ip) {
  let parts := splitByString('.', ip)
  if (length(parts) != 4) {
    return null
  }
  for (let part in parts) {
    if (not isDigits(part) or toInt(part) > 255) {
      return null
    }
  }
  return concat(parts[1], '.', parts[2], '.', parts[3], '.0')
}

// One group of an IPv6 address, lower-cased without leading zeros; null when it is not 1-4 hex digits.
fn hexGroup(group) {
  let text := lower(group)
  if (empty(text) or length(text) > 4) {
    return null
  }
  for (let i := 1; i <= length(text); i := i + 1) {
    if (position('0123456789abcdef', substring(text, i, 1)) == 0) {
      return null
    }
  }
  while (length(text) > 1 and substring(text, 1, 1) == '0') {
    text := substring(text, 2, length(text))
  }
  return text
}

fn anonymizeV6(ip) {
  let address := splitByString('%', ip)[1]
  // IPv4-mapped (::ffff:203.0.113.7): truncate the IPv4 part, keep the prefix.
  if (position(address, '.') > 0) {
    let colon := length(address)
    while (colon > 0 and substring(address, colon, 1) != ':') {
      colon := colon - 1
    }
    let v4 := anonymizeV4(substring(address, colon + 1, length(address)))
    if (colon == 0 or v4 == null) {
      return null
    }
    return concat(lower(substring(address, 1, colon)), v4)
  }
  let halves := splitByString('::', address)
  if (length(halves) > 2) {
    return null
  }
  let head := empty(halves[1]) ? [] : splitByString(':', halves[1])
  let tail := length(halves) == 2 and not empty(halves[2]) ? splitByString(':', halves[2]) : []
  let missing := 8 - length(head) - length(tail)
  if ((length(halves) == 1 and missing != 0) or (length(halves) == 2 and missing < 1)) {
    return null
  }
  let groups := head
  for (let i := 0; i < missing; i := i + 1) {
    groups := arrayPushBack(groups, '0')
  }
  for (let group in tail) {
    groups := arrayPushBack(groups, group)
  }
  for (let group in groups) {
    if (hexGroup(group) == null) {
      return null
    }
  }
  return concat(hexGroup(groups[1]), ':', hexGroup(groups[2]), ':', hexGroup(groups[3]), '::')
}

let returnEvent := event
let ip := returnEvent.properties[inputs.property]
if (ip == null) {
  return returnEvent
}
let anonymized := null
if (typeof(ip) == 'string') {
  anonymized := position(ip, ':') > 0 ? anonymizeV6(trim(ip)) : anonymizeV4(trim(ip))
}
if (anonymized != null) {
  returnEvent.properties[inputs.property] := anonymized
  return returnEvent
}
// Not an IP address: remove it rather than keep something that may identify a person.
let kept := {}
for (let key, value in returnEvent.properties) {
  if (key != inputs.property) {
    kept[key] := value
  }
}
returnEvent.properties := kept
return returnEvent
`,
  inputs_schema: [
    { key: 'property', type: 'string', label: 'Property', description: 'The property that holds the IP address.', default: '$ip', required: true, templating: false },
  ],
};
