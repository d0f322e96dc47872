/**
 * A client generated from the published OpenAPI document (openapi-typescript types + openapi-fetch), used
 * against a real server. The committed types (`generated/sluice-api.d.ts`) must be what the live document
 * generates today: after changing a route's schemas, run `npm run gen:client` (it runs this file with
 * `--update`, which rewrites them).
 */
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, startTestSluice, type TestSluice } from '../ingest/helpers.js';
import type { paths } from './generated/sluice-api.js';
import { clientTypes, type OpenApiDocument } from './openapi.js';

describe('the generated API client', () => {
  let sluice: TestSluice;
  let document: OpenApiDocument;

  beforeAll(async () => {
    sluice = await startTestSluice();
    document = (await (await fetch(`${sluice.url}/api/schema/`)).json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await sluice?.stop();
  });

  it('is generated from the live OpenAPI document (stale: run npm run gen:client)', async () => {
    await expect(await clientTypes(document)).toMatchFileSnapshot('./generated/sluice-api.d.ts');
  });

  it('creates, reads, updates and deletes a destination, typed by the document', async () => {
    const client = createClient<paths>({ baseUrl: sluice.url, headers: { authorization: `Bearer ${API_KEY}` } });
    const project = { project_id: 1 };

    const created = await client.POST('/api/projects/{project_id}/hog_functions/', {
      params: { path: project },
      body: { template_id: 'template-webhook', name: 'Typed hook', inputs: { url: { value: 'https://example.com/hook' } } },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.data).toMatchObject({ name: 'Typed hook', template_id: 'template-webhook', status: { state: 'healthy' } });

    const read = await client.GET('/api/projects/{project_id}/hog_functions/{id}/', { params: { path: { ...project, id } } });
    expect(read.data?.inputs.url).toEqual({ value: 'https://example.com/hook' });

    const updated = await client.PATCH('/api/projects/{project_id}/hog_functions/{id}/', {
      params: { path: { ...project, id } },
      body: { name: 'Typed hook, renamed', enabled: false },
    });
    expect(updated.data).toMatchObject({ name: 'Typed hook, renamed', enabled: false });

    const refused = await client.PATCH('/api/projects/{project_id}/hog_functions/{id}/', { params: { path: { ...project, id } }, body: { name: '' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ type: 'validation_error', attr: 'name' });

    const listed = await client.GET('/api/projects/{project_id}/hog_functions/', { params: { path: project, query: { search: 'typed' } } });
    expect(listed.data?.results.map((d) => d.name)).toEqual(['Typed hook, renamed']);

    const deleted = await client.DELETE('/api/projects/{project_id}/hog_functions/{id}/', { params: { path: { ...project, id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await client.GET('/api/projects/{project_id}/hog_functions/{id}/', { params: { path: { ...project, id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error?.code).toBe('not_found');
  });
});
