/**
 * The test panel: an example event (destinations) or an example webhook request (sources), "mock HTTP
 * calls" (on by default), and the result of a full run: the requests a destination would make, or the
 * events a source would capture and the response it would give.
 */
import type { FunctionKind } from '../kinds';
import type { TestRequest, TestResult } from '../types';
import { CodeEditor } from './editor';
import { EventDiff } from './event-diff';
import { Banner, Button, Switch } from './ui';

export interface TestState {
  globalsText: string;
  /** Sources: the example request body and headers, as typed; null until edited (the template's example shows). */
  bodyText: string | null;
  headersText: string | null;
  mock: boolean;
  /** Transformations: run the project's whole chain with this configuration in its place. */
  chain: boolean;
  running: boolean;
  result: TestResult | null;
  error: string | null;
}

function curlOf(r: TestRequest): string {
  const parts = [`curl -X ${r.method ?? 'GET'} '${r.url.replace(/'/g, "'\\''")}'`];
  for (const [k, v] of Object.entries(r.headers ?? {})) parts.push(`-H '${`${k}: ${v}`.replace(/'/g, "'\\''")}'`);
  if (r.body !== undefined && r.body !== null) {
    const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    parts.push(`--data '${body.replace(/'/g, "'\\''")}'`);
  }
  return parts.join(' \\\n  ');
}

