import type { TemplateFixture } from '../types.js';

const TOKEN = 'syt_c2x1aWNl_sluiceMatrixToken_0a1b2c';
const UUID = '0190a1b2-0000-7000-8000-000000000105';
const URL = `https://matrix.example.org/_matrix/client/v3/rooms/!ops42%3Aexample.org/send/m.room.message/sluice-${UUID}`;
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const event = { event: '$pageview', distinct_id: 'u1', uuid: UUID, properties: { $current_url: 'https://example.com/' } };
const person = { id: 'p1', properties: { email: 'noa@example.com' } };
const base = { homeserver_url: 'https://matrix.example.org/', access_token: TOKEN, room_id: '!ops42:example.org' };

export const fixtures: TemplateFixture[] = [
  {
    name: 'sends a notice with a transaction id derived from the event uuid',
    event,
    person,
    inputs: base,
    responses: [{ status: 200, body: { event_id: '$YUwRidLecu:example.org' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: URL,
          headers,
          body: { msgtype: 'm.notice', body: `noa@example.com triggered event: '$pageview' http://localhost:8040/projects/1/events/${UUID}` },
        },
      ],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'sends a text message with an HTML version',
    event,
    person,
    inputs: { ...base, msgtype: 'm.text', body: '{person.name}: {event.event}', formatted_body: '<b>{person.name}</b>: <code>{event.event}</code>' },
    responses: [{ status: 200, body: { event_id: '$abc:example.org' } }],
    expect: {
      requests: [
        {
          method: 'PUT',
          url: URL,
          headers,
          body: {
            msgtype: 'm.text',
            body: 'noa@example.com: $pageview',
            format: 'org.matrix.custom.html',
            formatted_body: '<b>noa@example.com</b>: <code>$pageview</code>',
          },
        },
      ],
    },
  },
  {
    name: 'fails clearly when the bot is not in the room',
    event,
    person,
    inputs: base,
    responses: [{ status: 403, body: { errcode: 'M_FORBIDDEN', error: 'User @sluice:example.org not in room !ops42:example.org' } }],
    expect: {
      status: 'failed',
      error: 'Matrix API error (status 403): User @sluice:example.org not in room !ops42:example.org (M_FORBIDDEN)',
      requests: [{ method: 'PUT', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when the access token is unknown',
    event,
    person,
    inputs: base,
    responses: [{ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.', soft_logout: false } }],
    expect: {
      status: 'failed',
      error: 'Matrix API error (status 401): Invalid access token passed. (M_UNKNOWN_TOKEN)',
      requests: [{ method: 'PUT', url: URL }],
      logsMustNotContain: [TOKEN],
    },
  },
  {
    name: 'fails clearly when a huge message exceeds the homeserver event size limit',
    event,
    person,
    inputs: { ...base, body: 'm'.repeat(70000) },
    responses: [{ status: 413, body: { errcode: 'M_TOO_LARGE', error: 'event too large' } }],
    expect: {
      status: 'failed',
      error: 'Matrix API error (status 413): event too large (M_TOO_LARGE)',
      requests: [{ method: 'PUT', url: URL, headers, body: { msgtype: 'm.notice', body: 'm'.repeat(70000) } }],
    },
  },
  {
    name: 'refuses a room alias instead of a room id',
    event,
    person,
    inputs: { ...base, room_id: '#ops:example.org' },
    expect: { status: 'failed', error: 'Matrix: the room id must look like', requests: [] },
  },
  {
    name: 'refuses a homeserver URL with a path',
    event,
    person,
    inputs: { ...base, homeserver_url: 'https://matrix.example.org/_matrix/client' },
    expect: { status: 'failed', error: 'Matrix: the homeserver URL must look like', requests: [] },
  },
  {
    name: 'is skipped for events its default filters exclude',
    event: { ...event, event: '$pageleave' },
    person,
    inputs: base,
    expect: { status: 'skipped', requests: [] },
  },
];
