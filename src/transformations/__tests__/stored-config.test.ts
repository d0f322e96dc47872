/**
 * A stored transformation whose configuration no longer fits the schema (edited in the database) fails
 * alone: it stays in its place in the chain and fails on each event it reaches, naming the fields, while
 * the transformations around it run; the registry reports it once per configuration version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateDestination } from '../../destinations/validation.js';
import { openTestStore, type OpenedTestStore } from '../../store/__tests__/backends.js';
import type { JsonObject, Store } from '../../store/store.js';
import { TransformationRegistry } from '../registry.js';

const EVENT = { uuid: '01900000-0000-7000-8000-000000000001', event: 'x', distinct_id: 'u', properties: { x: 5 }, timestamp: '2026-01-01T00:00:00.000Z' };

describe('transformations read from the store through the stored-config schema', () => {
  let opened: OpenedTestStore;
  let store: Store;
  let errors: { obj: object; msg: string | undefined }[];
  let registry: TransformationRegistry;

  beforeEach(async () => {
    opened = await openTestStore();
    store = opened.store;
    await store.createProject({ name: 'P', apiToken: 'phc_p' });
    errors = [];
    registry = new TransformationRegistry({ store, checkIntervalMs: 0, logger: { error: (obj, msg) => errors.push({ obj, msg }) } });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  async function save(name: string, hog: string, order: number): Promise<JsonObject> {
    const result = validateDestination({ type: 'transformation', name, hog, execution_order: order });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const config: JsonObject = { ...result.destination };
    await store.saveDestination({ id: result.destination.id, projectId: 1, enabled: true, config });
    return config;
  }

  it('fails only the transformation whose row does not fit, in its place, and reports it once', async () => {
    await save('Double', 'let e := event\ne.properties.x := event.properties.x * 2\nreturn e', 0);
    const broken = await save('Broken', 'return event', 1);
    await save('Add one', 'let e := event\ne.properties.x := event.properties.x + 1\nreturn e', 2);
    // Hostile: the code is no bytecode and the schema is a huge list of wrong items.
    const bad = { ...broken, bytecode: 'not bytecode', inputs_schema: Array.from({ length: 10_000 }, () => ({ key: 7 })) };
    await store.saveDestination({ id: String(broken.id), projectId: 1, enabled: true, config: bad });

    const result = (await registry.chainFor(1)).apply(EVENT, { project: { id: 1, name: 'P' } });
    expect(result.event?.properties.x).toBe(11);
    expect(result.outcomes.map((o) => [o.name, o.result])).toEqual([
      ['Double', 'transformed'],
      ['Broken', 'failed'],
      ['Add one', 'transformed'],
    ]);
    const failure = result.outcomes[1]!.error!;
    expect(failure).toMatch(new RegExp(`destination ${broken.id} \\(project 1\\) does not fit the destination schema: /bytecode: `));
    // At most five problems are named, so one broken list cannot make a huge message.
    expect(failure.split('; ')).toHaveLength(5);
    expect(failure.length).toBeLessThan(1_000);
    expect(result.metrics).toContainEqual({ projectId: 1, destinationId: broken.id, name: 'failed', count: 1 });
    expect(result.logs.some((l) => l.destinationId === broken.id && l.level === 'error' && l.message.includes('does not fit'))).toBe(true);

    expect(errors).toHaveLength(1);
    expect(errors[0]!.obj).toEqual({ projectId: 1, transformationId: broken.id });
    expect(errors[0]!.msg).toContain(`transformation ${broken.id} cannot run: stored configuration of destination ${broken.id}`);
    await registry.chainFor(1);
    expect(errors).toHaveLength(1);

    // Fixed in the store, it runs again.
    await store.saveDestination({ id: String(broken.id), projectId: 1, enabled: true, config: broken });
    const fixed = (await registry.chainFor(1)).apply(EVENT, { project: { id: 1, name: 'P' } });
    expect(fixed.outcomes.map((o) => o.result)).toEqual(['transformed', 'unchanged', 'transformed']);
  });

  it('keeps a row that is not even a named object in the chain, failing, under its id', async () => {
    const kept = await save('Keep', 'return event', 0);
    await store.saveDestination({ id: 'garbage', projectId: 1, enabled: true, config: { type: 'transformation', name: { nested: [[[1]]] } } });
    const result = (await registry.chainFor(1)).apply(EVENT, { project: { id: 1, name: 'P' } });
    expect(result.outcomes.map((o) => [o.id, o.name, o.result])).toEqual([
      [kept.id, 'Keep', 'unchanged'],
      ['garbage', 'garbage', 'failed'],
    ]);
    expect(result.outcomes[1]!.error).toContain('/id: Expected required property');
    expect(result.event).toBe(EVENT);
  });
});
