/**
 * Personal API keys: the list (revoked ones included), a form to create a key with chosen scopes and
 * projects, whose value is shown once with a copy button, and revoking with a confirmation. The form
 * offers only what the signed-in key may grant: the API refuses a key with more than its creator has.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage, personalApiKeys, type CreatedApiKey, type PersonalApiKey } from '../api';
import { Banner, Button, CopyField, Empty, Field, Skeleton, timeAgo } from '../components/ui';
import type { Project } from '../types';

type Level = 'read' | 'write';

/** The scope groups of `docs/api.md`, in the words of this page. */
const SCOPE_GROUPS: { group: string; name: string; levels: Level[]; covers: string }[] = [
  { group: 'hog_function', name: 'Destinations & sources', levels: ['read', 'write'], covers: 'Functions, templates, compiling Hog. Write: create, change, delete, test, import, re-enable, replay.' },
  { group: 'log', name: 'Logs & metrics', levels: ['read'], covers: "A function's logs, metrics, invocations and health history." },
  { group: 'event', name: 'Events', levels: ['read'], covers: 'Recent events.' },
  { group: 'person', name: 'Persons', levels: ['read'], covers: 'Persons and their properties.' },
  { group: 'group', name: 'Groups', levels: ['read'], covers: 'Groups and their properties.' },
  { group: 'project', name: 'Projects', levels: ['read', 'write'], covers: 'Projects. Write: change their settings.' },
  { group: 'api_key', name: 'API keys', levels: ['read', 'write'], covers: 'This page. Write: create and revoke keys.' },
];

/** Whether scopes `held` allow `scope` (`*`; the scope; or a write for its read), as the API decides. */
function grants(held: string[], scope: string): boolean {
  if (held.includes('*') || held.includes(scope)) return true;
  return scope.endsWith(':read') && held.includes(scope.replace(/:read$/, ':write'));
}

function scopesOf(all: boolean, levels: Record<string, Level | null>): string[] {
  if (all) return ['*'];
  return Object.entries(levels).flatMap(([group, level]) => (level ? [`${group}:${level}`] : []));
}

function ScopeList({ scopes }: { scopes: string[] }) {
  return (
    <span class="key-scopes">
      {scopes.map((s) => (
        <code key={s}>{s === '*' ? '* (everything)' : s}</code>
      ))}
    </span>
  );
}

function projectNames(ids: number[] | null, projects: Project[]): string {
  if (ids === null) return 'All projects';
  return ids.map((id) => projects.find((p) => p.id === id)?.name ?? `#${id}`).join(', ');
}

