import { describe, expect, it } from 'vitest';
import type { Destination, InputSchemaItem, TemplateLike } from '../model.js';
import { unknownFieldErrors, validateDestination, type ValidateOptions } from '../validation.js';

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

describe('validateDestination refuses at save what would fail on every event', () => {
  it('refuses a regex property filter whose pattern RE2 rejects, naming the value', () => {
    const errors = errorsOf({
      ...base,
      filters: {
        properties: [
          { type: 'event', key: 'a', operator: 'exact', value: 1 },
          { type: 'event', key: 'b', operator: 'regex', value: '^ok$' },
          { type: 'event', key: '$current_url', operator: 'regex', value: '(unclosed' },
        ],
      },
    });
    expect(errors).toContainEqual({ path: 'filters.properties[2].value', message: expect.stringContaining("Invalid regular expression '(unclosed'") });
  });

  it('refuses a not_regex pattern inside an event entry list at its index', () => {
    const errors = errorsOf({
      ...base,
      filters: { events: [{ id: '$pageview', properties: [{ type: 'person', key: 'email', operator: 'not_regex', value: ['@ok\\.com$', 'a++'] }] }] },
    });
    expect(errors).toContainEqual({ path: 'filters.events[0].properties[0].value[1]', message: expect.stringContaining('a++') });
  });

  it('accepts regex patterns RE2 supports', () => {
    const d = valid({ ...base, filters: { properties: [{ type: 'event', key: 'u', operator: 'regex', value: '(?i)^https://[a-z]+\\.example\\.com/\\d{1,3}$' }] } });
    expect(d.filters.bytecode).toEqual(expect.any(Array));
  });

  it('refuses a call to an unknown function in the code at its line and column, suggesting the near name', () => {
    const errors = errorsOf({ ...base, hog: 'let body := {}\nlet text := jsonStringfy(body)\nprint(text)' });
    expect(errors).toEqual([{ path: 'hog', message: "unknown function 'jsonStringfy'; did you mean 'jsonStringify'?", line: 2, column: 13 }]);
  });

  it('accepts calls of locals, lambdas, closures, declared functions, the standard library and the host functions', () => {
    const hog = [
      'let double := x -> x * 2',
      'fun add(a, b) { return a + b }',
      'fun makeCounter() { let n := 0; return () -> { n := n + 1; return n } }',
      'let counter := makeCounter()',
      'let f := add',
      "let res := fetch('https://example.com', {'method': 'POST', 'body': {'n': double(counter()), 's': f(1, 2)}})",
      "postHogCapture({'event': 'sent', 'properties': {'list': arrayMap(x -> upper(x), ['a'])}})",
      'print(jsonStringify(res), toString(add(1, 2)))',
    ].join('\n');
    expect(valid({ ...base, hog }).bytecode[0]).toBe('_H');
  });

  it('refuses a function called above its declaration, saying so', () => {
    const errors = errorsOf({ ...base, hog: 'fun a() { return b() }\nfun b() { return 1 }\nprint(a())' });
    expect(errors).toEqual([{ path: 'hog', message: expect.stringContaining("'b' is called before it is declared"), line: 1, column: 18 }]);
  });

  it('refuses sleep and import in the code', () => {
    const errors = errorsOf({ ...base, hog: "sleep(1)\nlet m := import('other')" });
    expect(errors).toEqual([
      { path: 'hog', message: 'sleep() is not available in destinations', line: 1, column: 1 },
      { path: 'hog', message: expect.stringContaining('import() is not available in destinations'), line: 2, column: 10 },
    ]);
  });

  it('refuses unknown functions in input templates at the inner path and the position in the template', () => {
    const errors = errorsOf({
      ...base,
      inputs: { url: { value: 'https://x/{lowr(event.event)}' }, body: { value: { user: { name: 'Hi {nope(person.id)}' }, tags: ['a', '{fetch(1)}'] } } },
    });
    expect(errors).toEqual([
      { path: 'inputs.url.value', message: "unknown function 'lowr'; did you mean 'lower'?", line: 1, column: 12 },
      { path: 'inputs.body.value.user.name', message: "unknown function 'nope'", line: 1, column: 5 },
      { path: 'inputs.body.value.tags[1]', message: "fetch() is only available in the destination's code, not in templates", line: 1, column: 2 },
    ]);
  });

  it('does not evaluate secret inputs as templates, so braces in a secret are never checked as calls', () => {
    const schema: InputSchemaItem[] = [...webhookSchema, { key: 'token', type: 'string', secret: true }];
    expect(valid({ ...base, inputs_schema: schema, inputs: { ...base.inputs, token: { value: 'k{ey(1)}' } } }).inputs.token!.value).toBe('k{ey(1)}');
  });

  it('refuses unknown functions in filters.hog, in hogql property filters and in the masking hash', () => {
    expect(errorsOf({ ...base, filters: { hog: "event.event = '$pageview'\n  and isBot(person)" } })).toEqual([
      { path: 'filters.hog', message: "unknown function 'isBot'", line: 2, column: 7 },
    ]);
    expect(errorsOf({ ...base, filters: { properties: [{ type: 'hogql', key: "postHogCapture({'event': 'x'})" }] } })).toEqual([
      { path: 'filters.properties[0].key', message: "postHogCapture() is only available in the destination's code, not in filters", line: 1, column: 1 },
    ]);
    expect(errorsOf({ ...base, masking: { ttl: 60, hash: '{person.id}-{md5Hexx(event.event)}' } })).toEqual([
      { path: 'masking.hash', message: "unknown function 'md5Hexx'; did you mean 'md5Hex'?", line: 1, column: 14 },
    ]);
  });

  it('refuses unknown functions in a mapping\'s inputs and filters at the mapping path', () => {
    const errors = errorsOf({
      ...base,
      mappings: [{ name: 'm', inputs_schema: [{ key: 'channel', type: 'string' }], inputs: { channel: { value: '#{slugify(event.event)}' } }, filters: { hog: 'isBot()' } }],
    });
    expect(errors.map((e) => e.path).sort()).toEqual(['mappings[0].filters.hog', 'mappings[0].inputs.channel.value']);
  });
});

