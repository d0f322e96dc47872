/**
 * Reading a stored configuration through its schema: everything validation writes reads back unchanged,
 * and a row that does not fit fails with an error naming the destination, its project and the fields.
 */
import { describe, expect, it } from 'vitest';
import { findTemplate, TEMPLATE_MODULES } from '../../templates/index.js';
import { destinationFromStored, StoredDestinationError } from '../config-schema.js';
import { validateDestination } from '../validation.js';

function validated(body: Record<string, unknown>) {
  const result = validateDestination(body, { templates: findTemplate });
  if (!result.ok) throw new Error(`${String(body.template_id ?? body.name)}: ${JSON.stringify(result.errors)}`);
  return result.destination;
}

const stored = (config: unknown, id = 'd-1') => ({ id, projectId: 7, config });

function problemOf(config: unknown): StoredDestinationError {
  try {
    destinationFromStored(stored(config));
  } catch (error) {
    if (error instanceof StoredDestinationError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('destinationFromStored', () => {
  it('reads back what validation writes, for every template with its first fixture', () => {
    for (const { template, fixtures } of TEMPLATE_MODULES) {
      const inputs = Object.fromEntries(Object.entries(fixtures[0]?.inputs ?? {}).map(([key, value]) => [key, { value }]));
      const destination = validated({ template_id: template.id, inputs });
      // Through JSON, as the store keeps it.
      const config: unknown = JSON.parse(JSON.stringify(destination));
      expect(destinationFromStored(stored(config)), template.id).toEqual(config);
    }
  });

  it('reads what validation lets through from PostHog exports: null texts, null filter lists, extra fields', () => {
    const destination = validated({
      name: 'From PostHog',
      hog: "print(inputs.a)",
      inputs_schema: [{ key: 'a', type: 'string', label: null, description: null, requiredScopes: 'x' }],
      inputs: { a: { value: 'x' } },
      filters: { events: null, properties: null, hog: null, source: 'events', bytecode_error: null },
    });
    const config: unknown = JSON.parse(JSON.stringify({ ...destination, deleted: false, created_by: { id: 1 } }));
    expect(destinationFromStored(stored(config))).toEqual(config);
  });

  it('refuses a row that is not a configuration, naming the destination and the project', () => {
    for (const config of [null, 'text', [], 42]) {
      const error = problemOf(config);
      expect(error.message).toMatch(/^stored configuration of destination d-1 \(project 7\) does not fit the destination schema: /);
    }
  });

  it('names each field that does not fit, at most five of them', () => {
    const good = JSON.parse(JSON.stringify(validated({ name: 'Hook', hog: "print('x')" }))) as Record<string, unknown>;
    const error = problemOf({ ...good, inputs_schema: [{ key: 'a', type: 'telepathy' }], bytecode: 'not a list' });
    expect(error.problems.some((p) => p.startsWith('/inputs_schema/0/type'))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('/bytecode'))).toBe(true);
    const missing = problemOf({ id: 'd-1' });
    expect(missing.problems).toHaveLength(5);
    expect(missing.message).toContain('/name');
  });

  it('checks a huge configuration quickly, and refuses a deep compiled tree that does not fit', () => {
    const good = JSON.parse(JSON.stringify(validated({ name: 'Hook', hog: "print('x')" }))) as Record<string, unknown>;
    const many = Array.from({ length: 20_000 }, (_, i) => ({ key: `k${i}`, type: 'string' }));
    const started = Date.now();
    expect(destinationFromStored(stored({ ...good, inputs_schema: many })).inputs_schema).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    let tree: unknown = { kind: 'weird' };
    for (let i = 0; i < 500; i++) tree = { kind: 'array', items: [tree] };
    const error = problemOf({ ...good, inputs: { a: { value: [], bytecode: tree } } });
    expect(error.message).toContain('/inputs/a');
  });
});
