import type { TemplateDefinition } from '../types.js';

/**
 * HubSpot custom events (Events API v3). Input keys and requests follow PostHog's template of the same id:
 * 1. `GET /events/v3/event-definitions/{name}/?includeProperties=true` looks the event up;
 * 2. when HubSpot does not know it, `POST /events/v3/event-definitions` defines it with the event's
 *    properties; when it does, each property it lacks is added (`POST …/{name}/property`), and a property
 *    whose HubSpot type differs from the value's fails the run;
 * 3. `POST /events/v3/send` sends the occurrence under HubSpot's fully qualified name.
 * The token comes from the `oauth` object (`{access_token}`) of a PostHog configuration, or `access_token`.
 */
export const template: TemplateDefinition = {
  id: 'template-hubspot-event',
  name: 'HubSpot custom events',
  description:
    'Send events to HubSpot as custom events on the contact with that email, defining the event and its properties in HubSpot when they are new. A known event with known properties takes 2 requests; a new event takes 3 and each new property of a known event one more, so set SLUICE_MAX_FETCHES to at least 3 (5 for up to 3 new properties at once). Events without an email are skipped with a log line.',
  category: ['CRM'],
  status: 'beta',
  icon_url: '/static/icons/hubspot-event.svg',
  hog: `let email := trim(toString(inputs.email ?? ''))
if (empty(email)) {
  print('No email on this person: skipping the HubSpot event')
  return
}

let token := inputs.oauth?.access_token
if (empty(token)) {
  token := inputs.access_token
}
if (empty(token)) {
  throw Error('HubSpot: no access token; set access_token (a private app token) or the HubSpot connection (oauth)')
}

// HubSpot names: lower case, no '$', spaces as underscores, starting with a letter.
let eventName := replaceAll(replaceAll(trim(lower(toString(inputs.eventName ?? ''))), '$', ''), ' ', '_')
if (not match(eventName, '^[a-z][a-z0-9_-]*$')) {
  throw Error(f'HubSpot: "{eventName}" is not a valid event name (a letter first, then lower-case letters, digits, _ or -)')
}

fun flat(value) {
  return typeof(value) in ('object', 'array', 'tuple') ? jsonStringify(value) : value
}

let properties := {}
for (let key, value in inputs.properties) {
  if (notEmpty(value)) {
    properties[key] := flat(value)
  }
}
if (inputs.include_all_properties) {
  for (let key, value in event.properties) {
    if (notEmpty(value) and not key like '$%') {
      properties[key] := flat(value)
    }
  }
}

let headers := {
  'Authorization': f'Bearer {token}',
  'Content-Type': 'application/json'
}

fun hubspotError(res) {
  let message := res.body
  if (typeof(res.body) = 'object') {
    message := res.body.message ?? jsonStringify(res.body)
  }
  return Error(f'HubSpot API error (status {res.status}): {message}')
}

// The HubSpot type a value is checked against: null when HubSpot has none for it.
fun hubspotType(value) {
  let t := typeof(value)
  if (t = 'string') {
    return match(value, '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$') ? 'datetime' : 'string'
  }
  if (t = 'integer' or t = 'float') {
    return 'number'
  }
  if (t = 'boolean') {
    return 'enumeration'
  }
  return null
}

// A property definition for a value; booleans become a true/false enumeration.
fun definitionFor(name, value) {
  let t := hubspotType(value)
  if (t = null) {
    print(f'HubSpot: no property type for {name} ({typeof(value)}): left out of the definition')
    return null
  }
  let definition := {'name': name, 'label': name, 'type': t, 'description': f'{name} - (created by PostHog)'}
  if (t = 'enumeration') {
    definition['options'] := [
      {'label': 'true', 'value': true, 'hidden': false, 'description': 'True', 'displayOrder': 1},
      {'label': 'false', 'value': false, 'hidden': false, 'description': 'False', 'displayOrder': 2}
    ]
  }
  return definition
}

let definitionUrl := f'https://api.hubapi.com/events/v3/event-definitions/{eventName}'
let known := fetch(f'{definitionUrl}/?includeProperties=true', {'method': 'GET', 'headers': headers})
// Credentials, rate limits and outages are failures; any other 4xx means HubSpot does not know the event.
if (known.status = 401 or known.status = 403 or known.status = 429 or known.status >= 500) {
  throw hubspotError(known)
}

let qualifiedName := null
if (known.status >= 400) {
  let definitions := []
  for (let key, value in properties) {
    let definition := definitionFor(key, value)
    if (definition != null) {
      definitions := arrayPushBack(definitions, definition)
    }
  }
  let created := fetch('https://api.hubapi.com/events/v3/event-definitions', {
    'method': 'POST',
    'headers': headers,
    'body': {
      'label': eventName,
      'name': eventName,
      'description': f'{eventName} - (created by PostHog)',
      'primaryObject': 'CONTACT',
      'propertyDefinitions': definitions
    }
  })
  if (created.status >= 400) {
    throw hubspotError(created)
  }
  qualifiedName := created.body.fullyQualifiedName
} else {
  qualifiedName := known.body.fullyQualifiedName
  let defined := known.body.properties ?? []
  let mismatched := []
  for (let key, value in properties) {
    let existing := arrayFilter(p -> p.name = key, defined)
    if (empty(existing)) {
      let definition := definitionFor(key, value)
      if (definition != null) {
        let added := fetch(f'{definitionUrl}/property', {'method': 'POST', 'headers': headers, 'body': definition})
        if (added.status >= 400) {
          throw hubspotError(added)
        }
      }
    } else if (existing[1].type != hubspotType(value)) {
      mismatched := arrayPushBack(mismatched, f'{key} (HubSpot type {existing[1].type}, value {jsonStringify(value)})')
    }
  }
  if (notEmpty(mismatched)) {
    throw Error(f'HubSpot: event not sent, these properties do not match their type in HubSpot: {arrayStringConcat(mismatched, ', ')}')
  }
}

let res := fetch('https://api.hubapi.com/events/v3/send', {
  'method': 'POST',
  'headers': headers,
  'body': {
    'eventName': qualifiedName,
    'email': email,
    'occurredAt': event.timestamp,
    'properties': properties
  }
})
if (res.status >= 400) {
  throw hubspotError(res)
}
`,
  inputs_schema: [
    {
      key: 'oauth',
      type: 'integration',
      integration: 'hubspot',
      label: 'HubSpot connection (PostHog integration)',
      description: 'For configurations brought from PostHog: an object with access_token. Otherwise leave it empty and set the access token below.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'access_token',
      type: 'string',
      label: 'Access token',
      description:
        'A HubSpot private app access token with the analytics.behavioral_events.send and behavioral_events.event_definitions.read_write scopes.',
      secret: true,
      templating: false,
      required: false,
    },
    {
      key: 'eventName',
      type: 'string',
      label: 'Event name',
      description:
        "HubSpot's name for the event: lower-cased, '$' removed and spaces turned into underscores; it must then start with a letter and hold only letters, digits, _ and -.",
      default: '{event.event}',
      secret: false,
      required: true,
    },
    {
      key: 'email',
      type: 'string',
      label: 'Email',
      description: 'The contact the event belongs to. Events without one are skipped.',
      default: '{person.properties.email}',
      secret: false,
      required: true,
    },
    {
      key: 'include_all_properties',
      type: 'boolean',
      label: 'Send all event properties',
      description: "Also send every event property except PostHog's own ($…); these win over the mapping below.",
      default: false,
      secret: false,
      required: true,
    },
    {
      key: 'properties',
      type: 'dictionary',
      label: 'Event properties',
      description: 'HubSpot event properties to send; new ones are defined in HubSpot. Empty values are left out; objects are sent as JSON text.',
      default: { price: '{event.properties.price}', currency: 'USD' },
      secret: false,
      required: true,
    },
  ],
  filters: {
    events: [{ id: 'checkout', name: 'checkout', type: 'events', order: 0 }],
    filter_test_accounts: true,
  },
};