describe('icon_url', () => {
  it('accepts https URLs, paths on this server and null', () => {
    for (const icon_url of ['https://cdn.example.com/icons/a.png', '/static/icons/slack.svg', 'icons/a.png', null, '']) {
      expect(valid({ ...base, icon_url }).icon_url).toBe(icon_url);
    }
  });

  it('refuses javascript:, data:, http:, //host and backslash URLs, naming the field', () => {
    for (const icon_url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:image/svg+xml,<svg/>', 'http://example.com/a.png', '//evil.example/a.png', '/\\evil.example/a.png', 'https://']) {
      expect(errorsOf({ ...base, icon_url }), icon_url).toEqual([{ path: 'icon_url', message: expect.stringMatching(/https URL/) }]);
    }
  });

  it('does not re-check a stored icon_url on an update that leaves it alone', () => {
    const existing = { ...valid(base), icon_url: 'http://legacy.example/a.png' };
    expect(valid({ enabled: false }, { ...options, existing }).icon_url).toBe('http://legacy.example/a.png');
  });
});

describe('unknownFieldErrors', () => {
  it('names every field a destination does not have', () => {
    expect(unknownFieldErrors({ name: 'a', enabeld: false, inputz: {} })).toEqual([
      { path: 'enabeld', message: expect.stringContaining("unknown field 'enabeld'") },
      { path: 'inputz', message: expect.stringContaining("unknown field 'inputz'") },
    ]);
  });

  it('tolerates the read-only fields the API returns, type destination and deleted false', () => {
    const view = { id: 'x', type: 'destination', status: {}, created_at: 'a', updated_at: 'b', created_by: null, bytecode: [], transpiled: null, template: null, deleted: false };
    expect(unknownFieldErrors({ ...view, name: 'a', retry_policy: null })).toEqual([]);
  });

  it('refuses another type and deleted true', () => {
    expect(unknownFieldErrors({ type: 'site_destination', deleted: true }).map((e) => e.path)).toEqual(['type', 'deleted']);
  });
});

describe('inputs a template has renamed', () => {
  const renamed: TemplateLike = { ...webhook, id: 'template-renamed', renamed_inputs: { webhook_url: 'url', verb: 'method' } };
  const opts: ValidateOptions = { ...options, templates: (id) => (id === renamed.id ? renamed : undefined) };

  it('reads an old key as its new name when the schema no longer has it', () => {
    const d = valid({ template_id: renamed.id, inputs: { webhook_url: { value: 'https://old.example' }, verb: { value: 'PUT' } } }, opts);
    expect(d.inputs.url?.value).toBe('https://old.example');
    expect(d.inputs.method?.value).toBe('PUT');
    expect(d.inputs).not.toHaveProperty('webhook_url');
  });

  it('prefers the new key when both are given, and renames on an update of a destination made from the template', () => {
    const d = valid({ template_id: renamed.id, inputs: { webhook_url: { value: 'https://old.example' }, url: { value: 'https://new.example' } } }, opts);
    expect(d.inputs.url?.value).toBe('https://new.example');
    const updated = valid({ inputs: { webhook_url: { value: 'https://later.example' } } }, { ...opts, existing: d });
    expect(updated.inputs.url?.value).toBe('https://later.example');
  });

  it('leaves an old key alone where the stored schema still has it (a destination saved before the rename)', () => {
    const oldSchema: InputSchemaItem[] = [{ key: 'webhook_url', type: 'string', required: true }];
    const d = valid({ template_id: renamed.id, hog: 'return 1', inputs_schema: oldSchema, inputs: { webhook_url: { value: 'https://kept.example' } } }, opts);
    expect(d.inputs.webhook_url?.value).toBe('https://kept.example');
  });
});
