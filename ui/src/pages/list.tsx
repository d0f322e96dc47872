/**
 * The list of destinations or of sources (same page, by kind): search and status filter in the URL, health
 * first, a 24 h sparkline per row; sources also show their webhook URL with a copy button.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import { Sparkline } from '../components/charts';
import { Banner, Button, CopyField, Empty, HealthBadge, healthOf, Icon, Skeleton, Switch, timeAgo } from '../components/ui';
import type { FunctionKind } from '../kinds';
import { Link, navigate, setQuery, useLocation } from '../router';
import type { Destination, List, Metrics } from '../types';

const RANK: Record<string, number> = { disabled_permanently: 0, disabled_temporarily: 1, degraded: 2, healthy: 3, paused: 4 };
const STATUS_FILTERS = [
  ['all', 'All'],
  ['attention', 'Needs attention'],
  ['active', 'Active'],
  ['paused', 'Paused'],
] as const;

type Spark = { succeeded: number[]; failed: number[] };

/** The last 24 hours: what counts as handled for the kind (`okMetrics`), against `failed`. */
async function sparkOf(projectId: number, id: string, okMetrics: string[]): Promise<Spark> {
  const now = Date.now();
  const start = Math.floor((now - 23 * 3600_000) / 3600_000) * 3600_000;
  const m = await api<Metrics>(`/api/projects/${projectId}/hog_functions/${id}/metrics/`, {
    query: { interval: 'hour', after: new Date(start).toISOString(), before: new Date(now + 3600_000).toISOString(), name: [...okMetrics, 'failed'].join(',') },
  });
  const out: Spark = { succeeded: Array(24).fill(0), failed: Array(24).fill(0) };
  for (const s of m.series) {
    const into = s.name === 'failed' ? out.failed : okMetrics.includes(s.name) ? out.succeeded : null;
    if (into === null) continue;
    s.values.forEach((v, i) => {
      const at = Math.floor((Date.parse(m.labels[i] ?? '') - start) / 3600_000);
      if (at >= 0 && at < 24) into[at]! += v;
    });
  }
  return out;
}

