/** The template gallery: search and category chips, both kept in the URL. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import { Banner, Button, Empty, Icon, Skeleton } from '../components/ui';
import { Link, setQuery, useLocation } from '../router';
import { type FunctionKind, kindOfType } from '../kinds';
import type { List, Template } from '../types';

export function TemplateGallery({ projectId, kind }: { projectId: number; kind: FunctionKind }) {
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const category = query.get('category') ?? '';
  const [text, setText] = useState(search);
  const [all, setAll] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<List<Template>>(`/api/projects/${projectId}/hog_function_templates/`, { query: { type: kind.listType } }).then(
      (r) => setAll(r.results),
      (e) => setError(errorMessage(e)),
    );
  }, [projectId, kind]);
  useEffect(() => setText(search), [search]);
  useEffect(() => {
    const t = setTimeout(() => text !== search && setQuery({ search: text || null }), 200);
    return () => clearTimeout(t);
  }, [text]);

  const categories = [...new Set((all ?? []).filter((t) => kindOfType(t.type) === kind).flatMap((t) => t.category))].sort((a, b) => (a === 'Custom' ? -1 : b === 'Custom' ? 1 : a.localeCompare(b)));
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = (all ?? []).filter((t) => {
    // Older servers ignore `type` and send every template: keep only this kind's.
    if (kindOfType(t.type) !== kind) return false;
    if (category && !t.category.some((c) => c.toLowerCase() === category.toLowerCase())) return false;
    const hay = `${t.name} ${t.description} ${t.id} ${t.category.join(' ')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });

  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link href={`/projects/${projectId}/${kind.segment}`}>{kind.Plural}</Link>
        <span aria-hidden="true">/</span>
        <span>New</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>New {kind.singular}</h1>
          <p class="muted">{kind.galleryIntro}</p>
        </div>
      </div>
      <div class="toolbar">
        <input class="input input-search" type="search" aria-label="Search templates" placeholder="Search templates" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} autoFocus />
        <div class="chips" role="group" aria-label="Categories">
          <button type="button" class={`chip${category === '' ? ' chip-on' : ''}`} aria-pressed={category === ''} onClick={() => setQuery({ category: null })}>
            All
          </button>
          {categories.map((c) => (
            <button key={c} type="button" class={`chip${category.toLowerCase() === c.toLowerCase() ? ' chip-on' : ''}`} aria-pressed={category.toLowerCase() === c.toLowerCase()} onClick={() => setQuery({ category: c })}>
              {c}
            </button>
          ))}
        </div>
      </div>
      {error ? <Banner tone="bad">{error}</Banner> : null}
      {all === null && !error ? <Skeleton rows={4} /> : null}
      {all && shown.length === 0 ? (
        <Empty title="No templates match" action={<Button onClick={() => { setText(''); setQuery({ search: null, category: null }); }}>Clear filters</Button>}>
          Nothing matches {search ? `“${search}”` : ''}{category ? ` in ${category}` : ''}.{kind.type === 'transformation' ? ' “Add derived properties” computes any property from the event.' : kind.hasTrigger ? ' The HTTP Webhook template reaches any API.' : ' The generic JSON webhook template accepts any JSON.'}
        </Empty>
      ) : null}
      <div class="gallery" data-testid="gallery">
        {shown.map((t) => (
          <Link key={t.id} class="template-card" href={`/projects/${projectId}/${kind.segment}/new/${t.id}`} data-testid={`template-${t.id}`}>
            <Icon src={t.icon_url} name={t.name} size={40} />
            <div class="template-text">
              <div class="template-name">
                {t.name}
                {t.status === 'beta' ? <span class="tag tag-info">Beta</span> : t.status === 'alpha' ? <span class="tag tag-warn">Experimental</span> : t.status === 'deprecated' ? <span class="tag">Deprecated</span> : null}
              </div>
              <div class="muted small clamp">{t.description}</div>
              <div class="template-cats small">{t.category.join(' · ')}</div>
            </div>
            <span class="btn btn-secondary btn-sm template-create" aria-hidden="true">
              Create
            </span>
          </Link>
        ))}
      </div>
    </div>
  );
}
