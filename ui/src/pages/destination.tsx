/**
 * One destination or source (by kind), new or saved: header (name, status, enable switch, Save), tabs kept in the URL
 * (configuration, source code, logs, metrics, invocations, health) and the test panel. The draft lives
 * here, so unsaved edits survive tab switches.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api';
import { useCompile } from '../compile';
import { CodeEditor } from '../components/editor';
import { FiltersBuilder, MaskingOptions } from '../components/filters';
import { InputControl } from '../components/inputs';
import { type SourceExample, TestPanel, type TestState } from '../components/test-panel';
import { Banner, Button, CopyField, Empty, HealthBadge, healthOf, Icon, Skeleton, Switch } from '../components/ui';
import { clientErrors, type Draft, draftFromDestination, draftFromTemplate, fieldOfAttr, isSecretMarker, messageOf, payloadOf, positionOf, SAMPLE_GLOBALS, sourceExampleOf, sourceGlobalsOf } from '../draft';
import type { FunctionKind } from '../kinds';
import { Link, navigate, setNavigationGuard, setQuery } from '../router';
import type { CompileDiagnostic, Destination, InputSchemaItem, Template, TestResult } from '../types';
import { HealthTab, InvocationsTab, LogsTab, MetricsTab } from './observe';

const TABS = [
  ['configuration', 'Configuration'],
  ['code', 'Source code'],
  ['logs', 'Logs'],
  ['metrics', 'Metrics'],
  ['invocations', 'Invocations'],
  ['health', 'Health'],
] as const;
type Tab = (typeof TABS)[number][0];

interface ServerError {
  field: string | null;
  message: string;
  position: { line: number; column: number } | null;
}

export function DestinationPage({ projectId, kind, id, templateId, tab: rawTab }: { projectId: number; kind: FunctionKind; id: string | null; templateId: string | null; tab: string | null }) {
  const isNew = id === null;
  const tabs = TABS.filter(([t]) => t !== 'invocations' || kind.hasInvocations);
  const tab: Tab = (tabs.find(([t]) => t === rawTab)?.[0] ?? 'configuration') as Tab;
  const [saved, setSaved] = useState<Destination | null>(null);
  const [template, setTemplate] = useState<Template | null>(null);
  const [baseline, setBaseline] = useState<Draft | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [serverError, setServerError] = useState<ServerError | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<TestState>({ globalsText: JSON.stringify(SAMPLE_GLOBALS, null, 2), bodyText: null, headersText: null, mock: true, chain: false, running: false, result: null, error: null });
  const [schemaText, setSchemaText] = useState<string | null>(null);
  const base = `/projects/${projectId}/${kind.segment}`;
  const isSource = !kind.hasTrigger;
  const example: SourceExample = useMemo(() => sourceExampleOf(template), [template]);

  // Load the destination, or the template a new one starts from.
  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    (async () => {
      try {
        if (isNew) {
          const t = await api<Template>(`/api/projects/${projectId}/hog_function_templates/${encodeURIComponent(templateId ?? 'template-webhook')}/`);
          if (cancelled) return;
          setTemplate(t);
          const d = draftFromTemplate(t, kind.type);
          setBaseline(d);
          setDraft(d);
        } else {
          const dest = await api<Destination>(`/api/projects/${projectId}/hog_functions/${encodeURIComponent(id)}/`);
          if (cancelled) return;
          setSaved(dest);
          const d = draftFromDestination(dest);
          setBaseline(d);
          setDraft((current) => current ?? d);
          if (dest.template_id) api<Template>(`/api/projects/${projectId}/hog_function_templates/${encodeURIComponent(dest.template_id)}/`).then((t) => !cancelled && setTemplate(t), () => undefined);
        }
      } catch (error) {
        if (!cancelled) setLoadError(error instanceof ApiError ? error : new ApiError(0, 'error', errorMessage(error), null));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [projectId, id, templateId]);

  const dirty = useMemo(() => draft !== null && baseline !== null && JSON.stringify(payloadOf(draft)) !== JSON.stringify(payloadOf(baseline)) || (draft !== null && baseline !== null && JSON.stringify(draft.jsonTexts) !== JSON.stringify(baseline.jsonTexts)), [draft, baseline]);

  // Leaving with unsaved changes asks first; switching tabs (same destination) does not.
  useEffect(() => {
    const here = isNew ? `${base}/new/` : `${base}/${id}`;
    setNavigationGuard((to) => !dirty || to.startsWith(here) || window.confirm('Leave this page? Your unsaved changes will be lost.'));
    const onUnload = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [dirty, isNew, id]);

  const hogDiagnostics = useCompile(projectId, draft?.hog ?? null, 'program', 400);
  const codeDiagnostics: CompileDiagnostic[] = useMemo(() => {
    const list = [...(hogDiagnostics ?? [])];
    if (serverError?.field === 'hog' && serverError.position && list.length === 0) list.push({ message: serverError.message, ...serverError.position });
    return list;
  }, [hogDiagnostics, serverError]);

  const errors = draft ? clientErrors(draft) : [];
  const fieldError = (field: string): string | null => {
    if (serverError?.field === field) return serverError.message;
    if (!submitted) return null;
    return errors.find((e) => e.field === field)?.message ?? null;
  };

  const update = (patch: Partial<Draft>, touched?: string) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    if (serverError && (touched === undefined || serverError.field === touched || serverError.field === null)) setServerError(null);
    setNotice(null);
  };

  const setTab = (t: Tab) => setQuery({ tab: t === 'configuration' ? null : t }, false);

  const focusField = (field: string | null) => {
    if (!field) return;
    if (field === 'hog') {
      setTab('code');
      return;
    }
    if (tab !== 'configuration') setTab('configuration');
    requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(`[data-field="${field}"] input, [data-field="${field}"] select, [data-field="${field}"] [contenteditable], [data-field="${field}"] button`) ?? document.getElementById(field === 'name' ? 'destination-name' : '');
      el?.focus();
      el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });
  };

  function applyApiError(error: unknown): void {
    if (error instanceof ApiError && error.status === 400) {
      const field = fieldOfAttr(error.attr);
      setServerError({ field, message: messageOf(error.detail, error.attr), position: positionOf(error.detail) });
      focusField(field);
    } else setServerError({ field: null, message: errorMessage(error), position: null });
  }

  const blockers = (): string | null => {
    if (!draft) return 'Loading';
    if (errors.length > 0) return errors[0]!.message;
    if (hogDiagnostics && hogDiagnostics.length > 0) return 'Fix the source code errors first.';
    return null;
  };

  async function save(enableOverride?: boolean) {
    if (!draft) return;
    setSubmitted(true);
    if (errors.length > 0) {
      focusField(errors[0]!.field);
      return;
    }
    if (hogDiagnostics && hogDiagnostics.length > 0) {
      setTab('code');
      return;
    }
    setSaving(true);
    setServerError(null);
    const body = payloadOf(enableOverride === undefined ? draft : { ...draft, enabled: enableOverride });
    try {
      if (isNew) {
        const created = await api<Destination>(`/api/projects/${projectId}/hog_functions/`, { method: 'POST', body });
        setNavigationGuard(null);
        setBaseline(draftFromDestination(created));
        navigate(`${base}/${created.id}${tab !== 'configuration' ? `?tab=${tab}` : ''}`, { replace: true, force: true });
      } else {
        // A function's type is fixed at creation: a PATCH leaves it out.
        const { type: _type, ...patch } = body;
        void _type;
        const updated = await api<Destination>(`/api/projects/${projectId}/hog_functions/${encodeURIComponent(id)}/`, { method: 'PATCH', body: patch });
        setSaved(updated);
        const d = draftFromDestination(updated);
        setBaseline(d);
        setDraft(d);
        setSubmitted(false);
        setNotice('Saved.');
      }
    } catch (error) {
      applyApiError(error);
    } finally {
      setSaving(false);
    }
  }

  /**
   * Replaces the example with the project's latest event this destination would receive: its saved
   * filters decide (person included); an unsaved one is matched on the event names of its form.
   */
  async function loadLatestEvent() {
    if (!draft) return;
    setEventError(null);
    type Found = { uuid: string; event: string; distinct_id: string; properties: Record<string, unknown>; timestamp: string; elements_chain: string; person?: { id: string; properties: Record<string, unknown> } | null };
    try {
      const names = (draft.filters.events ?? []).map((e) => e.id).filter((n): n is string => typeof n === 'string' && n !== '');
      const query = isNew ? { limit: 1, event: names.join(',') || undefined } : { limit: 1, hog_function: id };
      const found = (await api<{ results: Found[] }>(`/api/projects/${projectId}/events/`, { query })).results[0];
      if (!found) {
        setEventError(isNew ? 'No recent event has these event names: the example stays as it is.' : 'No recent event matches the saved filters: the example stays as it is.');
        return;
      }
      let person = found.person;
      if (person === undefined) {
        const persons = await api<{ results: { id: string; properties: Record<string, unknown> }[] }>(`/api/projects/${projectId}/persons/`, { query: { distinct_id: found.distinct_id } });
        person = persons.results[0] ?? null;
      }
      const { person: _p, ...event } = found;
      void _p;
      const globals = { event, person: person ? { id: person.id, properties: person.properties } : null, groups: {} };
      setTest((t) => ({ ...t, globalsText: JSON.stringify(globals, null, 2), result: null, error: null }));
    } catch (e) {
      setEventError(`Could not load the latest event: ${errorMessage(e)}`);
    }
  }

  async function runTest() {
    if (!draft) return;
    let globals: unknown;
    try {
      globals = isSource ? sourceGlobalsOf(test.bodyText ?? example.body, test.headersText ?? example.headers) : JSON.parse(test.globalsText);
    } catch (e) {
      setTest((t) => ({ ...t, error: null, result: null }));
      setEventError(isSource ? (e as Error).message : `Invalid JSON: ${(e as Error).message}`);
      return;
    }
    setEventError(null);
    setSubmitted(true);
    if (errors.length > 0) {
      setTest((t) => ({ ...t, error: `Fix the form first: ${errors.map((e) => e.message).join(' ')}`, result: null }));
      focusField(errors[0]!.field);
      return;
    }
    setTest((t) => ({ ...t, running: true, error: null }));
    try {
      const g = globals as Record<string, unknown>;
      const looksLikeEvent = !isSource && typeof g.event === 'string';
      const result = await api<TestResult>(`/api/projects/${projectId}/hog_functions/${isNew ? 'new' : encodeURIComponent(id)}/invocations/`, {
        method: 'POST',
        body: { configuration: payloadOf(draft), globals: looksLikeEvent ? { event: g } : g, mock_async_functions: test.mock },
        // Transformations: the project's whole chain, this configuration in its place.
        query: { chain: kind.ordered && test.chain ? 'true' : undefined },
      });
      setTest((t) => ({ ...t, running: false, result }));
    } catch (error) {
      setTest((t) => ({ ...t, running: false, result: null, error: errorMessage(error) }));
      applyApiError(error);
    }
  }
  const [eventError, setEventError] = useState<string | null>(null);

  // Ctrl+S saves, Ctrl+Enter runs the test.
  const keys = useRef({ save, runTest });
  keys.current = { save, runTest };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void keys.current.save();
      } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void keys.current.runTest();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (loadError) {
    return (
      <div class="page">
        <Empty title={loadError.status === 404 ? `${kind.Singular} not found` : `Could not load this ${kind.singular}`} action={<Link class="btn btn-secondary" href={base}>Back to {kind.plural}</Link>}>
          {loadError.detail}
        </Empty>
      </div>
    );
  }
  if (!draft) {
    return (
      <div class="page">
        <Skeleton rows={6} />
      </div>
    );
  }

  const health = saved ? healthOf({ enabled: saved.enabled, status: saved.status }) : null;
  const autoDisabled = saved?.status?.state === 'disabled_permanently' || saved?.status?.state === 'disabled_temporarily';
  const saveLabel = isNew ? (draft.enabled ? 'Create & enable' : 'Create paused') : autoDisabled && draft.enabled ? 'Save & re-enable' : draft.enabled && saved && !saved.enabled ? 'Save & enable' : 'Save';
  const blocked = blockers();
  const templateModified = template && saved && (saved.hog !== template.hog || JSON.stringify(saved.inputs_schema) !== JSON.stringify(template.inputs_schema));
  const summary = [
    ...(serverError ? [{ field: serverError.field, message: serverError.message }] : []),
    ...(submitted ? errors.filter((e) => e.field !== serverError?.field).map((e) => ({ field: e.field as string | null, message: e.message })) : []),
  ];
  const storedSecrets = new Set(Object.entries(saved?.inputs ?? {}).filter(([, v]) => isSecretMarker(v)).map(([k]) => k));
  const visibleInputs = draft.inputs_schema.filter((i) => !i.hidden);

  const configuration = (
    <div class="config-grid">
      <div class="config-main">
        {isSource ? (
          <section class="card" aria-labelledby="webhook-title" data-testid="webhook-card">
            <h2 id="webhook-title">Webhook URL</h2>
            {saved?.webhook_url ? (
              <>
                <p class="muted small">Give this URL to the sending service. Each POST runs the code below; it is acknowledged once the events it creates are stored.</p>
                <CopyField value={saved.webhook_url} label="Webhook URL" testId="source-webhook-url" />
              </>
            ) : (
              <p class="muted small">The public URL appears here once the source is created.</p>
            )}
          </section>
        ) : null}
        <section class="card" aria-labelledby="inputs-title">
          <h2 id="inputs-title">Inputs</h2>
          {visibleInputs.length === 0 ? <p class="muted small">This {kind.singular} has no inputs. Add some in Source code → Inputs schema.</p> : null}
          {visibleInputs.map((item) => (
            <InputControl
              key={item.key}
              projectId={projectId}
              item={item}
              entry={draft.inputs[item.key]}
              jsonText={draft.jsonTexts[item.key]}
              onEntry={(entry) => update({ inputs: { ...draft.inputs, [item.key]: entry } }, `inputs.${item.key}`)}
              onJsonText={(text) => update({ jsonTexts: { ...draft.jsonTexts, [item.key]: text } }, `inputs.${item.key}`)}
              error={fieldError(`inputs.${item.key}`)}
              saved={!isNew}
              storedSecret={storedSecrets.has(item.key)}
            />
          ))}
        </section>
        {kind.hasTrigger ? (
          <section class="card" aria-labelledby="trigger-title">
            <h2 id="trigger-title">Trigger</h2>
            <FiltersBuilder projectId={projectId} filters={draft.filters} onChange={(filters) => update({ filters }, 'filters')} error={fieldError('filters')} />
          </section>
        ) : null}
        {kind.ordered ? (
          <section class="card" aria-labelledby="identity-title" data-field="allow_identity_changes">
            <h2 id="identity-title">Identity</h2>
            <Switch
              id="allow-identity-changes"
              testId="allow-identity-changes"
              checked={draft.allow_identity_changes}
              onChange={(allow) => update({ allow_identity_changes: allow }, 'allow_identity_changes')}
              label="May change uuid, distinct_id and timestamp"
            />
            <p class="muted small">Off: a change to any of them fails the transformation and the event passes on unchanged.</p>
          </section>
        ) : null}
        {kind.hasDeliveryOptions ? (
          <section class="card" aria-labelledby="masking-title">
            <h2 id="masking-title">Trigger options</h2>
            <MaskingOptions masking={draft.masking} onChange={(masking) => update({ masking }, 'masking')} error={fieldError('masking')} />
          </section>
        ) : null}
        {kind.hasDeliveryOptions && draft.mappings && draft.mappings.length > 0 ? (
          <section class="card" aria-labelledby="mappings-title" data-field="mappings">
            <h2 id="mappings-title">Mappings</h2>
            <ul class="plain">
              {(draft.mappings as { name?: string; disabled?: boolean }[]).map((m, i) => (
                <li key={i}>
                  {m.name ?? `Mapping ${i + 1}`} {m.disabled ? <span class="tag">Disabled</span> : null}
                </li>
              ))}
            </ul>
            {fieldError('mappings') ? <div class="field-error">{fieldError('mappings')}</div> : null}
          </section>
        ) : null}
      </div>
      <aside class="config-side">
        <TestPanel kind={kind} example={example} state={test} onChange={(s) => setTest((t) => ({ ...t, ...s }))} onRun={() => void runTest()} onLatestEvent={() => void loadLatestEvent()} eventError={eventError} />
      </aside>
    </div>
  );

  const schemaError = (() => {
    if (schemaText === null) return null;
    try {
      const parsed = JSON.parse(schemaText);
      return Array.isArray(parsed) ? null : 'The inputs schema must be a JSON list.';
    } catch (e) {
      return `Invalid JSON: ${(e as Error).message}`;
    }
  })();

  const code = (
    <div class="config-grid">
      <div class="config-main">
        <section class="card" aria-labelledby="code-title" data-field="hog">
          <div class="card-head">
            <h2 id="code-title">Hog source</h2>
            <span class={`badge ${codeDiagnostics.length > 0 ? 'badge-bad' : hogDiagnostics === null ? 'badge-muted' : 'badge-ok'}`} data-testid="compile-status">
              <span class="dot" aria-hidden="true" />
              {codeDiagnostics.length > 0 ? `${codeDiagnostics.length} problem${codeDiagnostics.length === 1 ? '' : 's'}` : hogDiagnostics === null ? 'Compiling…' : 'Compiles'}
            </span>
          </div>
          {templateModified ? <p class="muted small">Modified from the {template?.name} template.</p> : null}
          <CodeEditor language="hog" value={draft.hog} onChange={(hog) => update({ hog }, 'hog')} diagnostics={codeDiagnostics} ariaLabel="Hog source code" minHeight={320} inputKeys={draft.inputs_schema.map((i) => i.key)} testId="hog-editor" />
          {codeDiagnostics.length > 0 ? (
            <ul class="problems" data-testid="problems">
              {codeDiagnostics.map((d, i) => (
                <li key={i}>
                  <span class="mono">{`${d.line}:${d.column}`}</span> {d.message}
                </li>
              ))}
            </ul>
          ) : null}
          {template ? (
            <Button small variant="ghost" onClick={() => update({ hog: template.hog }, 'hog')} disabled={draft.hog === template.hog}>
              Reset to template code
            </Button>
          ) : null}
        </section>
        <section class="card" aria-labelledby="schema-title" data-field="inputs_schema">
          <div class="card-head">
            <h2 id="schema-title">Inputs schema</h2>
            <Button
              small
              disabled={schemaText === null || schemaError !== null}
              onClick={() => {
                const schema = JSON.parse(schemaText!) as InputSchemaItem[];
                const jsonTexts = { ...draft.jsonTexts };
                for (const item of schema) if (item.type === 'json' && jsonTexts[item.key] === undefined) jsonTexts[item.key] = item.default === undefined ? '' : JSON.stringify(item.default, null, 2);
                const inputs = { ...draft.inputs };
                for (const item of schema) if (inputs[item.key] === undefined && item.default !== undefined && item.type !== 'json') inputs[item.key] = { value: item.default };
                update({ inputs_schema: schema, jsonTexts, inputs }, 'inputs_schema');
                setSchemaText(null);
              }}
            >
              Apply schema
            </Button>
          </div>
          <p class="muted small">Each item: key, type (string, number, boolean, choice, dictionary, json, email), label, description, required, secret, default, choices.</p>
          <CodeEditor language="json" value={schemaText ?? JSON.stringify(draft.inputs_schema, null, 2)} onChange={setSchemaText} ariaLabel="Inputs schema JSON" minHeight={160} maxHeight={420} />
          {schemaError ? <div class="field-error">{schemaError}</div> : null}
          {fieldError('inputs_schema') ? <div class="field-error" role="alert">{fieldError('inputs_schema')}</div> : null}
        </section>
      </div>
      <aside class="config-side">
        <TestPanel kind={kind} example={example} state={test} onChange={(s) => setTest((t) => ({ ...t, ...s }))} onRun={() => void runTest()} onLatestEvent={() => void loadLatestEvent()} eventError={eventError} />
      </aside>
    </div>
  );

  return (
    <div class="page page-destination">
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link href={base}>{kind.Plural}</Link>
        <span aria-hidden="true">/</span>
        {isNew ? (
          <>
            <Link href={`${base}/new`}>New</Link>
            <span aria-hidden="true">/</span>
            <span>{template?.name}</span>
          </>
        ) : (
          <span>{saved?.name}</span>
        )}
      </nav>
      <form
        class="dest-header"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Icon src={draft.icon_url} name={draft.name} size={48} />
        <div class="dest-title">
          <div data-field="name">
            <label class="sr-only" for="destination-name">
              Name
            </label>
            <input id="destination-name" class={`title-input${fieldError('name') ? ' invalid' : ''}`} value={draft.name} onInput={(e) => update({ name: (e.currentTarget as HTMLInputElement).value }, 'name')} aria-invalid={fieldError('name') ? 'true' : undefined} />
            {fieldError('name') ? <div class="field-error" data-testid="error-name">{fieldError('name')}</div> : null}
          </div>
          <label class="sr-only" for="destination-description">
            Description
          </label>
          <input id="destination-description" class="desc-input" placeholder="Add a description" value={draft.description} onInput={(e) => update({ description: (e.currentTarget as HTMLInputElement).value }, 'description')} />
          <div class="row gap center wrap small">
            {saved ? <HealthBadge destination={saved} /> : <span class="badge badge-muted">Not saved yet</span>}
            {template ? (
              <span class="chip" title={template.description}>
                {template.name}
                {templateModified ? ' · Modified' : ''}
              </span>
            ) : null}
          </div>
        </div>
        <div class="dest-actions">
          <Switch id="destination-enabled" testId="enabled-switch" checked={draft.enabled} onChange={(enabled) => update({ enabled })} label={isNew ? (draft.enabled ? 'Enabled' : 'Start paused') : draft.enabled ? 'Enabled' : 'Paused'} />
          {!isNew && saved ? (
            <Button
              variant="ghost"
              data-testid="delete"
              onClick={async () => {
                if (!window.confirm(`Delete “${saved.name}”? Its logs and metrics go with it.`)) return;
                try {
                  await api(`/api/projects/${projectId}/hog_functions/${encodeURIComponent(saved.id)}/`, { method: 'DELETE' });
                  setNavigationGuard(null);
                  navigate(base, { force: true });
                } catch (error) {
                  applyApiError(error);
                }
              }}
            >
              Delete
            </Button>
          ) : null}
          {dirty && !isNew ? (
            <Button variant="ghost" onClick={() => { setDraft(baseline); setServerError(null); setSubmitted(false); }}>
              Clear changes
            </Button>
          ) : null}
          <Button type="submit" variant="primary" disabled={saving || (!isNew && !dirty && !(autoDisabled && draft.enabled))} data-testid="save" title={!isNew && !dirty && !autoDisabled ? 'No changes' : blocked ?? 'Ctrl+S'}>
            {saving ? 'Saving…' : saveLabel}
          </Button>
          {!isNew && !dirty && !autoDisabled ? <span class="muted small no-changes">No changes</span> : null}
        </div>
      </form>
      {autoDisabled && saved?.status && tab !== 'health' ? (
        <Banner tone="bad" title={health?.label} testId="disabled-banner" actions={<Button small onClick={() => setTab('health')}>Open health</Button>}>
          {health?.explain}
        </Banner>
      ) : null}
      {template && (template.status === 'alpha' || template.status === 'beta') ? <Banner tone="info" title={`${template.status === 'alpha' ? 'Experimental' : 'Beta'} template`}>It may change; check the requests it makes in the test panel before enabling it.</Banner> : null}
      {template?.status === 'deprecated' ? <Banner tone="warn" title="Deprecated template">This template is no longer maintained.</Banner> : null}
      {summary.length > 0 ? (
        <div class="error-summary" role="alert" data-testid="error-summary">
          <strong>{summary.length === 1 ? 'Fix this to save:' : `Fix these ${summary.length} problems to save:`}</strong>
          <ul>
            {summary.map((s, i) => (
              <li key={i}>
                {s.field ? (
                  <a href={`#${s.field}`} onClick={(e) => { e.preventDefault(); focusField(s.field); }}>
                    {s.message}
                  </a>
                ) : (
                  s.message
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {notice ? <div class="toast" role="status">{notice}</div> : null}
      <div class="tabs" role="tablist" aria-label={`${kind.Singular} sections`}>
        {tabs.map(([t, label]) => {
          const disabledTab = isNew && t !== 'configuration' && t !== 'code';
          return (
            <button
              key={t}
              type="button"
              role="tab"
              id={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls="tab-panel"
              class={`tab${tab === t ? ' active' : ''}`}
              disabled={disabledTab}
              title={disabledTab ? `Available after the ${kind.singular} is created` : undefined}
              onClick={() => setTab(t)}
            >
              {label}
              {t === 'code' && codeDiagnostics.length > 0 ? <span class="tab-count bad">{codeDiagnostics.length}</span> : null}
            </button>
          );
        })}
      </div>
      <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'configuration' ? configuration : null}
        {tab === 'code' ? code : null}
        {tab === 'logs' && saved ? <LogsTab projectId={projectId} destinationId={saved.id} /> : null}
        {tab === 'metrics' && saved ? <MetricsTab projectId={projectId} destinationId={saved.id} /> : null}
        {tab === 'invocations' && saved && kind.hasInvocations ? <InvocationsTab projectId={projectId} destinationId={saved.id} /> : null}
        {tab === 'health' && saved ? (
          <HealthTab
            projectId={projectId}
            destination={saved}
            onStatus={(status) => setSaved((d) => (d ? { ...d, status } : d))}
            onChanged={(d) => {
              setSaved(d);
              // Keep unsaved edits; only the enable switch follows the server.
              const nd = draftFromDestination(d);
              setBaseline(nd);
              setDraft((current) => (current && dirty ? { ...current, enabled: d.enabled } : nd));
            }}
          />
        ) : null}
      </div>
    </div>
  );
}
