/** What a destination did: logs (live tail), metrics (charts), invocations (failed/parked, replay), health. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import { BarChart } from '../components/charts';
import { Banner, Button, Empty, HealthBadge, Skeleton, Switch, timeAgo } from '../components/ui';
import { setQuery, useLocation } from '../router';
import type { Destination, HealthChange, HealthHistory, HealthStatus, Invocation, List, LogEntry, Metrics, ReplayResult } from '../types';

const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export function LogsTab({ projectId, destinationId }: { projectId: number; destinationId: string }) {
  const { query } = useLocation();
  const levels = (query.get('level') ?? '').split(',').filter(Boolean);
  const search = query.get('search') ?? '';
  const invocation = query.get('invocation') ?? '';
  const [live, setLive] = useState(true);
  const [logs, setLogs] = useState<LogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searchText, setSearchText] = useState(search);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const known = useRef<Set<string>>(new Set());

  useEffect(() => {
    let cancelled = false;
    known.current = new Set();
    setLogs(null);
    const load = async () => {
      try {
        const r = await api<List<LogEntry>>(`/api/projects/${projectId}/hog_functions/${destinationId}/logs/`, {
          query: { level: levels.map((l) => l.toLowerCase()).join(',') || undefined, search: search || undefined, instance_id: invocation || undefined, limit: 200 },
        });
        if (cancelled) return;
        const keyOf = (l: LogEntry) => `${l.timestamp}|${l.instance_id}|${l.message}`;
        const newKeys = new Set<string>();
        if (known.current.size > 0) for (const l of r.results) if (!known.current.has(keyOf(l))) newKeys.add(keyOf(l));
        for (const l of r.results) known.current.add(keyOf(l));
        setFresh(newKeys);
        setLogs(r.results);
        setError(null);
      } catch (e) {
        if (!cancelled) setError(errorMessage(e));
      }
    };
    void load();
    const timer = live ? setInterval(load, 2000) : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [projectId, destinationId, levels.join(','), search, invocation, live]);

  useEffect(() => {
    const t = setTimeout(() => searchText !== search && setQuery({ search: searchText || null }), 300);
    return () => clearTimeout(t);
  }, [searchText]);

  return (
    <section class="card" aria-labelledby="logs-title" data-testid="logs-tab">
      <div class="card-head">
        <h2 id="logs-title">Logs</h2>
        <Switch id="live-tail" checked={live} onChange={setLive} label={live ? 'Live' : 'Paused'} />
      </div>
      <div class="toolbar">
        <input class="input input-search" type="search" aria-label="Search logs" placeholder="Search messages" value={searchText} onInput={(e) => setSearchText((e.currentTarget as HTMLInputElement).value)} />
        <div class="chips" role="group" aria-label="Levels">
          {LEVELS.map((l) => {
            const on = levels.includes(l);
            return (
              <button key={l} type="button" class={`chip${on ? ' chip-on' : ''}`} aria-pressed={on} onClick={() => setQuery({ level: (on ? levels.filter((x) => x !== l) : [...levels, l]).join(',') || null })}>
                {l.toLowerCase()}
              </button>
            );
          })}
        </div>
        {invocation ? (
          <span class="chip chip-on">
            invocation {invocation.slice(0, 8)}…{' '}
            <button type="button" class="link" aria-label="Clear invocation filter" onClick={() => setQuery({ invocation: null })}>
              ✕
            </button>
          </span>
        ) : null}
      </div>
      {error ? <Banner tone="bad">{error}</Banner> : null}
      {logs === null ? <Skeleton rows={5} /> : null}
      {logs && logs.length === 0 ? (
        <Empty title={levels.length || search || invocation ? 'No log lines match' : 'No logs yet'} action={levels.length || search || invocation ? <Button onClick={() => { setSearchText(''); setQuery({ level: null, search: null, invocation: null }); }}>Clear filters</Button> : undefined}>
          {levels.length || search || invocation ? 'Try fewer filters.' : 'Log lines appear here as soon as the destination runs on an event.'}
        </Empty>
      ) : null}
      {logs && logs.length > 0 ? (
        <table class="table logs-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Invocation</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {logs.map((l, i) => (
              <tr key={`${l.timestamp}-${i}`} class={`log-row log-${l.level.toLowerCase()}${fresh.has(`${l.timestamp}|${l.instance_id}|${l.message}`) ? ' fresh' : ''}`} data-testid="log-row">
                <td class="nowrap mono small" title={l.timestamp}>
                  {new Date(l.timestamp).toLocaleTimeString()}
                </td>
                <td>
                  <span class={`level level-${l.level.toLowerCase()}`}>{l.level}</span>
                </td>
                <td class="mono small">
                  {l.instance_id ? (
                    <button type="button" class="link" title="Show only this invocation" onClick={() => setQuery({ invocation: l.instance_id ?? null })}>
                      {l.instance_id.slice(0, 8)}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="log-msg mono">{l.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const METRIC_INFO: Record<string, { label: string; tone: 'ok' | 'bad' | 'neutral' | 'warn'; help: string }> = {
  succeeded: { label: 'Delivered', tone: 'ok', help: 'Invocations that finished without error.' },
  failed: { label: 'Failed', tone: 'bad', help: 'Invocations that ended in an error after their retries.' },
  triggered: { label: 'Triggered', tone: 'neutral', help: 'Events that matched the filters.' },
  filtered: { label: 'Filtered', tone: 'neutral', help: 'Events the filters left out.' },
  filtering_failed: { label: 'Filter errors', tone: 'bad', help: 'Events whose filter raised an error.' },
  inputs_failed: { label: 'Input errors', tone: 'bad', help: 'Invocations whose inputs failed to evaluate (counted as failures).' },
  masked: { label: 'Masked', tone: 'neutral', help: 'Events skipped by the trigger options (run at most once…).' },
  disabled_temporarily: { label: 'Disabled (temp.)', tone: 'warn', help: 'Times the destination was disabled temporarily.' },
  disabled_permanently: { label: 'Disabled', tone: 'bad', help: 'Times the destination was disabled until re-enabled.' },
  degraded: { label: 'Degraded', tone: 'warn', help: 'Times the destination became degraded (including returns from a disable).' },
  recovered: { label: 'Recovered', tone: 'ok', help: 'Times a degraded destination became healthy again.' },
  parked: { label: 'Parked', tone: 'warn', help: 'Invocations kept for replay while the destination was disabled.' },
  replayed: { label: 'Replayed', tone: 'neutral', help: 'Parked or failed invocations queued again by a replay.' },
  fetch: { label: 'HTTP requests', tone: 'neutral', help: 'Requests made by the code.' },
  retried: { label: 'Retried', tone: 'warn', help: 'Requests retried after a failure.' },
  // Transformations (docs/transformations.md).
  transformed: { label: 'Transformed', tone: 'ok', help: 'Events the transformation changed.' },
  unchanged: { label: 'Unchanged', tone: 'neutral', help: 'Events it ran on and returned unchanged.' },
  dropped: { label: 'Dropped', tone: 'neutral', help: 'Events it dropped (return null).' },
  duration_us: { label: 'Time (µs, total)', tone: 'neutral', help: 'Microseconds spent, summed; divided by the events it ran on, the time per event.' },
};
const ORDER = Object.keys(METRIC_INFO);

export function MetricsTab({ projectId, destinationId }: { projectId: number; destinationId: string }) {
  const { query } = useLocation();
  const interval = query.get('interval') === 'day' ? 'day' : 'hour';
  const range = query.get('range') ?? (interval === 'day' ? '30d' : '24h');
  const [data, setData] = useState<Metrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const hours = range === '7d' ? 168 : range === '30d' ? 720 : 24;
    const load = () => {
      const now = Date.now();
      const bucket = interval === 'hour' ? 3600_000 : 86400_000;
      const after = new Date(Math.floor((now - hours * 3600_000) / bucket) * bucket + bucket).toISOString();
      api<Metrics>(`/api/projects/${projectId}/hog_functions/${destinationId}/metrics/`, { query: { interval, after, before: new Date(now + 3600_000).toISOString() } }).then(
        (m) => {
          if (cancelled) return;
          setData(fillBuckets(m, after, now, interval));
          setError(null);
        },
        (e) => !cancelled && setError(errorMessage(e)),
      );
    };
    load();
    const timer = setInterval(load, 5000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [projectId, destinationId, interval, range]);

  const series = data ? [...data.series].sort((a, b) => (ORDER.indexOf(a.name) + 100 * +(ORDER.indexOf(a.name) < 0)) - (ORDER.indexOf(b.name) + 100 * +(ORDER.indexOf(b.name) < 0))) : [];
  return (
    <section class="card" aria-labelledby="metrics-title" data-testid="metrics-tab">
      <div class="card-head">
        <h2 id="metrics-title">Metrics</h2>
        <div class="row gap wrap">
          <div class="segmented" role="group" aria-label="Interval">
            {(['hour', 'day'] as const).map((i) => (
              <button key={i} type="button" aria-pressed={interval === i} class={interval === i ? 'on' : ''} onClick={() => setQuery({ interval: i === 'hour' ? null : i, range: null })}>
                By {i}
              </button>
            ))}
          </div>
          <select class="input input-auto" aria-label="Range" value={range} onChange={(e) => setQuery({ range: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
          </select>
        </div>
      </div>
      {error ? <Banner tone="bad">{error}</Banner> : null}
      {data === null && !error ? <Skeleton rows={4} /> : null}
      {data && series.length === 0 ? <Empty title="No activity in this period">Metrics appear once the destination runs on events. Send a test event, or widen the range.</Empty> : null}
      {data && series.length > 0 ? (
        <>
          <div class="tiles">
            {series.map((s) => {
              const info = METRIC_INFO[s.name] ?? { label: s.name, tone: 'neutral' as const, help: '' };
              return (
                <div key={s.name} class={`tile tile-${info.tone}`} title={info.help} data-testid={`metric-${s.name}`}>
                  <div class="tile-label">{info.label}</div>
                  <div class="tile-value">{(data.totals[s.name] ?? 0).toLocaleString()}</div>
                </div>
              );
            })}
          </div>
          <div class="charts">
            {series.map((s) => {
              const info = METRIC_INFO[s.name] ?? { label: s.name, tone: 'neutral' as const, help: '' };
              return (
                <figure key={s.name} class="chart-card">
                  <figcaption>
                    {info.label} <span class="muted small">({s.name})</span>
                  </figcaption>
                  <BarChart labels={data.labels} values={s.values} interval={interval} tone={info.tone} name={s.name} />
                </figure>
              );
            })}
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The API returns only buckets with data; charts want every bucket of the range. */
export function fillBuckets(m: Metrics, afterIso: string, now: number, interval: 'hour' | 'day'): Metrics {
  const step = interval === 'hour' ? 3600_000 : 86400_000;
  const start = Date.parse(afterIso);
  const labels: string[] = [];
  for (let t = start; t <= now; t += step) labels.push(new Date(t).toISOString());
  if (labels.length === 0) return m;
  const indexOf = (iso: string) => Math.min(labels.length - 1, Math.max(0, Math.floor((Date.parse(iso) - start) / step)));
  const series = m.series.map((s) => {
    const values = labels.map(() => 0);
    s.values.forEach((v, i) => {
      const label = m.labels[i];
      if (label !== undefined && !Number.isNaN(Date.parse(label))) values[indexOf(label)]! += v;
    });
    return { name: s.name, values };
  });
  return { ...m, labels, series };
}

