/**
 * Reads a project's hog functions from a PostHog instance: `GET {host}/api/projects/{id}/hog_functions/`
 * with a personal API key, following `next` until the last page.
 */

/** Pages followed at most: a `next` that never ends must not loop forever. */
const MAX_PAGES = 200;

export interface PostHogSource {
  host: string;
  apiKey: string;
  projectId: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export async function fetchPostHogFunctions(source: PostHogSource): Promise<unknown[]> {
  const origin = new URL(source.host).origin;
  let url: string | null = `${source.host.replace(/\/+$/, '')}/api/projects/${encodeURIComponent(source.projectId)}/hog_functions/?limit=100`;
  const functions: unknown[] = [];
  for (let page = 0; url !== null; page++) {
    if (page >= MAX_PAGES) throw new Error(`PostHog returned more than ${MAX_PAGES} pages of hog functions; stopped`);
    const body = await getJson(url, source);
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { results?: unknown }).results)) {
      throw new Error(`${url} did not answer a list of hog functions ({"results": [...]})`);
    }
    const { results, next } = body as { results: unknown[]; next?: unknown };
    functions.push(...results);
    url = typeof next === 'string' && next !== '' ? sameOrigin(next, origin) : null;
  }
  return functions;
}

/** The API key goes only to the host it was given for: a `next` pointing elsewhere is refused. */
function sameOrigin(next: string, origin: string): string {
  const url = new URL(next, origin);
  if (url.origin !== origin) throw new Error(`PostHog's next page ${url.origin} is not on ${origin}; refusing to send the API key there`);
  return url.toString();
}

async function getJson(url: string, source: PostHogSource): Promise<unknown> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${source.apiKey}`, accept: 'application/json' },
    signal: AbortSignal.timeout(source.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`GET ${url} did not answer JSON`);
  }
}
