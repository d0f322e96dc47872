import { describe, expect, it } from 'vitest';
import type { Destination, InputSchemaItem, TemplateLike } from '../model.js';
import { validateDestination, type ValidateOptions } from '../validation.js';

const webhookSchema: InputSchemaItem[] = [
  { key: 'url', type: 'string', label: 'Webhook URL', required: true, secret: false },
  { key: 'method', type: 'choice', choices: [{ value: 'POST', label: 'POST' }, { value: 'PUT', label: 'PUT' }], default: 'POST' },
  { key: 'body', type: 'json', default: { event: '{event}', person: '{person}' } },
  { key: 'headers', type: 'dictionary', default: { 'Content-Type': 'application/json' } },
  { key: 'debug', type: 'boolean', default: false },
];

const webhook: TemplateLike = {
  id: 'template-webhook',
  name: 'HTTP Webhook',
  description: 'Sends a webhook',
  hog: "let res := fetch(inputs.url, {'method': inputs.method, 'body': inputs.body})\nif (inputs.debug) { print(res) }",
  inputs_schema: webhookSchema,
};

const options: ValidateOptions = {
  templates: (id) => (id === webhook.id ? webhook : undefined),
  now: () => new Date('2024-05-01T00:00:00.000Z'),
  newId: () => 'dest-1',
};

function valid(body: unknown, opts: ValidateOptions = options): Destination {
  const result = validateDestination(body, opts);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.destination;
}

function errorsOf(body: unknown, opts: ValidateOptions = options) {
  const result = validateDestination(body, opts);
  if (result.ok) throw new Error('expected validation errors');
  return result.errors;
}

const base = { name: 'My hook', hog: 'return 1', inputs_schema: webhookSchema, inputs: { url: { value: 'https://example.com' } } };