export function InvocationsTab({ projectId, destinationId }: { projectId: number; destinationId: string }) {
  const { query } = useLocation();
  const state = query.get('state') ?? 'failed,parked';
  const [rows, setRows] = useState<Invocation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [replay, setReplay] = useState<{ count: number | null; message: { tone: 'ok' | 'bad'; text: string } | null; busy: boolean }>({ count: null, message: null, busy: false });
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api<List<Invocation>>(`/api/projects/${projectId}/hog_functions/${destinationId}/invocations/`, { query: { state: state === 'all' ? undefined : state, limit: 100 } }).then(
        (r) => {
          if (cancelled) return;
          setRows(r.results);
          setError(null);
        },
        (e) => !cancelled && setError(errorMessage(e)),
      );
    void load();
    const timer = setInterval(load, 4000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [projectId, destinationId, state, reload]);

  // The replay endpoint takes `states` (parked and/or failed); "All" replays both.
  const replayStates = state === 'all' ? ['failed', 'parked'] : state.split(',').filter((x) => x === 'failed' || x === 'parked');

  async function doReplay(dryRun: boolean) {
    setReplay((r) => ({ ...r, busy: true, message: null }));
    try {
      const res = await api<ReplayResult>(`/api/projects/${projectId}/hog_functions/${destinationId}/replay/`, { method: 'POST', body: { dry_run: dryRun, states: replayStates } });
      const count = res.count;
      const more = res.remaining ? ` ${res.remaining} more match: replay again to queue them.` : '';
      const pace = res.due_by && count > 50 ? ` They run at 50 per second (done by ${new Date(res.due_by).toLocaleTimeString()}).` : '';
      setReplay({
        busy: false,
        count: dryRun ? count : null,
        message: dryRun ? null : { tone: 'ok', text: `${count} invocation${count === 1 ? '' : 's'} queued for replay with the current code, inputs and secrets.${pace}${more}` },
      });
      if (!dryRun) setReload((n) => n + 1);
    } catch (e) {
      setReplay({ busy: false, count: null, message: { tone: 'bad', text: `Could not replay: ${errorMessage(e)}` } });
    }
  }

  return (
    <section class="card" aria-labelledby="inv-title" data-testid="invocations-tab">
      <div class="card-head">
        <h2 id="inv-title">Invocations</h2>
        <div class="row gap wrap">
          <div class="segmented" role="group" aria-label="State">
            {[
              ['failed,parked', 'Failed & parked'],
              ['failed', 'Failed'],
              ['parked', 'Parked'],
              ['all', 'All'],
            ].map(([v, l]) => (
              <button key={v} type="button" aria-pressed={state === v} class={state === v ? 'on' : ''} onClick={() => setQuery({ state: v === 'failed,parked' ? null : v })}>
                {l}
              </button>
            ))}
          </div>
          {replay.count === null ? (
            <Button small onClick={() => void doReplay(true)} disabled={replay.busy} data-testid="replay" title={`Count the ${replayStates.join(' and ')} invocations first`}>
              Replay…
            </Button>
          ) : (
            <span class="row gap center" data-testid="replay-confirm">
              <span class="small" data-testid="replay-count" data-count={replay.count}>
                {replay.count === 0 ? `No ${replayStates.join(' or ')} invocations to replay.` : `Replay ${replay.count} ${replayStates.join(' and ')} invocation${replay.count === 1 ? '' : 's'} with the current code, inputs and secrets?`}
              </span>
              <Button small variant="primary" disabled={replay.count === 0 || replay.busy} onClick={() => void doReplay(false)} data-testid="replay-run">
                Replay {replay.count}
              </Button>
              <Button small variant="ghost" onClick={() => setReplay({ count: null, message: null, busy: false })}>
                Cancel
              </Button>
            </span>
          )}
        </div>
      </div>
      {replay.message ? <Banner tone={replay.message.tone} testId="replay-message">{replay.message.text}</Banner> : null}
      {error ? <Banner tone="bad">{error}</Banner> : null}
      {rows === null && !error ? <Skeleton rows={4} /> : null}
      {rows && rows.length === 0 ? <Empty title={state === 'all' ? 'No invocations yet' : 'Nothing failed or parked'}>{state === 'all' ? 'Invocations appear when events match the trigger.' : 'Every invocation in the retention period succeeded or is still running.'}</Empty> : null}
      {rows && rows.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Invocation</th>
                <th scope="col">Attempts</th>
                <th scope="col">Created</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <span class={`badge badge-${r.state === 'succeeded' ? 'ok' : r.state === 'failed' ? 'bad' : r.state === 'parked' ? 'warn' : 'muted'}`}>
                      <span class="dot" />
                      {r.state}
                    </span>
                  </td>
                  <td class="mono small">
                    <a href={`?tab=logs&invocation=${r.id}`} onClick={(e) => { e.preventDefault(); setQuery({ tab: 'logs', invocation: r.id, state: null }, false); }}>
                      {r.id.slice(0, 8)}
                    </a>
                  </td>
                  <td>{r.attempts}</td>
                  <td class="nowrap small" title={r.created_at}>
                    {timeAgo(r.created_at)}
                  </td>
                  <td class="small mono error-cell">{r.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

const STATE_LABEL: Record<string, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  disabled_temporarily: 'Disabled temporarily',
  disabled_permanently: 'Disabled until re-enabled',
};
const STATE_TONE: Record<string, string> = { healthy: 'ok', degraded: 'warn', disabled_temporarily: 'bad', disabled_permanently: 'bad' };

function StateTag({ state }: { state: string }) {
  return (
    <span class={`badge badge-${STATE_TONE[state] ?? 'muted'}`}>
      <span class="dot" aria-hidden="true" />
      {STATE_LABEL[state] ?? state}
    </span>
  );
}

/** What the state means for deliveries (the reason is shown on its own line, not repeated here). */
function whatItMeans(d: Destination): string {
  const s = d.status;
  if (s?.state === 'disabled_permanently') return 'Not delivering until someone re-enables it: it kept failing after 3 temporary disables within 24 hours. Matching events are parked for replay (kept 7 days).';
  if (s?.state === 'disabled_temporarily') return `Not delivering for now: it re-enables itself${s.until ? ` at ${new Date(s.until).toLocaleTimeString()}` : ''}, as degraded. Matching events are parked for replay.`;
  if (!d.enabled) return 'Paused by a user: events are not sent.';
  if (s?.state === 'degraded') return 'Still delivering, at lower priority than healthy destinations, until it proves itself: healthy again once its error budget is back to 90% and at least 5 minutes have passed. More failures disable it.';
  return 'Enabled and healthy: deliveries run at full priority.';
}

/**
 * The health tab: the current state (polled from `GET …/health/`, which also updates the page's badge),
 * the history of state changes with their times and reasons, and the re-enable button (`POST …/enable/`).
 */
export function HealthTab({ projectId, destination, onStatus, onChanged }: { projectId: number; destination: Destination; onStatus: (status: HealthStatus) => void; onChanged: (d: Destination) => void }) {
  const s = destination.status;
  const [changes, setChanges] = useState<HealthChange[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const disabled = s?.state === 'disabled_permanently' || s?.state === 'disabled_temporarily';
  const lastStatus = useRef<string>('');

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api<HealthHistory>(`/api/projects/${projectId}/hog_functions/${destination.id}/health/`, { query: { limit: 50 } }).then(
        (r) => {
          if (cancelled) return;
          setChanges(r.changes);
          setLoadError(null);
          const key = JSON.stringify(r.status);
          if (key !== lastStatus.current) {
            lastStatus.current = key;
            onStatus(r.status);
          }
        },
        (e) => !cancelled && setLoadError(errorMessage(e)),
      );
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [projectId, destination.id, tick]);

  async function reEnable() {
    setBusy(true);
    setMessage(null);
    try {
      const d = await api<Destination>(`/api/projects/${projectId}/hog_functions/${destination.id}/enable/`, { method: 'POST' });
      onChanged(d);
      setMessage({ tone: 'ok', text: 'Re-enabled: it runs at lower priority until it proves healthy. Events that arrived while it was off are parked; replay them from Invocations.' });
      setTick((t) => t + 1);
    } catch (e) {
      setMessage({ tone: 'bad', text: `Could not re-enable: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="health-title" data-testid="health-tab">
      <div class="card-head">
        <h2 id="health-title">Health</h2>
        {disabled ? (
          <Button variant="primary" onClick={() => void reEnable()} disabled={busy} data-testid="re-enable">
            {busy ? 'Re-enabling…' : 'Re-enable'}
          </Button>
        ) : null}
      </div>
      <div class="health-state">
        <HealthBadge destination={destination} />
        <p>{whatItMeans(destination)}</p>
      </div>
      <dl class="kv-list">
        <dt>State</dt>
        <dd data-testid="health-state" data-state={s?.state ?? 'healthy'}>
          {STATE_LABEL[s?.state ?? 'healthy']}
          {!destination.enabled ? ' (paused by a user)' : ''}
        </dd>
        {s?.since ? (
          <>
            <dt>Since</dt>
            <dd title={s.since}>
              {new Date(s.since).toLocaleString()} <span class="muted">({timeAgo(s.since)})</span>
            </dd>
          </>
        ) : null}
        {s?.until ? (
          <>
            <dt>Re-enables at</dt>
            <dd title={s.until}>{new Date(s.until).toLocaleString()}</dd>
          </>
        ) : null}
        {s?.reason ? (
          <>
            <dt>Reason</dt>
            <dd class="small" data-testid="health-reason">{s.reason}</dd>
          </>
        ) : null}
      </dl>
      {disabled ? <p class="muted small">Fix the cause and run a test first: a re-enabled destination starts degraded and is disabled again if it keeps failing.</p> : null}
      {message ? <Banner tone={message.tone}>{message.text}</Banner> : null}
      {loadError ? <Banner tone="bad">Could not load the health history: {loadError}</Banner> : null}

      <h3>History</h3>
      {changes === null && !loadError ? <Skeleton rows={2} /> : null}
      {changes && changes.length === 0 ? (
        <p class="muted small" data-testid="health-history-empty">
          No changes yet. Sluice watches failures and slow runs: a destination that keeps failing is degraded, then disabled for 10 minutes, then disabled until someone re-enables it. Each change is listed here, logged, and sent to the project&rsquo;s health webhook.
        </p>
      ) : null}
      {changes && changes.length > 0 ? (
        <div class="table-wrap">
          <table class="table" data-testid="health-history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c, i) => (
                <tr key={`${c.at}-${i}`} data-testid="health-change" data-to={c.to}>
                  <td class="nowrap small" title={c.at}>
                    {new Date(c.at).toLocaleString()}
                    <div class="muted">{timeAgo(c.at)}</div>
                  </td>
                  <td class="nowrap">
                    <span class="change">
                      <StateTag state={c.from} />
                      <span class="muted" aria-label="to">→</span>
                      <StateTag state={c.to} />
                    </span>
                    {c.until ? <div class="muted small">until {new Date(c.until).toLocaleTimeString()}</div> : null}
                  </td>
                  <td class="small reason-cell">{c.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