export function FunctionsList({ projectId, kind }: { projectId: number; kind: FunctionKind }) {
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const status = query.get('status') ?? 'all';
  const [text, setText] = useState(search);
  const [rows, setRows] = useState<Destination[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sparks, setSparks] = useState<Record<string, Spark>>({});
  const [undo, setUndo] = useState<Destination | null>(null);
  const base = `/projects/${projectId}/${kind.segment}`;

  const load = () =>
    api<List<Destination>>(`/api/projects/${projectId}/hog_functions/`, { query: { search: search || undefined, type: kind.listType } }).then(
      (r) => {
        setRows(r.results);
        setError(null);
        for (const d of r.results) sparkOf(projectId, d.id, kind.okMetrics).then((s) => setSparks((all) => ({ ...all, [d.id]: s })), () => undefined);
      },
      (e) => setError(errorMessage(e)),
    );

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 15000);
    return () => clearInterval(timer);
  }, [projectId, search, kind]);

  useEffect(() => setText(search), [search]);
  useEffect(() => {
    const t = setTimeout(() => text !== search && setQuery({ search: text || null }), 250);
    return () => clearTimeout(t);
  }, [text]);

  async function setEnabled(d: Destination, enabled: boolean) {
    setRows((all) => all?.map((x) => (x.id === d.id ? { ...x, enabled } : x)) ?? null);
    try {
      await api(`/api/projects/${projectId}/hog_functions/${d.id}/`, { method: 'PATCH', body: { enabled, inputs: d.inputs } });
    } catch (e) {
      setError(`Could not ${enabled ? 'resume' : 'pause'} ${d.name}: ${errorMessage(e)}`);
    }
    void load();
  }

  /** Moves a transformation one place up or down: the whole order is sent, as positions 0, 1, 2, …. */
  async function move(d: Destination, by: -1 | 1) {
    const order = [...(rows ?? [])];
    const from = order.findIndex((x) => x.id === d.id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to]!, order[from]!];
    setRows(order);
    try {
      await api(`/api/projects/${projectId}/hog_functions/rearrange/`, { method: 'POST', body: { orders: Object.fromEntries(order.map((x, i) => [x.id, i])) } });
    } catch (e) {
      setError(`Could not move ${d.name}: ${errorMessage(e)}`);
    }
    void load();
  }

  async function remove(d: Destination) {
    if (!window.confirm(`Delete “${d.name}”? Its logs and metrics go with it.`)) return;
    try {
      await api(`/api/projects/${projectId}/hog_functions/${d.id}/`, { method: 'DELETE' });
      setUndo(d);
    } catch (e) {
      setError(errorMessage(e));
    }
    void load();
  }

  const filtered = (rows ?? [])
    .filter((d) => {
      const h = healthOf(d).state;
      if (status === 'attention') return h !== 'healthy' && h !== 'paused';
      if (status === 'active') return h === 'healthy' || h === 'degraded';
      if (status === 'paused') return h === 'paused';
      return true;
    })
    // Transformations keep the order they run in (the API lists them so); the rest go by health, then name.
    .sort((a, b) => (kind.ordered ? 0 : (RANK[healthOf(a).state] ?? 9) - (RANK[healthOf(b).state] ?? 9) || a.name.localeCompare(b.name)));
  const canMove = kind.ordered && !search && status === 'all';

  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>{kind.Plural}</h1>
          <p class="muted">{kind.listIntro}</p>
        </div>
        <div class="head-actions">
          {kind.type === 'destination' ? (
            <Link class="btn btn-secondary" href={`${base}/import`} data-testid="import-from-posthog">
              Import from PostHog
            </Link>
          ) : null}
          <Link class="btn btn-primary" href={`${base}/new`} data-testid={`new-${kind.singular}`}>
            + New {kind.singular}
          </Link>
        </div>
      </div>
      <div class="toolbar">
        <input class="input input-search" type="search" aria-label={`Search ${kind.plural}`} placeholder="Search by name or description" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
        <div class="segmented" role="group" aria-label="Status">
          {STATUS_FILTERS.map(([v, l]) => (
            <button key={v} type="button" aria-pressed={status === v} class={status === v ? 'on' : ''} onClick={() => setQuery({ status: v === 'all' ? null : v })}>
              {l}
            </button>
          ))}
        </div>
      </div>
      {undo ? (
        <Banner
          tone="info"
          title={`Deleted “${undo.name}”.`}
          actions={
            <Button
              small
              onClick={async () => {
                const { id: _id, created_at: _c, updated_at: _u, status: _s, webhook_url: _w, ...rest } = undo;
                void _id; void _c; void _u; void _s; void _w;
                const hasSecrets = Object.values(undo.inputs).some((v) => (v as { secret?: boolean }).secret === true && !('value' in v));
                if (hasSecrets) {
                  setError('Secrets cannot be restored: recreate it from the gallery and enter them again.');
                  setUndo(null);
                  return;
                }
                try {
                  await api(`/api/projects/${projectId}/hog_functions/`, { method: 'POST', body: rest });
                } catch (e) {
                  setError(errorMessage(e));
                }
                setUndo(null);
                void load();
              }}
            >
              Undo
            </Button>
          }
        />
      ) : null}
      {error ? <Banner tone="bad">{error}</Banner> : null}
      {rows === null && !error ? <Skeleton rows={5} /> : null}
      {rows && rows.length === 0 && !search ? (
        <Empty title={`No ${kind.plural} yet`} action={<Link class="btn btn-primary" href={`${base}/new`}>Browse templates</Link>}>
          {kind.emptyIntro}
        </Empty>
      ) : null}
      {rows && filtered.length === 0 && (search || rows.length > 0) ? (
        <Empty title={`No ${kind.plural} match`} action={<Button onClick={() => { setText(''); setQuery({ search: null, status: null }); }}>Clear filters</Button>}>
          Nothing matches {search ? `“${search}”` : 'this filter'}.
        </Empty>
      ) : null}
      {filtered.length > 0 ? (
        <div class="table-wrap">
          <table class="table dest-table" data-testid={`${kind.plural}-table`}>
            <thead>
              <tr>
                {kind.ordered ? <th scope="col">Order</th> : null}
                <th scope="col">{kind.Singular}</th>
                <th scope="col">Status</th>
                {kind.hasTrigger ? null : <th scope="col">Webhook URL</th>}
                <th scope="col" class="hide-narrow">Last 24 h</th>
                <th scope="col" class="hide-narrow">Updated</th>
                <th scope="col">Enabled</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {filtered.map((d) => {
                const h = healthOf(d);
                const s = sparks[d.id];
                const ok = s?.succeeded.reduce((a, b) => a + b, 0) ?? 0;
                const bad = s?.failed.reduce((a, b) => a + b, 0) ?? 0;
                return (
                  <tr key={d.id} class={`ribbon-${h.tone}`} data-testid={`${kind.singular}-row`}>
                    {kind.ordered ? (
                      <td class="order-cell">
                        <span class="mono small" data-testid="order">{filtered.indexOf(d) + 1}</span>
                        {canMove ? (
                          <>
                            <Button small variant="ghost" aria-label={`Move ${d.name} up`} disabled={filtered.indexOf(d) === 0} onClick={() => void move(d, -1)} data-testid="move-up">
                              ↑
                            </Button>
                            <Button small variant="ghost" aria-label={`Move ${d.name} down`} disabled={filtered.indexOf(d) === filtered.length - 1} onClick={() => void move(d, 1)} data-testid="move-down">
                              ↓
                            </Button>
                          </>
                        ) : null}
                      </td>
                    ) : null}
                    <td>
                      <div class="dest-cell">
                        <Icon src={d.icon_url} name={d.name} />
                        <div class="dest-cell-text">
                          <Link href={`${base}/${d.id}`} class="dest-name">
                            {d.name}
                          </Link>
                          <div class="muted small clamp">{d.description || d.template_id || 'Custom'}</div>
                        </div>
                      </div>
                    </td>
                    <td>
                      <HealthBadge destination={d} />
                    </td>
                    {kind.hasTrigger ? null : (
                      <td class="webhook-cell">
                        {d.webhook_url ? <CopyField value={d.webhook_url} label={`Webhook URL of ${d.name}`} testId="webhook-url" /> : <span class="muted small">—</span>}
                      </td>
                    )}
                    <td class="hide-narrow">
                      <a href={`${base}/${d.id}?tab=metrics`} onClick={(e) => { e.preventDefault(); navigate(`${base}/${d.id}?tab=metrics`); }} class="spark-link" title="Open metrics">
                        <Sparkline succeeded={s?.succeeded ?? []} failed={s?.failed ?? []} label={`Last 24 hours: ${ok} ${kind.hasTrigger ? 'delivered' : 'handled'}, ${bad} failed`} />
                        <span class="small spark-counts">
                          <span class="ok">{ok}</span> / <span class="bad">{bad}</span>
                        </span>
                      </a>
                    </td>
                    <td class="hide-narrow small muted nowrap" title={d.updated_at}>
                      {timeAgo(d.updated_at)}
                    </td>
                    <td>
                      <Switch checked={d.enabled} onChange={(v) => void setEnabled(d, v)} label={<span class="sr-only">{d.enabled ? `Pause ${d.name}` : `Resume ${d.name}`}</span>} />
                    </td>
                    <td class="row-actions">
                      <Link class="btn btn-ghost btn-sm hide-narrow" href={`${base}/${d.id}?tab=logs`}>
                        Logs
                      </Link>
                      <Button small variant="ghost" aria-label={`Delete ${d.name}`} onClick={() => void remove(d)}>
                        Delete
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
