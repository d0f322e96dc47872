import { describe, expect, it } from 'vitest';
import { validateDestination } from '../../destinations/validation.js';
import { findTemplate, SOURCE_TEMPLATE_MODULES } from '../../templates/index.js';
import type { SourceFixture, TemplateDefinition } from '../../templates/types.js';
import { requestGlobals, runSource } from '../run.js';

const CONTEXT = {
  project: { id: 1, name: 'Test', url: 'http://localhost:8040/projects/1' },
  source: { id: 'src-1', name: 'Source', url: 'http://localhost:8040/projects/1/destinations/src-1' },
};

/** Validates the template with the fixture's inputs (as creating it through the API would) and runs it on the fixture's request. */
function runFixture(template: TemplateDefinition, fixture: SourceFixture) {
  const inputs = Object.fromEntries(Object.entries(fixture.inputs).map(([key, value]) => [key, { value }]));
  const validated = validateDestination({ template_id: template.id, inputs }, { templates: findTemplate });
  if (!validated.ok) throw new Error(`the template does not validate: ${JSON.stringify(validated.errors)}`);
  const source = validated.destination;
  expect(source.type).toBe('source_webhook');
  const signed = fixture.sign?.(fixture.inputs, fixture.request.body, Math.floor(Date.now() / 1000)) ?? {};
  const request = requestGlobals({
    method: fixture.request.method ?? 'POST',
    headers: { ...(fixture.request.headers ?? {}), ...signed },
    query: fixture.request.query ?? {},
    ip: '127.0.0.1',
    rawBody: fixture.request.body,
  });
  const job = { id: source.id, name: source.name, bytecode: source.bytecode, lines: source.bytecode_lines, inputsSchema: source.inputs_schema, inputs: source.inputs };
  return runSource(job, request, CONTEXT);
}

describe.each(SOURCE_TEMPLATE_MODULES.map((m) => [m.template.id, m] as const))('source template %s', (_id, module) => {
  it.each(module.fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const run = runFixture(module.template, fixture);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(run.response.status).toBe(fixture.expect.status);
    if (fixture.expect.body !== undefined) expect(run.response.body).toEqual(fixture.expect.body);
    expect(run.captured).toEqual(fixture.expect.events);
  });
});

describe('source templates', () => {
  it('declare the source_webhook type and mark signing secrets as secret', () => {
    for (const { template } of SOURCE_TEMPLATE_MODULES) expect(template.type).toBe('source_webhook');
    const stripe = findTemplate('template-source-stripe')!;
    expect(stripe.inputs_schema.find((i) => i.key === 'signing_secret')?.secret).toBe(true);
    expect(findTemplate('template-source-typeform')!.inputs_schema.find((i) => i.key === 'secret')?.secret).toBe(true);
    expect(findTemplate('template-source-calendly')!.inputs_schema.find((i) => i.key === 'signing_key')?.secret).toBe(true);
  });
});

describe('runSource', () => {
  const compile = (hog: string) => {
    const validated = validateDestination({ type: 'source_webhook', name: 's', hog });
    if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
    const d = validated.destination;
    return { id: d.id, name: d.name, bytecode: d.bytecode, lines: d.bytecode_lines, inputsSchema: d.inputs_schema, inputs: d.inputs };
  };
  const request = (rawBody: string, contentType = 'application/json') =>
    requestGlobals({ method: 'post', headers: { 'Content-Type': contentType, 'X-Custom': 'a' }, query: { q: '1' }, ip: '10.0.0.1', rawBody });

  it('sees the parsed JSON body, the raw text, lower-cased headers, query, method and ip', () => {
    const run = runSource(compile("return {'httpStatus': 200, 'body': [request.body.a, request.stringBody, request.headers['x-custom'], request.query.q, request.method, request.ip]}"), request('{"a": 5}'), CONTEXT);
    expect(run.response.body).toEqual([5, '{"a": 5}', 'a', '1', 'POST', '10.0.0.1']);
  });

  it('gives the raw text as the body when the content type is not JSON or the JSON is malformed', () => {
    const job = compile("return {'httpStatus': 200, 'body': request.body}");
    expect(runSource(job, request('a=1&b=2', 'application/x-www-form-urlencoded'), CONTEXT).response.body).toBe('a=1&b=2');
    expect(runSource(job, request('{"broken', 'application/json'), CONTEXT).response.body).toBe('{"broken');
  });

  it('fails the whole request, capturing nothing, when the code throws after capturing', () => {
    const run = runSource(compile("postHogCapture({'event': 'a', 'distinct_id': 'u'})\nthrow Error('boom')"), request('{}'), CONTEXT);
    expect(run.status).toBe('failed');
    expect(run.captured).toEqual([]);
    expect(run.error).toContain('boom');
    expect(run.logs.some((l) => l.level === 'error' && l.message.includes('boom'))).toBe(true);
  });

  it('refuses more events per request than the limit', () => {
    const run = runSource(compile("for (let i := 0; i < 200; i := i + 1) { postHogCapture({'event': 'a', 'distinct_id': 'u'}) }"), request('{}'), CONTEXT);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('at most 100 events per request');
  });

  it('requires a distinct_id on every captured event', () => {
    const run = runSource(compile("postHogCapture({'event': 'a'})"), request('{}'), CONTEXT);
    expect(run.error).toContain('distinct_id');
  });

  it('stops a memory bomb and an endless loop at the VM limits', () => {
    const loop = runSource(compile('while (true) { let x := 1 }'), request('{}'), CONTEXT);
    expect(loop.status).toBe('failed');
    const bomb = runSource(compile("let s := 'xxxxxxxxxxxxxxxx'\nwhile (true) { s := concat(s, s) }"), request('{}'), CONTEXT);
    expect(bomb.status).toBe('failed');
  });

  it('refuses an httpStatus outside 200–599', () => {
    const run = runSource(compile("return {'httpStatus': 99}"), request('{}'), CONTEXT);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('httpStatus');
  });
});

describe('validating a source', () => {
  it('refuses filters, masking, mappings and fetch, each on its field', () => {
    const result = validateDestination({
      type: 'source_webhook',
      name: 's',
      hog: "fetch('https://example.com')",
      filters: { events: [{ id: '$pageview' }] },
      masking: { ttl: 60, hash: '{person.id}' },
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['filters', 'masking', 'hog']));
  });

  it('refuses a source template for a destination', () => {
    const result = validateDestination({ type: 'destination', template_id: 'template-source-stripe' }, { templates: findTemplate });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toContain('template_id');
  });

  it('refuses an unknown type and changing the type of a saved function', () => {
    const bad = validateDestination({ type: 'source_kafka', name: 's', hog: 'return 1' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toContain('type');
    const saved = validateDestination({ name: 'd', hog: 'return 1' });
    if (!saved.ok) throw new Error('should validate');
    const changed = validateDestination({ type: 'source_webhook' }, { existing: saved.destination });
    expect(changed.ok ? '' : changed.errors[0]!.message).toContain('cannot change a destination into a source_webhook');
  });
});
