/** The management API client: Bearer personal API key from sessionStorage, PostHog-style errors. */
import type { ApiKey, ApiKeyCreate, ApiKeyList, CreatedApiKey } from '../../src/api/schemas/keys';

/** A personal API key as the API shows it (the server's schema): never its value, except `CreatedApiKey.value` once. */
export type { ApiKey as PersonalApiKey, CreatedApiKey };

const KEY_STORAGE = 'sluice.apiKey';
const PROJECT_STORAGE = 'sluice.projectId';

/**
 * The admin key lives in sessionStorage: it survives reloads of this tab but not the end of the browser
 * session, and is never written to disk. A key an earlier version left in localStorage is moved over once.
 */
export function storedKey(): string | null {
  const legacy = localStorage.getItem(KEY_STORAGE);
  if (legacy !== null) {
    localStorage.removeItem(KEY_STORAGE);
    if (sessionStorage.getItem(KEY_STORAGE) === null) sessionStorage.setItem(KEY_STORAGE, legacy);
  }
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  localStorage.removeItem(KEY_STORAGE);
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

export function storedProjectId(): number | null {
  const raw = localStorage.getItem(PROJECT_STORAGE);
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

export function storeProjectId(id: number): void {
  localStorage.setItem(PROJECT_STORAGE, String(id));
}

/** An error body of the API: `{type, code, detail, attr}`, plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly attr: string | null,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

let onUnauthorized: (() => void) | null = null;

/** Called when the API answers 401 (the key was revoked): the app goes back to sign-in. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Use this key instead of the stored one (sign-in). */
  key?: string;
  query?: Record<string, string | number | undefined | null>;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? storedKey();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Could not reach Sluice. Check that the server is running, then try again.', null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const body = (data ?? {}) as { code?: string; detail?: string; attr?: string | null; message?: string };
    const error = new ApiError(
      response.status,
      body.code ?? `http_${response.status}`,
      body.detail ?? body.message ?? `${response.status} ${response.statusText}`,
      body.attr ?? null,
    );
    if (response.status === 401 && options.key === undefined) onUnauthorized?.();
    throw error;
  }
  return data as T;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}

export const projectPath = (projectId: number) => `/api/projects/${projectId}`;

const KEYS_PATH = '/api/personal_api_keys/';

export const personalApiKeys = {
  list: () => api<ApiKeyList>(KEYS_PATH).then((r) => r.results),
  /** The key this browser is signed in with. */
  current: () => api<ApiKey>(`${KEYS_PATH}@current/`),
  create: (body: ApiKeyCreate) => api<CreatedApiKey>(KEYS_PATH, { method: 'POST', body }),
  revoke: (id: string) => api<void>(`${KEYS_PATH}${encodeURIComponent(id)}/`, { method: 'DELETE' }),
};