function bodyText(body: unknown): string {
  if (typeof body !== 'string') return JSON.stringify(body, null, 2);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function RequestView({ r, index }: { r: TestRequest; index: number }) {
  return (
    <details class="request" open={index === 0} data-testid="test-request">
      <summary>
        <span class={`method method-${(r.method ?? 'GET').toLowerCase()}`}>{r.method ?? 'GET'}</span>
        <span class="mono url" title={r.url}>
          {r.url}
        </span>
      </summary>
      {r.headers && Object.keys(r.headers).length > 0 ? (
        <table class="kv">
          <tbody>
            {Object.entries(r.headers).map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td class="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {r.body !== undefined && r.body !== null ? <pre class="code-block">{bodyText(r.body)}</pre> : null}
      <Button small variant="ghost" onClick={() => void navigator.clipboard?.writeText(curlOf(r))}>
        Copy as cURL
      </Button>
    </details>
  );
}

/** What a source would answer: the run's `response`, else a `result` of `{httpStatus, body}`. */
function responseOf(run: TestResult): { status: number; body: unknown } | null {
  if (run.response && typeof run.response.status === 'number') return run.response;
  const result = run.result;
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { httpStatus?: unknown; status?: unknown; body?: unknown };
  const status = typeof r.httpStatus === 'number' ? r.httpStatus : typeof r.status === 'number' ? r.status : null;
  return status === null ? null : { status, body: r.body };
}

function CapturedView({ events }: { events: unknown[] }) {
  return (
    <>
      <h3>Captured events ({events.length})</h3>
      {events.length === 0 ? <p class="muted small">This request would create no events.</p> : null}
      {events.map((e, i) => {
        const name = typeof e === 'object' && e !== null && typeof (e as { event?: unknown }).event === 'string' ? (e as { event: string }).event : `Event ${i + 1}`;
        return (
          <details key={i} class="captured" open={i === 0} data-testid="captured-event">
            <summary class="mono">{name}</summary>
            <pre class="code-block">{JSON.stringify(e, null, 2)}</pre>
          </details>
        );
      })}
    </>
  );
}

const RESULT_LABEL: Record<string, string> = {
  transformed: 'changed the event',
  unchanged: 'left it unchanged',
  dropped: 'dropped it',
  failed: 'failed (the event passes on unchanged)',
  skipped_by_filter: 'skipped: the filters do not match',
  skipped_disabled: 'skipped: disabled by its health',
};

/** The event before and after, and what each transformation did. */
function TransformationView({ run }: { run: NonNullable<TestResult['transformation']> }) {
  return (
    <div data-testid="transformation-result">
      <h3>{run.chain ? 'Before and after the whole chain' : 'Before and after'}</h3>
      <EventDiff before={run.before} after={run.after} dropped={run.dropped} />
      {run.chain ? (
        <ol class="outcomes small" data-testid="chain-outcomes">
          {run.outcomes.map((o) => (
            <li key={o.id} data-result={o.result}>
              <strong>{o.name}</strong> {RESULT_LABEL[o.result] ?? o.result} <span class="muted">({o.duration_ms.toFixed(2)} ms)</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

export interface SourceExample {
  body: string;
  headers: string;
}

export function TestPanel({ state, onChange, onRun, onLatestEvent, eventError, kind, example }: {
  state: TestState;
  onChange: (s: Partial<TestState>) => void;
  onRun: () => void;
  /** Replaces the example with the latest real event this destination would receive. */
  onLatestEvent?: () => void;
  eventError: string | null;
  kind: FunctionKind;
  example: SourceExample;
}) {
  const r = state.result;
  const requests = r?.requests ?? [];
  const isSource = !kind.hasTrigger;
  const isTransformation = kind.type === 'transformation';
  return (
    <section class="test-panel card" aria-labelledby="test-title" data-testid="test-panel">
      <div class="card-head">
        <h2 id="test-title">Test</h2>
        <Button variant="primary" onClick={onRun} disabled={state.running} data-testid="run-test" title="Ctrl+Enter">
          {state.running ? 'Running…' : 'Run test'}
        </Button>
      </div>
      {isSource ? (
        <>
          <p class="muted small">Runs the form as it is now, saved or not, on an example webhook request. Nothing is stored.</p>
          <label class="field-label" for="test-body">
            Example request body <span class="muted">(JSON: edit freely)</span>
          </label>
          <CodeEditor id="test-body" language="json" value={state.bodyText ?? example.body} onChange={(v) => onChange({ bodyText: v })} ariaLabel="Example request body JSON" minHeight={140} maxHeight={280} testId="test-body" />
          <label class="field-label" for="test-headers">
            Request headers <span class="muted">(a JSON object)</span>
          </label>
          <CodeEditor id="test-headers" language="json" value={state.headersText ?? example.headers} onChange={(v) => onChange({ headersText: v })} ariaLabel="Example request headers JSON" minHeight={60} maxHeight={160} testId="test-headers" />
        </>
      ) : (
        <>
          <p class="muted small">Runs the form as it is now, saved or not, through the real filters, inputs and code.</p>
          <div class="test-event-head">
            <label class="field-label" for="test-globals">
              Example event <span class="muted">(edit freely)</span>
            </label>
            {onLatestEvent ? (
              <Button small variant="ghost" onClick={onLatestEvent} data-testid="latest-event" title="Use the project's latest event that this destination's filters match">
                Latest matching event
              </Button>
            ) : null}
          </div>
          <CodeEditor id="test-globals" language="json" value={state.globalsText} onChange={(v) => onChange({ globalsText: v })} ariaLabel="Example event JSON" minHeight={140} maxHeight={280} testId="test-event" />
        </>
      )}
      {eventError ? <div class="field-error" role="alert">{eventError}</div> : null}
      {isTransformation ? (
        <div class="test-options">
          <Switch id="test-chain" testId="chain-switch" checked={state.chain} onChange={(v) => onChange({ chain: v })} label="Run the whole chain (every enabled transformation, in order)" />
        </div>
      ) : null}
      {isSource || isTransformation ? null : (
        <>
          <div class="test-options">
            <Switch id="mock-http" testId="mock-switch" checked={state.mock} onChange={(v) => onChange({ mock: v })} label="Mock HTTP calls" />
          </div>
          {!state.mock ? (
            <Banner tone="warn" title="Real requests" testId="live-warning">
              The test will send real HTTP requests to the destination's endpoint.
            </Banner>
          ) : null}
        </>
      )}
      {state.error ? (
        <Banner tone="bad" title="The test could not run">
          {state.error}
        </Banner>
      ) : null}
      {r ? (
        <div class="test-result" data-testid="test-result" data-status={r.status}>
          <div class="row gap center">
            <span class={`badge badge-${r.status === 'success' ? 'ok' : r.status === 'error' ? 'bad' : 'muted'}`} data-testid="test-status">
              <span class="dot" aria-hidden="true" />
              {r.status === 'success' ? 'Success' : r.status === 'error' ? 'Error' : 'Skipped'}
            </span>
            {isTransformation ? null : isSource ? (
              <span class="muted small" data-testid="captured-count">{`${r.captured?.length ?? 0} event${r.captured?.length === 1 ? '' : 's'} would be captured`}</span>
            ) : (
              <span class="muted small">{state.mock ? `Mocked: nothing sent · ${requests.length} request${requests.length === 1 ? '' : 's'} would be made` : `Live: ${requests.length} request${requests.length === 1 ? '' : 's'} sent`}</span>
            )}
            {!isSource && r.fetches ? (
              <span class={r.fetches.made >= r.fetches.limit ? 'badge badge-warn' : 'muted small'} data-testid="fetch-count" title="fetch calls one invocation may make (SLUICE_MAX_FETCHES)">
                {`${r.fetches.made} of ${r.fetches.limit} fetches`}
              </span>
            ) : null}
          </div>
          {r.status === 'skipped' ? <p class="small">{r.logs[0]?.message ?? 'The event does not match the filters.'}</p> : null}
          {r.errors.length > 0 ? (
            <ul class="errors">
              {r.errors.map((e, i) => (
                <li key={i} class="mono">
                  {e}
                </li>
              ))}
            </ul>
          ) : null}
          {isSource ? <CapturedView events={r.captured ?? []} /> : null}
          {r.transformation ? <TransformationView run={r.transformation} /> : null}
          {isSource && responseOf(r) ? (
            <div data-testid="test-response">
              <h3>Response</h3>
              <p class="small">
                <span class="mono">HTTP {responseOf(r)!.status}</span>
              </p>
              {responseOf(r)!.body !== undefined ? <pre class="code-block">{bodyText(responseOf(r)!.body)}</pre> : null}
            </div>
          ) : null}
          {requests.length > 0 ? (
            <>
              <h3>Requests</h3>
              {requests.map((req, i) => (
                <RequestView key={i} r={req} index={i} />
              ))}
            </>
          ) : null}
          <h3>Logs</h3>
          {r.logs.length === 0 ? <p class="muted small">No log lines.</p> : null}
          <ol class="log-lines">
            {r.logs.map((l, i) => (
              <li key={i} class={`log log-${l.level.toLowerCase()}`}>
                <span class="log-level">{l.level.toUpperCase()}</span>
                <span class="log-msg">{l.message}</span>
              </li>
            ))}
          </ol>
          {r.result !== null && r.result !== undefined && !(isSource && responseOf(r)) && !r.transformation ? (
            <>
              <h3>Returned</h3>
              <pre class="code-block">{JSON.stringify(r.result, null, 2)}</pre>
            </>
          ) : null}
        </div>
      ) : (
        <p class="muted small empty-inline">Nothing run yet. Press “Run test” (Ctrl+Enter) to see {isSource ? 'the events this source would capture' : isTransformation ? 'the event before and after' : 'the requests this destination would make'}.</p>
      )}
    </section>
  );
}
