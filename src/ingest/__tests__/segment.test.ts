import { describe, expect, it } from 'vitest';
import { IngestError } from '../errors.js';
import { basicAuthUser, segmentFormat, translateSegmentMessage, uuidForMessageId } from '../segment.js';

const translate = (raw: unknown, type?: Parameters<typeof translateSegmentMessage>[1]) => translateSegmentMessage(raw, type, undefined, undefined);

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof IngestError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  throw new Error('expected an IngestError');
}

describe('the Segment message translation', () => {
  it('maps a track call to an event with its properties and the user id as distinct id', () => {
    const event = translate({ type: 'track', event: 'Order Completed', userId: 'u1', anonymousId: 'a1', properties: { total: 3 } });
    expect(event).toMatchObject({ event: 'Order Completed', distinct_id: 'u1', properties: { total: 3 } });
  });

  it('falls back to the anonymous id and accepts numeric user ids', () => {
    expect(translate({ type: 'track', event: 'x', anonymousId: 'a1' }).distinct_id).toBe('a1');
    expect(translate({ type: 'track', event: 'x', userId: 42 }).distinct_id).toBe('42');
  });

  it('maps identify traits to $set and links the anonymous id for the merge', () => {
    const event = translate({ type: 'identify', userId: 'u1', anonymousId: 'a1', traits: { email: 'a@b.c' } });
    expect(event).toMatchObject({ event: '$identify', distinct_id: 'u1', properties: { $set: { email: 'a@b.c' }, $anon_distinct_id: 'a1' } });
    expect(translate({ type: 'identify', anonymousId: 'a1', traits: {} }).properties).not.toHaveProperty('$anon_distinct_id');
  });

  it('maps a page call to $pageview with the URL facts of context.page', () => {
    const event = translate({
      type: 'page',
      userId: 'u1',
      name: 'Pricing',
      context: { page: { url: 'https://x.test/pricing?a=1', path: '/pricing', referrer: 'https://r.test/', title: 'Pricing' } },
    });
    expect(event.event).toBe('$pageview');
    expect(event.properties).toMatchObject({ $current_url: 'https://x.test/pricing?a=1', $pathname: '/pricing', $referrer: 'https://r.test/', $title: 'Pricing', name: 'Pricing' });
  });

  it('takes the page URL from the properties when context.page is missing', () => {
    expect(translate({ userId: 'u1', properties: { url: 'https://x.test/a' } }, 'page').properties).toMatchObject({ $current_url: 'https://x.test/a' });
  });

  it('maps screen, group and alias calls', () => {
    expect(translate({ type: 'screen', userId: 'u1', name: 'Home' })).toMatchObject({ event: '$screen', properties: { $screen_name: 'Home' } });
    expect(translate({ type: 'group', userId: 'u1', groupId: 'g1', traits: { name: 'Acme' } })).toMatchObject({
      event: '$groupidentify',
      properties: { $group_type: 'company', $group_key: 'g1', $group_set: { name: 'Acme' }, $groups: { company: 'g1' } },
    });
    expect(translate({ type: 'group', userId: 'u1', groupId: 'p9', traits: { group_type: 'project', name: 'P' } }).properties).toMatchObject({
      $group_type: 'project',
      $group_set: { name: 'P' },
    });
    expect(translate({ type: 'alias', userId: 'new', previousId: 'old' })).toMatchObject({ event: '$create_alias', distinct_id: 'new', properties: { alias: 'old' } });
  });

  it('lifts ip, library and user agent out of context and keeps the rest', () => {
    const event = translate({
      type: 'track',
      event: 'x',
      userId: 'u1',
      context: { ip: '10.1.2.3', userAgent: 'UA/1', library: { name: 'analytics-node', version: '2.3.0' }, locale: 'de-DE' },
    });
    expect(event.properties).toEqual({ $ip: '10.1.2.3', $raw_user_agent: 'UA/1', $lib: 'analytics-node', $lib_version: '2.3.0', $segment_context: { locale: 'de-DE' } });
  });

  it('passes timestamp and sentAt on for clock skew correction, and messageId as the uuid', () => {
    const event = translateSegmentMessage(
      { type: 'track', event: 'x', userId: 'u', timestamp: '2026-01-01T00:00:00.000Z', messageId: '0190B1D6-3C5A-7B8E-9F00-0123456789AB' },
      undefined,
      undefined,
      '2026-01-01T00:00:05.000Z',
    );
    expect(event).toMatchObject({ timestamp: '2026-01-01T00:00:00.000Z', sent_at: '2026-01-01T00:00:05.000Z', uuid: '0190b1d6-3c5a-7b8e-9f00-0123456789ab' });
  });

  it('derives the same time-ordered UUID from a non-UUID messageId every time', () => {
    const a = uuidForMessageId('node-next-1700000000000-abc', '2026-01-01T00:00:00.000Z');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidForMessageId('node-next-1700000000000-abc', '2026-01-01T00:00:00.000Z')).toBe(a);
    expect(uuidForMessageId('node-next-1700000000000-abd', '2026-01-01T00:00:00.000Z')).not.toBe(a);
    expect(a.slice(0, 13)).toBe(uuidForMessageId('other', '2026-01-01T00:00:00.000Z').slice(0, 13));
  });

  it('rejects a message without ids, of an unknown type, or not an object, with a reason', () => {
    expect(reasonOf(() => translate({ type: 'track', event: 'x' }))).toMatch(/missing_distinct_id: a track call needs a "userId" or an "anonymousId"/);
    expect(reasonOf(() => translate({ type: 'teleport', userId: 'u' }))).toMatch(/invalid_event: unknown "type" "teleport"/);
    expect(reasonOf(() => translate({ userId: 'u' }))).toMatch(/needs a "type"/);
    expect(reasonOf(() => translate('hello'))).toMatch(/must be a JSON object, not a string/);
    expect(reasonOf(() => translate({ type: 'track', event: 'x', userId: 'u', properties: [1] }))).toMatch(/"properties" must be a JSON object/);
    expect(reasonOf(() => translate({ type: 'alias', userId: 'u' }))).toMatch(/"previousId" and "userId"/);
    expect(reasonOf(() => translate({ type: 'group', userId: 'u' }))).toMatch(/"groupId"/);
  });
});

