import type { TemplateFixture } from '../types.js';

const API = 'https://api.hubapi.com/events/v3';
const headers = { authorization: 'Bearer TOKEN', 'content-type': 'application/json' };
const person = { id: 'person-id', properties: { email: 'example@posthog.com' } };
const event = (properties: Record<string, unknown> = { $current_url: 'https://example.com' }) => ({
  event: 'checkout',
  distinct_id: 'distinct-id',
  timestamp: '2024-01-01T00:00:00Z',
  properties,
});
const phInputs = {
  oauth: { access_token: 'TOKEN' },
  eventName: 'purchase',
  email: 'example@posthog.com',
  include_all_properties: false,
  properties: { price: 50, currency: 'USD' },
};
const KNOWN_PURCHASE = {
  status: 200,
  body: {
    fullyQualifiedName: 'pe_purchase',
    properties: [
      { name: 'currency', type: 'string' },
      { name: 'price', type: 'number' },
      { name: 'product', type: 'string' },
    ],
  },
};
const lookup = (name: string) => ({ method: 'GET', url: `${API}/event-definitions/${name}/?includeProperties=true`, headers });
const send = (eventName: string, properties: Record<string, unknown>) => ({
  method: 'POST',
  url: `${API}/send`,
  headers,
  body: { eventName, email: 'example@posthog.com', occurredAt: '2024-01-01T00:00:00Z', properties },
});
const BOOLEAN_OPTIONS = [
  { label: 'true', value: true, hidden: false, description: 'True', displayOrder: 1 },
  { label: 'false', value: false, hidden: false, description: 'False', displayOrder: 2 },
];

