import { describe, expect, it } from 'vitest';
import { buildGlobals } from '../globals.js';
import type { InputSchemaItem, Inputs } from '../model.js';
import { compileInputs, compiledInputsFromStored, evaluateInputs, sortByDependencies, type CompiledInputs } from '../templating.js';

const globals = buildGlobals({
  event: {
    uuid: 'e-1',
    event: '$pageview',
    distinct_id: 'max',
    properties: { $current_url: 'https://example.com/docs', price: 12.5, tags: ['a', 'b'] },
    timestamp: '2024-05-01T12:00:00.000Z',
  },
  person: { id: 'p-1', properties: { first_name: 'Max', last_name: 'the Hedgehog', email: 'max@example.com' } },
  project: { id: 7, name: 'Hogwarts' },
  source: { name: 'Webhook', id: 'd-1' },
  siteUrl: 'http://localhost:8000',
}) as unknown as Record<string, unknown>;

function schemaOf(...keys: (string | Partial<InputSchemaItem>)[]): InputSchemaItem[] {
  return keys.map((k) => (typeof k === 'string' ? { key: k, type: 'string' } : ({ type: 'string', ...k } as InputSchemaItem)));
}

function compileOk(schema: InputSchemaItem[], inputs: Inputs): CompiledInputs {
  const result = compileInputs(schema, inputs);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}

function evaluate(schema: InputSchemaItem[], inputs: Inputs): Record<string, unknown> {
  const result = evaluateInputs(compileOk(schema, inputs), globals);
  if (!result.ok) throw new Error(result.error.message);
  return result.inputs;
}

describe('templated inputs', () => {
  it('evaluates the product example to "$pageview was triggered by Max the Hedgehog"', () => {
    const out = evaluate(schemaOf('message'), {
      message: { value: '{event.name} was triggered by {person.properties.first_name} {person.properties.last_name}' },
    });
    expect(out.message).toBe('$pageview was triggered by Max the Hedgehog');
  });

  it('keeps the type of a lone {expr}', () => {
    const out = evaluate(schemaOf('props', 'price', 'tags', 'missing'), {
      props: { value: '{event.properties}' },
      price: { value: '{event.properties.price}' },
      tags: { value: '{event.properties.tags}' },
      missing: { value: '{event.properties.nope}' },
    });
    expect(out.props).toEqual({ $current_url: 'https://example.com/docs', price: 12.5, tags: ['a', 'b'] });
    expect(out.price).toBe(12.5);
    expect(out.tags).toEqual(['a', 'b']);
    expect(out.missing).toBe(null);
  });

  it('templates every string leaf inside nested dictionaries, arrays and JSON', () => {
    const body = {
      event: '{event}',
      person: { name: '{person.name}', ids: ['{person.id}', 'static', 3] },
      nested: { deeper: { url: '{event.properties.$current_url}?ref={source.name}' } },
      flag: true,
      none: null,
    };
    const out = evaluate(schemaOf({ key: 'body', type: 'json' }), { body: { value: body } });
    expect(out.body).toEqual({
      event: expect.objectContaining({ event: '$pageview', name: '$pageview', distinct_id: 'max' }),
      person: { name: 'max@example.com', ids: ['p-1', 'static', 3] },
      nested: { deeper: { url: 'https://example.com/docs?ref=Webhook' } },
      flag: true,
      none: null,
    });
  });

  it('collapses a subtree without templates into one literal', () => {
    const compiled = compileOk(schemaOf({ key: 'headers', type: 'dictionary' }), {
      headers: { value: { 'Content-Type': 'application/json', 'X-Static': 'yes' } },
    });
    expect(compiled.values.headers).toEqual({ kind: 'literal', value: { 'Content-Type': 'application/json', 'X-Static': 'yes' } });
  });

  it('leaves the value untouched when the schema turns templating off', () => {
    const out = evaluate(schemaOf({ key: 'raw', templating: false }), { raw: { value: 'literal {event.name}' } });
    expect(out.raw).toBe('literal {event.name}');
  });

  it('passes numbers, booleans and null through', () => {
    const out = evaluate(schemaOf({ key: 'n', type: 'number' }, { key: 'b', type: 'boolean' }, 'z'), {
      n: { value: 5 },
      b: { value: false },
      z: { value: null },
    });
    expect(out).toEqual({ n: 5, b: false, z: null });
  });

  it('reports a template syntax error with the input key, the path inside it and the position', () => {
    const result = compileInputs(schemaOf({ key: 'body', type: 'json' }), {
      body: { value: { user: { name: 'Hi {person.properties.name' } } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]).toMatchObject({ key: 'body', path: 'inputs.body.value.user.name', line: 1, column: expect.any(Number) });
    }
  });

  it('names the input and the path when evaluation fails', () => {
    const compiled = compileOk(schemaOf({ key: 'body', type: 'json' }), {
      body: { value: { list: ['ok', "{match('x', '(')}"] } },
    });
    const result = evaluateInputs(compiled, globals);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.key).toBe('body');
      expect(result.error.path).toBe('inputs.body.value.list[1]');
      expect(result.error.message).toContain("input 'body'");
    }
  });
});

