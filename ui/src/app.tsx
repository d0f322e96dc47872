/** The shell: sign-in gate, top bar with the project switcher, and the routes. */
import { useEffect, useState } from 'preact/hooks';
import { api, setUnauthorizedHandler, storedKey, storedProjectId, storeKey, storeProjectId } from './api';
import { Empty, Skeleton } from './components/ui';
import { DestinationPage } from './pages/destination';
import { TemplateGallery } from './pages/gallery';
import { FunctionsList } from './pages/list';
import { ImportPage } from './pages/import';
import { ApiKeysPage } from './pages/api-keys';
import { kindOfSegment } from './kinds';
import { SignIn } from './pages/signin';
import { Link, match, navigate, useLocation } from './router';
import type { List, Project } from './types';

export function App() {
  const loc = useLocation();
  const [signedIn, setSignedIn] = useState(storedKey() !== null);
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      storeKey(null);
      setSignedIn(false);
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    if (!signedIn) return;
    api<List<Project>>('/api/projects/').then(
      (r) => {
        setProjects(r.results);
        setError(null);
      },
      (e) => setError(String((e as Error).message)),
    );
  }, [signedIn]);

  const projectMatch = /^\/projects\/(\d+)/.exec(loc.path);
  const projectId = projectMatch ? Number(projectMatch[1]) : null;

  // `/`, `/signin` and `/projects` lead to the current project's destinations.
  useEffect(() => {
    if (!signedIn || !projects) return;
    if (projectId === null) {
      const pid = projects.find((p) => p.id === storedProjectId())?.id ?? projects[0]?.id;
      if (pid !== undefined) navigate(`/projects/${pid}/destinations`, { replace: true, force: true });
    } else storeProjectId(projectId);
  }, [signedIn, projects, projectId]);

  if (!signedIn) {
    return (
      <SignIn
        onSignedIn={(list) => {
          setProjects(list);
          setSignedIn(true);
          if (!projectMatch && list[0]) navigate(`/projects/${list[0].id}/destinations`, { replace: true, force: true });
        }}
      />
    );
  }

  const project = projects?.find((p) => p.id === projectId) ?? null;
  let page;
  let m: Record<string, string> | null;
  if (error) page = <Empty title="Could not load projects">{error}</Empty>;
  else if (!projects || projectId === null) page = <Skeleton rows={6} />;
  else if (!project) page = <Empty title="Project not found" action={<Link class="btn btn-secondary" href="/">Go to your projects</Link>}>There is no project {projectId}, or this key cannot see it.</Empty>;
  else if (match('/projects/:pid/api-keys', loc.path)) page = <ApiKeysPage projects={projects} />;
  else if ((m = match('/projects/:pid/:kind', loc.path)) && kindOfSegment(m.kind!)) page = <FunctionsList key={m.kind} projectId={projectId} kind={kindOfSegment(m.kind!)!} />;
  else if (match('/projects/:pid/destinations/import', loc.path)) page = <ImportPage projectId={projectId} />;
  else if ((m = match('/projects/:pid/:kind/new', loc.path)) && kindOfSegment(m.kind!)) page = <TemplateGallery key={m.kind} projectId={projectId} kind={kindOfSegment(m.kind!)!} />;
  else if ((m = match('/projects/:pid/:kind/new/:template', loc.path)) && kindOfSegment(m.kind!)) page = <DestinationPage key={`${m.kind}:new:${m.template}`} kind={kindOfSegment(m.kind!)!} projectId={projectId} id={null} templateId={m.template!} tab={loc.query.get('tab')} />;
  else if ((m = match('/projects/:pid/:kind/:id', loc.path)) && kindOfSegment(m.kind!)) page = <DestinationPage key={`${m.kind}:${m.id}`} kind={kindOfSegment(m.kind!)!} projectId={projectId} id={m.id!} templateId={null} tab={loc.query.get('tab')} />;
  else if (match('/projects/:pid', loc.path)) {
    navigate(`/projects/${projectId}/destinations`, { replace: true, force: true });
    page = null;
  } else page = <Empty title="Page not found" action={<Link class="btn btn-secondary" href={`/projects/${projectId}/destinations`}>Destinations</Link>} />;

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link class="brand" href={projectId ? `/projects/${projectId}/destinations` : '/'}>
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Sluice</span>
        </Link>
        {projects && projects.length > 0 ? (
          <label class="project-switcher">
            <span class="sr-only">Project</span>
            <select
              aria-label="Project"
              value={projectId ?? ''}
              data-testid="project-switcher"
              onChange={(e) => navigate(`/projects/${(e.currentTarget as HTMLSelectElement).value}/destinations`)}
            >
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <nav class="topnav" aria-label="Main">
          {projectId ? (
            <>
              <Link href={`/projects/${projectId}/destinations`} class={loc.path.includes('/destinations') ? 'active' : ''}>
                Destinations
              </Link>
              <Link href={`/projects/${projectId}/sources`} class={loc.path.includes('/sources') ? 'active' : ''} data-testid="nav-sources">
                Sources
              </Link>
              <Link href={`/projects/${projectId}/transformations`} class={loc.path.includes('/transformations') ? 'active' : ''} data-testid="nav-transformations">
                Transformations
              </Link>
              <Link href={`/projects/${projectId}/api-keys`} class={loc.path.endsWith('/api-keys') ? 'active' : ''} data-testid="nav-api-keys">
                API keys
              </Link>
            </>
          ) : null}
          <a href="/api/schema/" target="_blank" rel="noreferrer">
            API
          </a>
        </nav>
        <button
          type="button"
          class="btn btn-ghost btn-sm signout"
          onClick={() => {
            storeKey(null);
            setSignedIn(false);
            setProjects(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main">{page}</main>
    </div>
  );
}
