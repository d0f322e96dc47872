/**
 * What a personal API key may do. A scope is `<group>:read` or `<group>:write` (PostHog's form), or `*` for
 * everything; a write scope also grants the read of its group. Every management route is mapped to the one
 * scope it needs in {@link ROUTE_SCOPES}; the auth plugin refuses a route that is not listed there, so a
 * new route stays closed until someone decides what it needs (`docs/api.md` has the same table).
 */

/** The resource groups, each with the levels it has and what it covers (shown in docs and errors). */
export const SCOPE_GROUPS = {
  project: { levels: ['read', 'write'], covers: 'projects: list, read, change settings' },
  hog_function: {
    levels: ['read', 'write'],
    covers: 'destinations and sources (hog functions), templates, compiling Hog; write: create, change, delete, test runs, import, re-enable, replay',
  },
  log: { levels: ['read'], covers: "a function's logs, metrics, invocations and health history" },
  event: { levels: ['read'], covers: 'recent events' },
  person: { levels: ['read'], covers: 'persons' },
  group: { levels: ['read'], covers: 'groups' },
  api_key: { levels: ['read', 'write'], covers: 'personal API keys: list; write: create and revoke' },
} as const satisfies Record<string, { levels: readonly ('read' | 'write')[]; covers: string }>;

export type ScopeGroup = keyof typeof SCOPE_GROUPS;
type LevelOf<G extends ScopeGroup> = (typeof SCOPE_GROUPS)[G]['levels'][number];
export type Scope = '*' | { [G in ScopeGroup]: `${G}:${LevelOf<G>}` }[ScopeGroup];

/** Every valid scope, `*` first. */
export const ALL_SCOPES: readonly Scope[] = [
  '*',
  ...(Object.entries(SCOPE_GROUPS) as [ScopeGroup, { levels: readonly string[] }][]).flatMap(([group, { levels }]) =>
    levels.map((level) => `${group}:${level}` as Scope),
  ),
];

const VALID = new Set<string>(ALL_SCOPES);

export function isScope(value: string): value is Scope {
  return VALID.has(value);
}

/** Whether scopes `held` allow what `needed` allows: `*`, the scope itself, or the write of a needed read. */
export function grants(held: readonly string[], needed: string): boolean {
  if (held.includes('*') || held.includes(needed)) return true;
  const [group, level] = needed.split(':');
  return level === 'read' && held.includes(`${group}:write`);
}

/** The scopes of `requested` that `held` does not grant (`*` is granted only by `*`). */
export function scopesBeyond(held: readonly string[], requested: readonly string[]): string[] {
  return requested.filter((scope) => (scope === '*' ? !held.includes('*') : !grants(held, scope)));
}

/**
 * The scope each management route needs, by `METHOD url` exactly as the route is registered. HEAD requests
 * are checked as the GET of the same URL.
 */
export const ROUTE_SCOPES: Readonly<Record<string, Scope>> = {
  // The operator's view of every process and partition: only keys with every scope.
  'GET /api/cluster/': '*',
  'GET /api/projects/': 'project:read',
  'GET /api/projects/:id/': 'project:read',
  'PATCH /api/projects/:id/': 'project:write',
  'GET /api/projects/:id/events/': 'event:read',
  'GET /api/projects/:id/persons/': 'person:read',
  'GET /api/projects/:id/groups/': 'group:read',

  'POST /api/projects/:project_id/hog/compile/': 'hog_function:read',
  'GET /api/projects/:project_id/hog_function_templates/': 'hog_function:read',
  'GET /api/projects/:project_id/hog_function_templates/:id/': 'hog_function:read',
  'GET /api/projects/:project_id/hog_functions/': 'hog_function:read',
  'POST /api/projects/:project_id/hog_functions/': 'hog_function:write',
  'POST /api/projects/:project_id/hog_functions/import/': 'hog_function:write',
  'POST /api/projects/:project_id/hog_functions/rearrange/': 'hog_function:write',
  'PATCH /api/projects/:project_id/hog_functions/rearrange/': 'hog_function:write',
  'GET /api/projects/:project_id/hog_functions/:id/': 'hog_function:read',
  'PATCH /api/projects/:project_id/hog_functions/:id/': 'hog_function:write',
  'PUT /api/projects/:project_id/hog_functions/:id/': 'hog_function:write',
  'DELETE /api/projects/:project_id/hog_functions/:id/': 'hog_function:write',
  'POST /api/projects/:project_id/hog_functions/:id/invocations/': 'hog_function:write',
  'POST /api/projects/:project_id/hog_functions/:id/enable/': 'hog_function:write',
  'POST /api/projects/:project_id/hog_functions/:id/replay/': 'hog_function:write',
  'GET /api/projects/:project_id/hog_functions/:id/invocations/': 'log:read',
  'GET /api/projects/:project_id/hog_functions/:id/logs/': 'log:read',
  'GET /api/projects/:project_id/hog_functions/:id/metrics/': 'log:read',
  'GET /api/projects/:project_id/hog_functions/:id/health/': 'log:read',

  'GET /api/personal_api_keys/': 'api_key:read',
  'GET /api/personal_api_keys/:id/': 'api_key:read',
  'POST /api/personal_api_keys/': 'api_key:write',
  'DELETE /api/personal_api_keys/:id/': 'api_key:write',
};

/** The scope a route needs, or `undefined` when it declares none (and is then refused to every key). */
export function scopeOfRoute(method: string, url: string): Scope | undefined {
  return ROUTE_SCOPES[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}

/** The name of the project parameter of a `/api/projects/:param/…` route, or `null` for other routes. */
export function projectParamOf(url: string): string | null {
  return /^\/api\/projects\/:([A-Za-z_]+)/.exec(url)?.[1] ?? null;
}