/** An allowed name: the lookup answers `{}` (no properties known), so both mapped properties are added. */
const allowedName = (given: string, formatted: string): TemplateFixture => ({
  name: `PostHog: looks up "${given}" as ${formatted}`,
  posthog: true,
  event: event({ url: 'https://example.com', $browser: 'Chrome' }),
  person,
  inputs: { ...phInputs, eventName: given },
  maxFetches: 4,
  expect: {
    requests: [
      lookup(formatted),
      { method: 'POST', url: `${API}/event-definitions/${formatted}/property` },
      { method: 'POST', url: `${API}/event-definitions/${formatted}/property` },
      { method: 'POST', url: `${API}/send` },
    ],
  },
});

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: sends the event under its qualified name when HubSpot knows it and its properties',
    posthog: true,
    event: event(),
    person,
    inputs: phInputs,
    responses: [KNOWN_PURCHASE, KNOWN_PURCHASE],
    expect: { requests: [lookup('purchase'), send('pe_purchase', { price: 50, currency: 'USD' })], logsMustNotContain: ['TOKEN'] },
  },
  {
    name: 'PostHog: leaves event properties out when include_all_properties is off',
    posthog: true,
    event: event({ product: 'CDP' }),
    person,
    inputs: { ...phInputs, include_all_properties: false },
    responses: [KNOWN_PURCHASE, KNOWN_PURCHASE],
    expect: { requests: [lookup('purchase'), send('pe_purchase', { price: 50, currency: 'USD' })] },
  },
  {
    name: 'PostHog: adds event properties when include_all_properties is on',
    posthog: true,
    event: event({ product: 'CDP' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    responses: [KNOWN_PURCHASE, KNOWN_PURCHASE],
    expect: { requests: [lookup('purchase'), send('pe_purchase', { price: 50, currency: 'USD', product: 'CDP' })] },
  },
  {
    name: 'PostHog: defines a new event with its properties, then sends it (3 requests)',
    posthog: true,
    event: event({ price: 50, currency: 'USD', expressDelivery: true }),
    person,
    inputs: { ...phInputs, include_all_properties: true, eventName: 'sign_up' },
    maxFetches: 3,
    responses: [
      { status: 400, body: { status: 'error' } },
      { status: 200, body: { fullyQualifiedName: 'pe_sign_up' } },
    ],
    expect: {
      requests: [
        lookup('sign_up'),
        {
          method: 'POST',
          url: `${API}/event-definitions`,
          headers,
          body: {
            label: 'sign_up',
            name: 'sign_up',
            description: 'sign_up - (created by PostHog)',
            primaryObject: 'CONTACT',
            propertyDefinitions: [
              { name: 'price', label: 'price', type: 'number', description: 'price - (created by PostHog)' },
              { name: 'currency', label: 'currency', type: 'string', description: 'currency - (created by PostHog)' },
              {
                name: 'expressDelivery',
                label: 'expressDelivery',
                type: 'enumeration',
                description: 'expressDelivery - (created by PostHog)',
                options: BOOLEAN_OPTIONS,
              },
            ],
          },
        },
        send('pe_sign_up', { price: 50, currency: 'USD', expressDelivery: true }),
      ],
    },
  },
  {
    name: 'PostHog: adds each property HubSpot lacks, then sends the event (5 requests)',
    posthog: true,
    event: event({ price: 50, currency: 'USD', expressDelivery: true, location: 'Planet Earth', timestamp: '2024-11-11T17:25:59.812Z' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    maxFetches: 5,
    responses: [KNOWN_PURCHASE, { status: 200, body: {} }, { status: 200, body: {} }, { status: 200, body: {} }],
    expect: {
      requests: [
        lookup('purchase'),
        {
          method: 'POST',
          url: `${API}/event-definitions/purchase/property`,
          headers,
          body: {
            name: 'expressDelivery',
            label: 'expressDelivery',
            type: 'enumeration',
            description: 'expressDelivery - (created by PostHog)',
            options: BOOLEAN_OPTIONS,
          },
        },
        {
          method: 'POST',
          url: `${API}/event-definitions/purchase/property`,
          headers,
          body: { name: 'location', label: 'location', type: 'string', description: 'location - (created by PostHog)' },
        },
        {
          method: 'POST',
          url: `${API}/event-definitions/purchase/property`,
          headers,
          body: { name: 'timestamp', label: 'timestamp', type: 'datetime', description: 'timestamp - (created by PostHog)' },
        },
        send('pe_purchase', {
          price: 50,
          currency: 'USD',
          expressDelivery: true,
          location: 'Planet Earth',
          timestamp: '2024-11-11T17:25:59.812Z',
        }),
      ],
    },
  },
  {
    name: 'PostHog: skips when the email is empty',
    posthog: true,
    event: event(),
    // An empty required input is refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: { email: '' } },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: skips when the email is null',
    posthog: true,
    event: event(),
    person: { id: 'person-id', properties: {} },
    inputs: { ...phInputs, email: '{person.properties.email}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: fails without sending when a value does not match the type HubSpot has for it',
    posthog: true,
    event: event({ price: '50 coins' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    responses: [KNOWN_PURCHASE],
    expect: {
      status: 'failed',
      error: 'HubSpot: event not sent, these properties do not match their type in HubSpot: price (HubSpot type number, value "50 coins")',
      requests: [lookup('purchase')],
    },
  },
  allowedName('$identify', 'identify'),
  allowedName('$pageview', 'pageview'),
  allowedName('sign up', 'sign_up'),
  allowedName('purchase', 'purchase'),
  allowedName('event-name', 'event-name'),
  allowedName('subscribed_6-months', 'subscribed_6-months'),
  allowedName('custom', 'custom'),
  {
    name: 'PostHog: refuses an event name that does not start with a letter',
    posthog: true,
    event: event({ url: 'https://example.com', $browser: 'Chrome' }),
    person,
    inputs: { ...phInputs, eventName: '6month_subscribed' },
    expect: { status: 'failed', error: 'HubSpot: "6month_subscribed" is not a valid event name', requests: [] },
  },
  {
    name: 'uses the access token input and sends nested values as JSON text',
    event: event({ cart: { items: 2 } }),
    person,
    inputs: { access_token: 'pat-na1-secret', eventName: 'purchase', properties: { price: 50, cart: '{event.properties.cart}' } },
    responses: [
      {
        status: 200,
        body: {
          fullyQualifiedName: 'pe_purchase',
          properties: [
            { name: 'price', type: 'number' },
            { name: 'cart', type: 'string' },
          ],
        },
      },
    ],
    expect: {
      requests: [
        { method: 'GET', url: `${API}/event-definitions/purchase/?includeProperties=true`, headers: { authorization: 'Bearer pat-na1-secret', 'content-type': 'application/json' } },
        {
          method: 'POST',
          url: `${API}/send`,
          body: { eventName: 'pe_purchase', email: 'example@posthog.com', occurredAt: '2024-01-01T00:00:00Z', properties: { price: 50, cart: '{"items":2}' } },
        },
      ],
      logsMustNotContain: ['pat-na1-secret'],
    },
  },
  {
    name: 'fails at once when HubSpot rejects the token, without trying to define the event',
    event: event(),
    person,
    inputs: { ...phInputs },
    responses: [{ status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } }],
    expect: {
      status: 'failed',
      error: 'HubSpot API error (status 401): Authentication credentials not found.',
      requests: [lookup('purchase')],
      logsMustNotContain: ['TOKEN'],
    },
  },
  {
    name: 'fails when defining a new event fails',
    event: event(),
    person,
    inputs: { ...phInputs, eventName: 'sign_up' },
    responses: [
      { status: 404, body: { status: 'error', message: 'Event definition not found' } },
      { status: 400, body: { status: 'error', message: 'Too many event definitions' } },
    ],
    expect: {
      status: 'failed',
      error: 'HubSpot API error (status 400): Too many event definitions',
      requests: [lookup('sign_up'), { method: 'POST', url: `${API}/event-definitions` }],
    },
  },
  {
    name: 'a new property on the default 2-fetch limit fails clearly on the third request',
    event: event({ location: 'Planet Earth' }),
    person,
    inputs: { ...phInputs, include_all_properties: true },
    responses: [KNOWN_PURCHASE, { status: 200, body: {} }],
    expect: {
      status: 'failed',
      error: 'SLUICE_MAX_FETCHES',
      requests: [lookup('purchase'), { method: 'POST', url: `${API}/event-definitions/purchase/property` }],
    },
  },
  {
    name: 'fails before any request when no token is set',
    event: event(),
    person,
    inputs: { eventName: 'purchase' },
    expect: { status: 'failed', error: 'HubSpot: no access token', requests: [] },
  },
  {
    name: 'is skipped for events other than checkout (the default filter)',
    event: { event: '$pageview', distinct_id: 'distinct-id' },
    person,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