function CreateForm(props: { me: PersonalApiKey; projects: Project[]; onCreated: (key: CreatedApiKey) => void; onCancel: () => void }) {
  const { me, projects } = props;
  const [label, setLabel] = useState('');
  const [all, setAll] = useState(false);
  const [levels, setLevels] = useState<Record<string, Level | null>>({});
  const [everyProject, setEveryProject] = useState(me.scoped_teams === null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const grantable = projects.filter((p) => me.scoped_teams === null || me.scoped_teams.includes(p.id));

  function setLevel(group: string, level: Level, on: boolean) {
    // Unticking write leaves read; ticking write implies read.
    setLevels((all) => ({ ...all, [group]: on ? level : level === 'write' ? 'read' : null }));
  }

  async function submit(e: Event) {
    e.preventDefault();
    const scopes = scopesOf(all, levels);
    if (!label.trim()) return setError('Give the key a label, to tell it apart later.');
    if (scopes.length === 0) return setError('Choose at least one scope.');
    if (!everyProject && chosen.length === 0) return setError('Choose at least one project, or all projects.');
    setBusy(true);
    setError(null);
    try {
      props.onCreated(await personalApiKeys.create({ label: label.trim(), scopes, scoped_teams: everyProject ? null : chosen }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={(e) => void submit(e)} data-testid="key-form">
      <div class="card-head">
        <h2>New API key</h2>
      </div>
      <Field id="key-label" label="Label" required hint="What the key is for, e.g. “CI deploys”.">
        <input id="key-label" class="input" maxLength={100} value={label} onInput={(e) => {
            setLabel((e.currentTarget as HTMLInputElement).value);
            setError(null);
          }} />
      </Field>
      <fieldset class="key-fieldset">
        <legend class="field-label">Scopes</legend>
        <label class="inline-label key-all">
          <input type="checkbox" value="*" data-testid="scope-*" checked={all} disabled={!me.scopes.includes('*')} onChange={(e) => setAll((e.currentTarget as HTMLInputElement).checked)} />
          <span>
            <strong>All access</strong> <span class="muted">(<code>*</code>: every scope, including ones added later)</span>
          </span>
        </label>
        <table class="table scope-table">
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Read</th>
              <th scope="col">Write</th>
              <th scope="col">Covers</th>
            </tr>
          </thead>
          <tbody>
            {SCOPE_GROUPS.map((g) => (
              <tr key={g.group}>
                <td class="nowrap">{g.name}</td>
                {(['read', 'write'] as Level[]).map((level) => {
                  if (!g.levels.includes(level)) return <td key={level} class="muted">—</td>;
                  const scope = `${g.group}:${level}`;
                  const current = levels[g.group] ?? null;
                  const checked = all || current === level || (level === 'read' && current === 'write');
                  return (
                    <td key={level}>
                      <input
                        type="checkbox"
                        value={scope}
                        data-testid={`scope-${scope}`}
                        aria-label={`${g.name}: ${level}`}
                        checked={checked}
                        disabled={all || !grants(me.scopes, scope) || (level === 'read' && current === 'write')}
                        onChange={(e) => setLevel(g.group, level, (e.currentTarget as HTMLInputElement).checked)}
                      />
                    </td>
                  );
                })}
                <td class="small muted">{g.covers}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="field-hint">Write includes read. Scopes your own key lacks cannot be given.</div>
      </fieldset>
      <fieldset class="key-fieldset">
        <legend class="field-label">Projects</legend>
        <label class="inline-label">
          <input type="radio" name="key-projects" data-testid="projects-all" checked={everyProject} disabled={me.scoped_teams !== null} onChange={() => setEveryProject(true)} />
          All projects, including future ones
        </label>
        <label class="inline-label">
          <input type="radio" name="key-projects" data-testid="projects-some" checked={!everyProject} onChange={() => setEveryProject(false)} />
          Only these:
        </label>
        <div class="key-projects">
          {grantable.map((p) => (
            <label key={p.id} class="inline-label">
              <input
                type="checkbox"
                value={p.id}
                data-testid={`project-${p.id}`}
                disabled={everyProject}
                checked={!everyProject && chosen.includes(p.id)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  setChosen((ids) => (on ? [...ids, p.id] : ids.filter((id) => id !== p.id)));
                }}
              />
              {p.name}
            </label>
          ))}
        </div>
      </fieldset>
      {error ? (
        <Banner tone="bad" testId="key-form-error">
          {error}
        </Banner>
      ) : null}
      <div class="toolbar">
        <Button variant="primary" type="submit" disabled={busy} data-testid="create-key">
          {busy ? 'Creating…' : 'Create key'}
        </Button>
        <Button variant="ghost" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function ApiKeysPage({ projects }: { projects: Project[] }) {
  const [keys, setKeys] = useState<PersonalApiKey[] | null>(null);
  const [me, setMe] = useState<PersonalApiKey | null>(null);
  const [error, setError] = useState<{ message: string; forbidden: boolean } | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const load = () =>
    Promise.all([personalApiKeys.list(), personalApiKeys.current()]).then(
      ([list, current]) => {
        setKeys(list);
        setMe(current);
        setError(null);
      },
      (e) => setError({ message: errorMessage(e), forbidden: e instanceof ApiError && e.status === 403 }),
    );

  useEffect(() => {
    void load();
  }, []);

  async function revoke(key: PersonalApiKey) {
    const own = key.id === me?.id ? ' This is the key you are signed in with: you will be signed out.' : '';
    if (!window.confirm(`Revoke “${key.label}”? Requests with it are refused from now on; this cannot be undone.${own}`)) return;
    try {
      await personalApiKeys.revoke(key.id);
      if (created?.id === key.id) setCreated(null);
    } catch (e) {
      setError({ message: errorMessage(e), forbidden: false });
      return;
    }
    void load();
  }

  const canWrite = me !== null && grants(me.scopes, 'api_key:write');
  if (error?.forbidden) return <Empty title="This key cannot manage API keys">{error.message}</Empty>;
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>API keys</h1>
          <p class="muted">Personal API keys for scripts and integrations. Give each the fewest scopes and projects it needs; a key is shown once, when it is created.</p>
        </div>
        {!creating && canWrite ? (
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-key">
            + New key
          </Button>
        ) : null}
      </div>
      {created ? (
        <Banner tone="ok" title="Copy the new key now: it will not be shown again." testId="created-key" actions={<Button onClick={() => setCreated(null)} data-testid="created-key-done">Done</Button>}>
          <div class="created-key">
            <CopyField value={created.value} label={`API key ${created.label}`} testId="new-key-value" />
          </div>
        </Banner>
      ) : null}
      {error ? (
        <Banner tone="bad" testId="keys-error">
          {error.message}
        </Banner>
      ) : null}
      {creating && me ? (
        <CreateForm
          me={me}
          projects={projects}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreated(key);
            setCreating(false);
            void load();
          }}
        />
      ) : null}
      {keys === null ? (
        <Skeleton rows={3} />
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Scopes</th>
                <th scope="col">Projects</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid="key-row" data-id={k.id} data-revoked={k.revoked_at ? 'true' : 'false'}>
                  <td>
                    <span class="dest-name">{k.label}</span>
                    {k.id === me?.id ? <span class="tag tag-info">this key</span> : null}
                  </td>
                  <td>
                    <ScopeList scopes={k.scopes} />
                  </td>
                  <td class="small">{projectNames(k.scoped_teams, projects)}</td>
                  <td class="mono nowrap">{k.mask_value}</td>
                  <td class="nowrap" title={new Date(k.created_at).toLocaleString()}>
                    {timeAgo(k.created_at)}
                  </td>
                  <td class="nowrap" title={k.last_used_at ? new Date(k.last_used_at).toLocaleString() : 'Never used'}>
                    {k.last_used_at ? timeAgo(k.last_used_at) : 'Never'}
                  </td>
                  <td>
                    {k.revoked_at ? (
                      <span class="badge badge-muted" title={`Revoked ${new Date(k.revoked_at).toLocaleString()}`} data-testid="key-status">
                        Revoked
                      </span>
                    ) : (
                      <span class="badge badge-ok" data-testid="key-status">
                        <span class="dot" aria-hidden="true" />
                        Active
                      </span>
                    )}
                  </td>
                  <td class="row-actions">
                    {!k.revoked_at && canWrite ? (
                      <Button small variant="ghost" onClick={() => void revoke(k)} data-testid="revoke-key" aria-label={`Revoke ${k.label}`}>
                        Revoke
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
