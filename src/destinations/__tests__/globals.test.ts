import { describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '../../store/store.js';
import { buildGlobals, personDisplayName, type BuildGlobalsInput } from '../globals.js';

const input: BuildGlobalsInput = {
  event: {
    uuid: '0190a1b2-0000-7000-8000-000000000001',
    event: '$pageview',
    distinct_id: 'anon-1',
    properties: { $current_url: 'https://example.com' },
    timestamp: '2024-05-01T12:00:00.000Z',
    elements_chain: 'a.link:nth-child="1"',
  },
  person: { id: 'p-uuid', properties: { first_name: 'Max', email: 'max@example.com' }, distinct_ids: ['anon-1'] },
  groups: { company: { key: 'acme', index: 0, properties: { plan: 'pro' } } },
  project: { id: 3, name: 'Hogwarts' },
  source: { name: 'Slack alerts', id: 'dest-9' },
  siteUrl: 'https://sluice.example.com/',
};

describe('buildGlobals', () => {
  it('builds exactly the documented destination globals', () => {
    expect(buildGlobals(input)).toEqual({
      event: {
        uuid: '0190a1b2-0000-7000-8000-000000000001',
        event: '$pageview',
        name: '$pageview',
        distinct_id: 'anon-1',
        properties: { $current_url: 'https://example.com' },
        timestamp: '2024-05-01T12:00:00.000Z',
        elements_chain: 'a.link:nth-child="1"',
        url: 'https://sluice.example.com/projects/3/events/0190a1b2-0000-7000-8000-000000000001',
      },
      person: {
        id: 'p-uuid',
        uuid: 'p-uuid',
        name: 'max@example.com',
        url: 'https://sluice.example.com/projects/3/persons/p-uuid',
        properties: { first_name: 'Max', email: 'max@example.com' },
      },
      groups: {
        company: {
          id: 'acme',
          type: 'company',
          index: 0,
          url: 'https://sluice.example.com/projects/3/groups/0/acme',
          properties: { plan: 'pro' },
        },
      },
      project: { id: 3, name: 'Hogwarts', url: 'https://sluice.example.com/projects/3' },
      source: { name: 'Slack alerts', url: 'https://sluice.example.com/projects/3/destinations/dest-9' },
    });
  });

  it('gives an empty elements_chain and no groups when the event has none', () => {
    const g = buildGlobals({ ...input, event: { ...input.event, elements_chain: undefined }, groups: undefined });
    expect(g.event.elements_chain).toBe('');
    expect(g.groups).toEqual({});
  });

  it('gives person null for a personless event', () => {
    expect(buildGlobals({ ...input, person: { ...input.person!, processed: false } }).person).toBe(null);
    expect(buildGlobals({ ...input, person: null }).person).toBe(null);
  });

  it('uses the project display-name properties for the person name', () => {
    const g = buildGlobals({ ...input, project: { ...input.project, personDisplayNameProperties: ['first_name'] } });
    expect(g.person!.name).toBe('Max');
  });

  it('escapes ids in URLs and points an unsaved destination at the new page', () => {
    const g = buildGlobals({ ...input, event: { ...input.event, uuid: 'a/b' }, source: { name: 'Test' } });
    expect(g.event.url).toBe('https://sluice.example.com/projects/3/events/a%2Fb');
    expect(g.source.url).toBe('https://sluice.example.com/projects/3/destinations/new');
  });
});

describe('buildGlobals with an enriched event from intake', () => {
  it('takes the store EnrichedEvent parts as they are', () => {
    const enriched: EnrichedEvent = {
      seq: 1,
      partition: 0,
      position: { tx: 0, seq: 1 },
      projectId: 3,
      event: { uuid: 'u1', event: 'signed_up', distinct_id: 'd1', properties: {}, timestamp: '2024-05-01T00:00:00.000Z' },
      person: { id: 'p1', properties: { name: 'Max' }, distinct_ids: ['d1'], is_identified: true, created_at: '', processed: true },
      groups: { company: { key: 'acme', index: 0, properties: {} } },
    };
    const g = buildGlobals({ ...enriched, project: { id: 3, name: 'P' }, source: { name: 'S' }, siteUrl: 'http://x' });
    expect(g.person!.name).toBe('Max');
    expect(g.groups.company!.id).toBe('acme');
  });
});

describe('personDisplayName', () => {
  it('takes email, then name, then username by default', () => {
    expect(personDisplayName({ username: 'u', name: 'n' }, 'd')).toBe('n');
    expect(personDisplayName({ username: 'u' }, 'd')).toBe('u');
  });

  it('falls back to the distinct id when no display property has a value', () => {
    expect(personDisplayName({ email: '', name: null }, 'distinct-7')).toBe('distinct-7');
  });
});