describe('validateDestination', () => {
  it('creates a destination from template_id and inputs alone, copying code, schema and defaults', () => {
    const d = valid({ template_id: 'template-webhook', inputs: { url: { value: 'https://example.com/{event.name}' } } });
    expect(d).toMatchObject({ id: 'dest-1', name: 'HTTP Webhook', enabled: true, template_id: 'template-webhook', hog: webhook.hog });
    expect(d.bytecode[0]).toBe('_H');
    expect(d.inputs_schema).toEqual(webhookSchema);
    expect(Object.keys(d.inputs)).toEqual(['url', 'method', 'body', 'headers', 'debug']);
    expect(d.inputs.method!.value).toBe('POST');
    expect(d.inputs.url!.bytecode).toMatchObject({ kind: 'template' });
    expect(d.inputs.body!.bytecode).toMatchObject({ kind: 'dict' });
    expect(d.inputs.url!.order).toEqual(expect.any(Number));
    expect(d.filters.bytecode).toEqual(expect.any(Array));
    expect(d.created_at).toBe('2024-05-01T00:00:00.000Z');
  });

  it('compiles filters, masking and mappings', () => {
    const d = valid({
      ...base,
      filters: { events: [{ id: '$pageview', type: 'events' }] },
      masking: { ttl: 3600, hash: '{person.id}', threshold: null },
      mappings: [{ name: 'Signups', inputs: { channel: { value: '#{event.name}' } }, inputs_schema: [{ key: 'channel', type: 'string' }], filters: { events: [{ id: 'signed_up' }] } }],
    });
    expect(d.filters.source_hog).toBe("event.event = '$pageview'");
    expect(d.masking!.bytecode).toEqual(expect.any(Array));
    expect(d.mappings![0]!.inputs.channel!.bytecode).toMatchObject({ kind: 'template' });
    expect(d.mappings![0]!.filters!.bytecode).toEqual(expect.any(Array));
  });

  it('reports invalid Hog at hog with line and column', () => {
    const errors = errorsOf({ ...base, hog: 'let a := 1\nlet b := (2 +' });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'hog', line: 2, column: expect.any(Number) }));
  });

  it('reports an invalid template at the input path with its position', () => {
    const errors = errorsOf({ ...base, inputs: { url: { value: 'https://x/{event.name' } } });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'inputs.url.value', line: 1, column: expect.any(Number) }));
  });

  it('reports an invalid template nested inside a JSON input at its inner path', () => {
    const errors = errorsOf({ ...base, inputs: { url: { value: 'https://x' }, body: { value: { a: [{ b: '{1 +}' }] } } } });
    expect(errors.map((e) => e.path)).toContain('inputs.body.value.a[0].b');
  });

  it('rejects an unknown input type', () => {
    const errors = errorsOf({ ...base, inputs_schema: [...webhookSchema, { key: 'x', type: 'colour' }] });
    expect(errors).toContainEqual({ path: 'inputs_schema[5].type', message: expect.stringContaining("unknown input type 'colour'") });
  });

  it('rejects a missing required input', () => {
    expect(errorsOf({ ...base, inputs: {} })).toContainEqual({ path: 'inputs.url.value', message: 'this input is required' });
    expect(errorsOf({ ...base, inputs: { url: { value: '' } } })).toContainEqual({ path: 'inputs.url.value', message: 'this input is required' });
  });

  it('rejects values of the wrong type for the schema', () => {
    const schema: InputSchemaItem[] = [
      ...webhookSchema,
      { key: 'count', type: 'number' },
      { key: 'email', type: 'email' },
    ];
    const errors = errorsOf({
      ...base,
      inputs_schema: schema,
      inputs: {
        url: { value: 42 },
        method: { value: 'DELETE' },
        headers: { value: ['a'] },
        debug: { value: 'yes' },
        count: { value: 'many' },
        email: { value: 'not-an-email' },
      },
    });
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'inputs.url.value',
        'inputs.method.value',
        'inputs.headers.value',
        'inputs.debug.value',
        'inputs.count.value',
        'inputs.email.value',
      ]),
    );
  });

  it('accepts a template where a number, boolean or choice is expected', () => {
    const schema: InputSchemaItem[] = [...webhookSchema, { key: 'count', type: 'number' }];
    const d = valid({ ...base, inputs_schema: schema, inputs: { ...base.inputs, count: { value: '{event.properties.count}' }, debug: { value: '{true}' } } });
    expect(d.inputs.count!.bytecode).toMatchObject({ kind: 'template' });
  });

  it('rejects a dependency cycle between inputs', () => {
    const errors = errorsOf({
      ...base,
      inputs: { url: { value: '{inputs.method}' }, method: { value: '{inputs.url}' } },
    });
    expect(errors[0]!.message).toMatch(/cycle/);
  });

  it('checks masking ttl, hash and threshold', () => {
    const errors = errorsOf({ ...base, masking: { ttl: 10, hash: '{person.id', threshold: 0 } });
    expect(errors.map((e) => e.path).sort()).toEqual(['masking.hash', 'masking.threshold', 'masking.ttl']);
  });

  it('reports filter errors with their path', () => {
    const errors = errorsOf({ ...base, filters: { properties: [{ type: 'event', key: 'a', operator: 'bogus', value: 1 }] } });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'filters.properties[0].operator' }));
  });

  it('reports field type errors and unknown templates', () => {
    const errors = errorsOf({ name: 5, hog: 7, enabled: 'yes', template_id: 'nope' });
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['name', 'hog', 'enabled', 'template_id']));
  });

  it('flags secret inputs for the API layer to encrypt', () => {
    const schema: InputSchemaItem[] = [...webhookSchema, { key: 'token', type: 'string', secret: true }];
    const result = validateDestination({ ...base, inputs_schema: schema, inputs: { ...base.inputs, token: { value: 's3cret' } } }, options);
    expect(result.ok && result.secretInputs).toEqual(['token']);
  });

  it('keeps the stored secret when the marker is sent back', () => {
    const schema: InputSchemaItem[] = [...webhookSchema, { key: 'token', type: 'string', secret: true }];
    const existing = valid({ ...base, inputs_schema: schema, inputs: { ...base.inputs, token: { value: 's3cret' } } });
    const updated = valid({ inputs: { ...base.inputs, token: { value: { secret: true } } } }, { ...options, existing });
    expect(updated.inputs.token!.value).toBe('s3cret');
    expect(updated.id).toBe(existing.id);
  });

  it('keeps a stored secret that is still encrypted without checking it', () => {
    const schema: InputSchemaItem[] = [...webhookSchema, { key: 'headers2', type: 'dictionary', secret: true }];
    const existing = valid({ ...base, inputs_schema: schema });
    existing.inputs.headers2 = { value: 'v1:0a1b2c3d:AAAA:BBBB:CCCC' };
    const updated = valid({ inputs: { ...base.inputs, headers2: { value: { secret: true } } } }, { ...options, existing });
    expect(updated.inputs.headers2!.value).toBe('v1:0a1b2c3d:AAAA:BBBB:CCCC');
  });

  it('rejects the secret marker when no value is stored', () => {
    const schema: InputSchemaItem[] = [...webhookSchema, { key: 'token', type: 'string', secret: true }];
    const errors = errorsOf({ ...base, inputs_schema: schema, inputs: { ...base.inputs, token: { value: { secret: true } } } });
    expect(errors).toContainEqual({ path: 'inputs.token.value', message: 'inputs.token: secret marker sent but no value is stored' });
  });

  it('keeps stored fields on a partial update', () => {
    const existing = valid({ ...base, filters: { events: [{ id: 'a' }] } });
    const updated = valid({ enabled: false }, { ...options, existing, now: () => new Date('2024-06-01T00:00:00.000Z') });
    expect(updated).toMatchObject({ name: 'My hook', enabled: false, hog: 'return 1', created_at: existing.created_at, updated_at: '2024-06-01T00:00:00.000Z' });
    expect(updated.filters.source_hog).toBe("event.event = 'a'");
  });

  it('applies the project test-account filters when asked', () => {
    const d = valid(
      { ...base, filters: { filter_test_accounts: true } },
      { ...options, testAccountFilters: [{ type: 'person', key: 'email', operator: 'not_icontains', value: '@sluice.dev' }] },
    );
    expect(d.filters.source_hog).toContain("person.properties.email");
  });
});
