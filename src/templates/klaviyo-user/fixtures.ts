import type { TemplateFixture } from '../types.js';

const URL = 'https://a.klaviyo.com/api/profile-import';
const phHeaders = { authorization: 'Klaviyo-API-Key API_KEY', revision: '2026-04-15', 'content-type': 'application/json' };
const phInputs = {
  apiKey: 'API_KEY',
  email: 'max@posthog.com',
  externalId: 'EXTERNAL_ID',
  include_all_properties: false,
  customProperties: {
    first_name: 'Max',
    last_name: 'AI',
    title: 'Hedgehog in Residence',
    organization: 'PostHog',
    phone_number: '+0123456789',
  },
};
const identify = { event: '$identify', distinct_id: 'distinct-id', timestamp: '2024-01-01T00:00:00Z' };
const geoPerson = { id: 'person-id', properties: { $geoip_country_name: 'United States', plan: 'pay-as-you-go' } };
const profile = (attributes: Record<string, unknown>) => ({ data: { type: 'profile', attributes } });

const KEY = 'pk_live_secret_key_123';

export const fixtures: TemplateFixture[] = [
  {
    name: 'PostHog: imports the profile with its GeoIP location and custom properties',
    posthog: true,
    event: identify,
    person: geoPerson,
    inputs: phInputs,
    responses: [{ status: 201, body: { data: { type: 'profile', id: '01JAFS0VVWGJFE7QE4EJQBA5AS' } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: phHeaders,
          body: profile({
            location: { country: 'United States' },
            properties: phInputs.customProperties,
            email: 'max@posthog.com',
            external_id: 'EXTERNAL_ID',
          }),
        },
      ],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'PostHog: leaves other person properties out when include_all_properties is off',
    posthog: true,
    event: identify,
    person: geoPerson,
    inputs: { ...phInputs, include_all_properties: false },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: profile({ location: { country: 'United States' }, properties: phInputs.customProperties, email: 'max@posthog.com', external_id: 'EXTERNAL_ID' }),
        },
      ],
    },
  },
  {
    name: 'PostHog: adds person properties, but not $-prefixed ones, when include_all_properties is on',
    posthog: true,
    event: identify,
    person: geoPerson,
    inputs: { ...phInputs, include_all_properties: true },
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          body: profile({
            location: { country: 'United States' },
            properties: { ...phInputs.customProperties, plan: 'pay-as-you-go' },
            email: 'max@posthog.com',
            external_id: 'EXTERNAL_ID',
          }),
        },
      ],
    },
  },
  {
    name: 'PostHog: skips a person with neither an email nor an external id',
    posthog: true,
    event: identify,
    // Empty required inputs are refused when saved, so the emptiness comes from the person.
    person: { id: 'person-id', properties: {} },
    inputs: { ...phInputs, email: '{person.properties.email}', externalId: '{person.properties.external_id}' },
    expect: { status: 'succeeded', requests: [] },
  },
  {
    name: 'PostHog: fails on an error status',
    posthog: true,
    event: identify,
    person: geoPerson,
    inputs: phInputs,
    responses: [{ status: 400, body: { error: 'error' } }],
    expect: { status: 'failed', error: 'Klaviyo API error (status 400): {"error":"error"}', requests: [{ method: 'POST', url: URL }] },
  },
  {
    name: 'maps the default inputs from the person: full location, no empty custom properties',
    event: { event: '$set', distinct_id: 'u1' },
    person: {
      id: 'p1',
      properties: {
        email: 'max@example.com',
        firstname: 'Max',
        phone: '+15005550006',
        $geoip_latitude: 52.52,
        $geoip_longitude: 13.405,
        $geoip_city_name: 'Berlin',
        $geoip_country_name: 'Germany',
        $geoip_continent_code: 'EU',
        $geoip_postal_code: '10115',
        $geoip_time_zone: 'Europe/Berlin',
      },
    },
    inputs: { apiKey: KEY },
    responses: [{ status: 200, body: { data: { type: 'profile', id: 'P1' } } }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: URL,
          headers: { authorization: `Klaviyo-API-Key ${KEY}`, revision: '2026-04-15', 'content-type': 'application/json' },
          body: profile({
            location: { latitude: 52.52, longitude: 13.405, city: 'Berlin', country: 'Germany', region: 'EU', zip: '10115', timezone: 'Europe/Berlin' },
            properties: { first_name: 'Max', phone_number: '+15005550006' },
            email: 'max@example.com',
            external_id: 'p1',
          }),
        },
      ],
      logsMustNotContain: [KEY],
    },
  },
  {
    name: 'imports a profile known only by its external id',
    event: identify,
    person: { id: 'p2', properties: {} },
    inputs: { apiKey: KEY, customProperties: {} },
    expect: { requests: [{ method: 'POST', url: URL, body: profile({ location: {}, properties: {}, external_id: 'p2' }) }] },
  },
  {
    name: 'reports the detail of a Klaviyo error',
    event: identify,
    person: geoPerson,
    inputs: phInputs,
    responses: [{ status: 401, body: { errors: [{ status: 401, code: 'not_authenticated', title: 'Authentication credentials were not provided.', detail: 'Missing or invalid private key.' }] } }],
    expect: {
      status: 'failed',
      error: 'Klaviyo API error (status 401): Missing or invalid private key.',
      requests: [{ method: 'POST', url: URL }],
      logsMustNotContain: ['API_KEY'],
    },
  },
  {
    name: 'is skipped for events other than $identify and $set',
    event: { event: '$pageview', distinct_id: 'u1' },
    person: geoPerson,
    inputs: phInputs,
    expect: { status: 'skipped', requests: [] },
  },
];