describe('the Segment body format', () => {
  it('reads the write key from Basic auth or the body, and refuses two different ones', () => {
    expect(basicAuthUser(`Basic ${Buffer.from('phc_key:').toString('base64')}`)).toBe('phc_key');
    expect(basicAuthUser('Bearer x')).toBeUndefined();
    expect(segmentFormat(undefined, undefined).readEnvelope({ writeKey: 'k', batch: [] }).token).toBe('k');
    expect(reasonOf(() => segmentFormat(undefined, 'a').readEnvelope({ writeKey: 'b', batch: [] }))).toMatch(/different write keys/);
  });

  it('refuses a batch that is not an array or a body that is not an object', () => {
    expect(reasonOf(() => segmentFormat(undefined, 'k').readEnvelope({ batch: {} }))).toMatch(/"batch" must be an array/);
    expect(reasonOf(() => segmentFormat(undefined, 'k').readEnvelope([1]))).toMatch(/must be a JSON object/);
  });

  it('merges the batch context under each message context', () => {
    const format = segmentFormat(undefined, 'k');
    const envelope = format.readEnvelope({ context: { ip: '1.1.1.1', locale: 'en' }, batch: [{ type: 'track', event: 'x', userId: 'u', context: { locale: 'fr' } }] });
    const event = format.translate(envelope.events[0]) as { properties: Record<string, unknown> };
    expect(event.properties).toMatchObject({ $ip: '1.1.1.1', $segment_context: { locale: 'fr' } });
  });
});