describe('input dependencies', () => {
  it('lets an input use another input, whatever their schema order', () => {
    const schema = schemaOf('url', 'hook', 'greeting');
    const compiled = compileOk(schema, {
      url: { value: '{inputs.hook}/path' },
      hook: { value: 'https://hooks.example.com' },
      greeting: { value: "{inputs['url']}?q={event.name}" },
    });
    expect(compiled.order).toEqual(['hook', 'url', 'greeting']);
    const result = evaluateInputs(compiled, globals);
    expect(result).toEqual({
      ok: true,
      inputs: {
        hook: 'https://hooks.example.com',
        url: 'https://hooks.example.com/path',
        greeting: 'https://hooks.example.com/path?q=$pageview',
      },
    });
  });

  it('keeps schema order when nothing depends on anything', () => {
    expect(compileOk(schemaOf('c', 'a', 'b'), { a: { value: 'x' }, b: { value: 'y' }, c: { value: 'z' } }).order).toEqual(['c', 'a', 'b']);
  });

  it('rejects a cycle and names its keys', () => {
    const result = compileInputs(schemaOf('a', 'b', 'c'), {
      a: { value: '{inputs.c}' },
      b: { value: 'plain' },
      c: { value: '{inputs.a}!' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]!.message).toMatch(/cycle: a → c → a/);
      expect(result.errors[0]!.path).toBe('inputs.a');
    }
  });

  it('ignores a reference to itself or to an unknown input', () => {
    expect(compileInputs(schemaOf('a'), { a: { value: '{inputs.a}{inputs.zzz}' } }).ok).toBe(true);
  });

  it('sorts dependencies topologically with ties in the given order', () => {
    const deps = new Map([
      ['d', new Set(['b'])],
      ['b', new Set(['a'])],
    ]);
    expect(sortByDependencies(['d', 'c', 'b', 'a'], deps)).toEqual({ ok: true, order: ['a', 'b', 'd', 'c'] });
  });

  it('rebuilds the compiled inputs from stored {value, bytecode, order}', () => {
    const compiled = compileOk(schemaOf('url', 'hook'), { url: { value: '{inputs.hook}/x' }, hook: { value: 'h' } });
    const stored: Inputs = {
      url: { value: '{inputs.hook}/x', bytecode: compiled.values.url, order: compiled.order.indexOf('url') },
      hook: { value: 'h', bytecode: compiled.values.hook, order: compiled.order.indexOf('hook') },
    };
    const rebuilt = compiledInputsFromStored(JSON.parse(JSON.stringify(stored)) as Inputs);
    expect(rebuilt.order).toEqual(['hook', 'url']);
    expect(evaluateInputs(rebuilt, globals)).toEqual({ ok: true, inputs: { hook: 'h', url: 'h/x' } });
  });
});

describe('templates that only read a chain of names (evaluated without the VM)', () => {
  const long = 'x'.repeat(70 * 1024);
  const globals = {
    event: {
      event: 'purchase',
      properties: { price: 12.5, free: false, missing: null, name: 'Ada', nested: { a: 1 }, list: [1, 2], long, '': 'empty key' },
    },
    person: { id: 'p-1', properties: {} },
    groups: {},
    when: new Date(0),
  };
  const templates = [
    '{event.event}',
    '{event.properties.price}',
    '{event.properties.free}',
    '{event.properties.missing}',
    '{event.properties.absent}',
    '{event.properties.absent.deeper}',
    '{event.properties.name.length}',
    '{event.properties.nested}',
    '{event.properties.nested.a}',
    '{event.properties.list}',
    '{event.properties.long}',
    '{event.properties.constructor}',
    '{event.properties.__proto__}',
    '{event.properties.toString}',
    '{person.id}',
    '{person}',
    '{when}',
    '{inputs.first}',
    '{inputs.first.deeper}',
    '{nothing.here}',
  ];

  /** The VM's answer for one template: the whole of `evaluateInputs` with the direct read bypassed. */
  function throughTheVm(template: string, inputs: Record<string, unknown>): unknown {
    const compiled = compileInputs([], { x: { value: template } });
    if (!compiled.ok) throw new Error('did not compile');
    const node = compiled.compiled.values.x!;
    if (node.kind !== 'template') throw new Error('not a template');
    // A copy of the bytecode with a no-op at the front is not a plain chain read: the VM runs it.
    const bytecode = [...node.bytecode.slice(0, 2), 33, 0, 35, ...node.bytecode.slice(2)];
    const result = evaluateInputs({ order: ['first', 'x'], values: { first: { kind: 'literal', value: inputs.first }, x: { kind: 'template', bytecode } } }, globals);
    return result.ok ? result.inputs.x : `error: ${result.error.message}`;
  }

  for (const template of templates) {
    it(`reads ${template} as the VM does`, () => {
      const inputs = { first: 'https://example.com/hook' };
      const compiled = compileInputs([], { first: { value: inputs.first }, x: { value: template } });
      if (!compiled.ok) throw new Error('did not compile');
      const result = evaluateInputs(compiled.compiled, globals);
      const direct = result.ok ? result.inputs.x : `error: ${result.error.message}`;
      expect(direct).toEqual(throughTheVm(template, inputs));
    });
  }

  it('still fails a template whose first name is not a global, naming it', () => {
    const compiled = compileInputs([], { x: { value: '{nothing.here}' } });
    if (!compiled.ok) throw new Error('did not compile');
    const result = evaluateInputs(compiled.compiled, globals);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('nothing');
  });
});
