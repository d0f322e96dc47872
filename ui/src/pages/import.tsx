/**
 * "Import from PostHog": paste (or load from a file) what PostHog's `GET /api/projects/:id/hog_functions/`
 * returns, preview what would change (a dry run of the same API call), then import. Functions that need
 * secrets are created disabled and listed with a link to set them.
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import { Banner, Button } from '../components/ui';
import { Link } from '../router';

type ImportStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'error';

interface ImportItem {
  posthog_id: string | null;
  name: string;
  status: ImportStatus;
  id?: string;
  enabled?: boolean;
  needs_secrets?: string[];
  reason?: string;
  errors?: { attr: string; detail: string }[];
}

interface ImportReport {
  dry_run: boolean;
  counts: Record<ImportStatus, number>;
  results: ImportItem[];
}

const STATUS_TONE: Record<ImportStatus, string> = { created: 'ok', updated: 'ok', unchanged: 'muted', skipped: 'warn', error: 'bad' };
const STATUS_WORD: Record<ImportStatus, [dryRun: string, done: string]> = {
  created: ['will be created', 'created'],
  updated: ['will be updated', 'updated'],
  unchanged: ['unchanged', 'unchanged'],
  skipped: ['skipped', 'skipped'],
  error: ['cannot be imported', 'not imported'],
};

/** Parses the pasted text, saying where JSON went wrong instead of a bare "Unexpected token". */
function parsePasted(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'Paste the JSON PostHog returns for its hog functions first.' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `This is not valid JSON: ${(error as Error).message}` };
  }
}

export function ImportPage({ projectId }: { projectId: number }) {
  const [text, setText] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/projects/${projectId}/destinations`;

  async function run(dryRun: boolean) {
    const parsed = parsePasted(text);
    if (!parsed.ok) {
      setError(parsed.message);
      setReport(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReport(await api<ImportReport>(`/api/projects/${projectId}/hog_functions/import/`, { method: 'POST', body: parsed.value, query: { dry_run: dryRun ? 'true' : undefined } }));
    } catch (e) {
      setReport(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function loadFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    setReport(null);
  }

  const counts = report ? (Object.entries(report.counts) as [ImportStatus, number][]).filter(([, n]) => n > 0) : [];
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>Import from PostHog</h1>
          <p class="muted">
            Paste the JSON of PostHog's <code>GET /api/projects/:id/hog_functions/</code>, an array of functions, or one function. Each keeps its own Hog code, inputs, filters, masking and
            mappings. Importing again updates what changed and never duplicates.
          </p>
        </div>
        <Link class="btn btn-secondary" href={base}>
          Back to destinations
        </Link>
      </div>
      <label class="field-label" for="import-json">
        PostHog export
      </label>
      <textarea
        id="import-json"
        class="input import-text"
        data-testid="import-json"
        spellcheck={false}
        placeholder='{"results": [{"id": "…", "name": "…", "hog": "…", "inputs_schema": […], "inputs": {…}}]}'
        value={text}
        onInput={(e) => {
          setText((e.currentTarget as HTMLTextAreaElement).value);
          setReport(null);
        }}
      />
      <div class="toolbar import-actions">
        <label class="btn btn-ghost btn-sm">
          Load a file…
          <input type="file" accept="application/json,.json" class="sr-only" data-testid="import-file" onChange={(e) => void loadFile((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
        <span class="spacer" />
        <Button variant="secondary" disabled={busy} onClick={() => void run(true)} data-testid="import-preview">
          Preview
        </Button>
        <Button variant="primary" disabled={busy} onClick={() => void run(false)} data-testid="import-run">
          Import
        </Button>
      </div>
      {error ? (
        <Banner tone="bad" testId="import-error">
          {error}
        </Banner>
      ) : null}
      {report ? (
        <div data-testid="import-report">
          <Banner tone={report.counts.error > 0 ? 'warn' : report.dry_run ? 'info' : 'ok'} title={report.dry_run ? 'Preview: nothing was changed yet.' : 'Import finished.'}>
            {counts.length === 0 ? 'The export holds no functions.' : counts.map(([status, n]) => `${n} ${STATUS_WORD[status][report.dry_run ? 0 : 1]}`).join(' · ')}
          </Banner>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Function</th>
                  <th scope="col">Result</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {report.results.map((item, i) => (
                  <tr key={`${item.posthog_id ?? ''}:${i}`} data-testid="import-row">
                    <td>{item.id && !report.dry_run ? <Link href={`${base}/${item.id}`}>{item.name}</Link> : item.name}</td>
                    <td class="badge-row">
                      <span class={`badge badge-${STATUS_TONE[item.status]}`}>{STATUS_WORD[item.status][report.dry_run ? 0 : 1]}</span>
                      {item.enabled === false && item.status !== 'error' && item.status !== 'skipped' ? <span class="badge badge-muted">disabled</span> : null}
                    </td>
                    <td class="small">
                      {item.needs_secrets && item.needs_secrets.length > 0 ? (
                        <span>
                          Needs its secrets: <code>{item.needs_secrets.join(', ')}</code>
                          {item.id && !report.dry_run ? (
                            <>
                              {' '}
                              — <Link href={`${base}/${item.id}`}>set them</Link>, then enable it.
                            </>
                          ) : null}
                        </span>
                      ) : null}
                      {item.reason ? <span>{item.reason}</span> : null}
                      {item.errors?.map((e) => (
                        <div key={e.attr}>
                          <code>{e.attr || '(function)'}</code>: {e.detail}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </div>
  );
}
