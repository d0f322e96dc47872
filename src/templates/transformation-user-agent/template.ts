import type { TemplateDefinition } from '../types.js';

/**
 * Reads the browser, operating system and device type out of a user agent, with the property names
 * and values posthog-js uses (`$browser: 'Chrome'`, `$os: 'Mac OS X'`, `$device_type: 'Mobile'`), for
 * events from servers and SDKs that send only the raw user agent. Plain string search, no regular
 * expressions: it stays well inside the time limit on every event.
 */
export const template: TemplateDefinition = {
  id: 'template-user-agent-parser',
  type: 'transformation',
  name: 'Parse the user agent',
  description: 'Add $browser, $browser_version, $os, $os_version and $device_type from the user agent string.',
  category: ['Enrichment'],
  status: 'beta',
  icon_url: '/static/icons/user-agent-parser.svg',
  hog: `fn contains(ua, token) {
  return positionCaseInsensitive(ua, token) > 0
}

// The version that follows token ('Chrome/' → '120.0.6099.71'); '_' reads as '.' (iOS, macOS).
fn versionAfter(ua, token) {
  let at := positionCaseInsensitive(ua, token)
  if (at == 0) {
    return null
  }
  let i := at + length(token)
  let version := ''
  let reading := true
  while (reading and i <= length(ua)) {
    let c := substring(ua, i, 1)
    if (position('0123456789._', c) > 0) {
      version := concat(version, c)
      i := i + 1
    } else {
      reading := false
    }
  }
  version := trimRight(replaceAll(version, '_', '.'), '.')
  return empty(version) ? null : version
}

fn browserOf(ua) {
  if (contains(ua, 'Edg/')) { return ['Microsoft Edge', versionAfter(ua, 'Edg/')] }
  if (contains(ua, 'EdgA/')) { return ['Microsoft Edge', versionAfter(ua, 'EdgA/')] }
  if (contains(ua, 'EdgiOS/')) { return ['Microsoft Edge', versionAfter(ua, 'EdgiOS/')] }
  if (contains(ua, 'OPR/')) { return ['Opera', versionAfter(ua, 'OPR/')] }
  if (contains(ua, 'SamsungBrowser/')) { return ['Samsung Internet', versionAfter(ua, 'SamsungBrowser/')] }
  if (contains(ua, 'FxiOS/')) { return ['Firefox iOS', versionAfter(ua, 'FxiOS/')] }
  if (contains(ua, 'Firefox/')) { return ['Firefox', versionAfter(ua, 'Firefox/')] }
  if (contains(ua, 'CriOS/')) { return ['Chrome iOS', versionAfter(ua, 'CriOS/')] }
  if (contains(ua, 'Chrome/')) { return ['Chrome', versionAfter(ua, 'Chrome/')] }
  if (contains(ua, 'Safari/') and contains(ua, 'Mobile')) { return ['Mobile Safari', versionAfter(ua, 'Version/')] }
  if (contains(ua, 'Safari/')) { return ['Safari', versionAfter(ua, 'Version/')] }
  if (contains(ua, 'MSIE ')) { return ['Internet Explorer', versionAfter(ua, 'MSIE ')] }
  if (contains(ua, 'Trident/')) { return ['Internet Explorer', versionAfter(ua, 'rv:')] }
  return [null, null]
}

fn osOf(ua) {
  if (contains(ua, 'Windows Phone')) { return ['Windows Phone', versionAfter(ua, 'Windows Phone ')] }
  if (contains(ua, 'Windows NT ')) { return ['Windows', versionAfter(ua, 'Windows NT ')] }
  if (contains(ua, 'iPhone OS ')) { return ['iOS', versionAfter(ua, 'iPhone OS ')] }
  if (contains(ua, 'iPad') and contains(ua, 'CPU OS ')) { return ['iOS', versionAfter(ua, 'CPU OS ')] }
  if (contains(ua, 'Android')) { return ['Android', versionAfter(ua, 'Android ')] }
  if (contains(ua, 'CrOS')) { return ['Chrome OS', null] }
  if (contains(ua, 'Mac OS X')) { return ['Mac OS X', versionAfter(ua, 'Mac OS X ')] }
  if (contains(ua, 'Linux')) { return ['Linux', null] }
  return [null, null]
}

fn deviceTypeOf(ua) {
  if (contains(ua, 'iPad') or contains(ua, 'Tablet') or (contains(ua, 'Android') and not contains(ua, 'Mobile'))) {
    return 'Tablet'
  }
  if (contains(ua, 'Mobi') or contains(ua, 'iPhone') or contains(ua, 'Windows Phone')) {
    return 'Mobile'
  }
  return 'Desktop'
}

let returnEvent := event
let ua := returnEvent.properties[inputs.user_agent_property]
if (typeof(ua) != 'string' or empty(ua)) {
  return returnEvent
}
let browser := browserOf(ua)
let os := osOf(ua)
let found := {
  '$browser': browser[1],
  '$browser_version': browser[2],
  '$os': os[1],
  '$os_version': os[2],
  '$device_type': deviceTypeOf(ua)
}
for (let key, value in found) {
  if (value != null and (inputs.overwrite or returnEvent.properties[key] == null)) {
    returnEvent.properties[key] := value
  }
}
return returnEvent
`,
  inputs_schema: [
    {
      key: 'user_agent_property',
      type: 'string',
      label: 'User agent property',
      description: 'The property holding the user agent string.',
      default: '$raw_user_agent',
      required: true,
      templating: false,
    },
    {
      key: 'overwrite',
      type: 'boolean',
      label: 'Replace properties the event already has',
      description: 'Off: a $browser (or other) property the SDK already set is kept.',
      default: false,
      required: false,
    },
  ],
};
