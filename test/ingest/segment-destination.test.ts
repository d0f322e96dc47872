import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestination, startRuntimeSluice, startSink, TOKEN, type Sink } from '../runtime/helpers.js';
import type { TestSluice } from './helpers.js';

describe('events sent with the Segment spec reach a destination', () => {
  let sluice: TestSluice;
  let sink: Sink;
  let client: Analytics;

  beforeAll(async () => {
    sluice = await startRuntimeSluice();
    sink = await startSink();
    client = new Analytics({ writeKey: TOKEN, host: sluice.url, flushAt: 1, flushInterval: 10, maxRetries: 0 });
  });
  afterAll(async () => {
    await client.closeAndFlush();
    await sink.close();
    await sluice.stop();
  });

  async function flushAndSettle(): Promise<void> {
    await client.flush();
    await sluice.settle();
  }

  it('delivers a track call with person properties from the traits and the group it names', async () => {
    await createDestination(sluice, {
      template_id: 'template-webhook',
      inputs: {
        url: { value: sink.url },
        body: {
          value: {
            event: '{event.event}',
            distinct_id: '{event.distinct_id}',
            plan: '{event.properties.plan}',
            email: '{person.properties.email}',
            company: '{groups.company.properties.name}',
          },
        },
      },
      filters: { events: [{ id: 'Plan Upgraded', type: 'events' }] },
    });
    client.track({ anonymousId: 'e2e-anon', event: 'Pricing Viewed' });
    await flushAndSettle();
    client.identify({ anonymousId: 'e2e-anon', userId: 'e2e-user', traits: { email: 'lin@example.com' } });
    client.group({ userId: 'e2e-user', groupId: 'initech', traits: { name: 'Initech' } });
    await flushAndSettle();
    client.track({ userId: 'e2e-user', event: 'Plan Upgraded', properties: { plan: 'team' }, context: { groupId: 'initech' } });
    await flushAndSettle();

    const [delivered] = await sink.waitFor(1, 20_000);
    expect(delivered!.json).toEqual({ event: 'Plan Upgraded', distinct_id: 'e2e-user', plan: 'team', email: 'lin@example.com', company: 'Initech' });
    const person = await sluice.store.getPersonByDistinctId(sluice.boot.project.id, 'e2e-anon');
    expect(new Set(person!.distinctIds)).toEqual(new Set(['e2e-anon', 'e2e-user']));
  });
});
