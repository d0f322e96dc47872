/** Trigger: event matchers with property filters, global property filters, test accounts, an expression; and masking. */
import { useCompile } from '../compile';
import type { EventFilter, Filters, Masking, PropertyFilter } from '../types';
import { Button, Switch } from './ui';

const OPERATORS: [NonNullable<PropertyFilter['operator']>, string][] = [
  ['exact', 'equals'],
  ['is_not', 'does not equal'],
  ['icontains', 'contains'],
  ['not_icontains', 'does not contain'],
  ['regex', 'matches regex'],
  ['not_regex', 'does not match regex'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['is_set', 'is set'],
  ['is_not_set', 'is not set'],
];

const COMMON_EVENTS = ['$pageview', '$pageleave', '$autocapture', '$identify', '$screen', '$groupidentify', '$set'];

function PropertyRows({ rows, onChange, idPrefix }: { rows: PropertyFilter[]; onChange: (rows: PropertyFilter[]) => void; idPrefix: string }) {
  const update = (i: number, patch: Partial<PropertyFilter>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div class="prop-rows">
      {rows.map((r, i) => {
        const noValue = r.operator === 'is_set' || r.operator === 'is_not_set';
        return (
          <div class="prop-row" key={i} data-testid="property-filter">
            <select class="input input-sm" aria-label="Property of" value={r.type} onChange={(e) => update(i, { type: (e.currentTarget as HTMLSelectElement).value as PropertyFilter['type'] })}>
              <option value="event">Event property</option>
              <option value="person">Person property</option>
            </select>
            <input id={`${idPrefix}-key-${i}`} class="input input-sm" aria-label="Property name" placeholder="property, e.g. $current_url" value={r.key} onInput={(e) => update(i, { key: (e.currentTarget as HTMLInputElement).value })} />
            <select class="input input-sm" aria-label="Operator" value={r.operator ?? 'exact'} onChange={(e) => update(i, { operator: (e.currentTarget as HTMLSelectElement).value as PropertyFilter['operator'] })}>
              {OPERATORS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
            {noValue ? (
              <span />
            ) : (
              <input
                class="input input-sm"
                aria-label="Value"
                placeholder="value"
                value={r.value === undefined || r.value === null ? '' : Array.isArray(r.value) ? r.value.join(', ') : String(r.value)}
                onInput={(e) => {
                  const raw = (e.currentTarget as HTMLInputElement).value;
                  const numeric = ['gt', 'gte', 'lt', 'lte'].includes(r.operator ?? '') && raw.trim() !== '' && !Number.isNaN(Number(raw));
                  update(i, { value: numeric ? Number(raw) : raw });
                }}
              />
            )}
            <Button small variant="ghost" aria-label="Remove filter" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              ✕
            </Button>
          </div>
        );
      })}
      <Button small variant="ghost" onClick={() => onChange([...rows, { key: '', type: 'event', operator: 'exact', value: '' }])}>
        + Property filter
      </Button>
    </div>
  );
}

export function FiltersBuilder({ projectId, filters, onChange, error }: { projectId: number; filters: Filters; onChange: (f: Filters) => void; error: string | null }) {
  const events = filters.events ?? [];
  const setEvents = (next: EventFilter[]) => onChange({ ...filters, events: next });
  const hogDiagnostics = useCompile(projectId, filters.hog?.trim() ? filters.hog : null, 'expression');
  const hogError = hogDiagnostics && hogDiagnostics.length > 0 ? `${hogDiagnostics[0]!.message} (at ${hogDiagnostics[0]!.line}:${hogDiagnostics[0]!.column})` : null;
  return (
    <div class="filters" data-field="filters">
      <Switch
        id="filter-test-accounts"
        checked={filters.filter_test_accounts === true}
        onChange={(v) => onChange({ ...filters, filter_test_accounts: v })}
        label="Filter out internal and test users"
      />
      <div class="subhead">Events</div>
      <p class="muted small">The destination runs when an event matches any one of these. No events: every event.</p>
      <datalist id="common-events">
        {COMMON_EVENTS.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      {events.map((e, i) => (
        <div class="event-matcher" key={i} data-testid="event-matcher">
          <div class="event-matcher-head">
            <input
              class="input"
              list="common-events"
              aria-label={`Event ${i + 1} name`}
              placeholder="Any event"
              value={e.id ?? ''}
              onInput={(ev) => {
                const v = (ev.currentTarget as HTMLInputElement).value;
                setEvents(events.map((x, j) => (j === i ? { ...x, id: v === '' ? null : v, name: v || 'All events' } : x)));
              }}
            />
            <Button small variant="ghost" aria-label={`Remove event ${e.id ?? 'any'}`} onClick={() => setEvents(events.filter((_, j) => j !== i))}>
              ✕
            </Button>
          </div>
          <PropertyRows idPrefix={`event-${i}`} rows={(e.properties ?? []) as PropertyFilter[]} onChange={(rows) => setEvents(events.map((x, j) => (j === i ? { ...x, properties: rows } : x)))} />
        </div>
      ))}
      <Button small onClick={() => setEvents([...events, { id: '$pageview', name: '$pageview', type: 'events', properties: [] }])}>
        + Event
      </Button>
      <div class="subhead">Properties every event must have</div>
      <PropertyRows idPrefix="global" rows={(filters.properties ?? []) as PropertyFilter[]} onChange={(rows) => onChange({ ...filters, properties: rows })} />
      <details class="hog-filter" open={!!filters.hog}>
        <summary>Hog expression (advanced)</summary>
        <input
          class="input mono"
          aria-label="Filter expression"
          placeholder="e.g. event.properties.plan = 'growth'"
          value={filters.hog ?? ''}
          onInput={(e) => onChange({ ...filters, hog: (e.currentTarget as HTMLInputElement).value })}
        />
        {hogError ? <div class="field-error" role="alert">{hogError}</div> : null}
      </details>
      <p class="muted small">Person properties are read when the event is processed, with the event's own changes applied.</p>
      {error ? <div class="field-error" role="alert" data-testid="error-filters">{error}</div> : null}
    </div>
  );
}

const TTLS: [number, string][] = [
  [60, '1 minute'],
  [300, '5 minutes'],
  [900, '15 minutes'],
  [1800, '30 minutes'],
  [3600, '1 hour'],
  [21600, '6 hours'],
  [86400, '24 hours'],
];

const HASHES: [string, string][] = [
  ['{person.id}', 'per person'],
  ["{concat(person.id, event.event)}", 'per person and event name'],
  ['{event.distinct_id}', 'per distinct id'],
];

export function MaskingOptions({ masking, onChange, error }: { masking: Masking | null; onChange: (m: Masking | null) => void; error: string | null }) {
  const known = masking ? HASHES.some(([h]) => h === masking.hash) : true;
  return (
    <div class="masking" data-field="masking">
      <label class="field-label" for="masking-mode">
        How often
      </label>
      <div class="row wrap gap">
        <select
          id="masking-mode"
          class="input input-auto"
          value={masking ? 'masked' : 'all'}
          onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value === 'all' ? null : { ttl: 1800, hash: '{person.id}', threshold: null })}
        >
          <option value="all">Run every time</option>
          <option value="masked">Run at most once…</option>
        </select>
        {masking ? (
          <>
            <select aria-label="Per" class="input input-auto" value={known ? masking.hash : 'custom'} onChange={(e) => {
              const v = (e.currentTarget as HTMLSelectElement).value;
              onChange({ ...masking, hash: v === 'custom' ? '{person.id}' : v });
            }}>
              {HASHES.map(([h, l]) => (
                <option key={h} value={h}>
                  {l}
                </option>
              ))}
              {!known ? <option value="custom">custom: {masking.hash}</option> : null}
            </select>
            <select aria-label="Every" class="input input-auto" value={String(masking.ttl)} onChange={(e) => onChange({ ...masking, ttl: Number((e.currentTarget as HTMLSelectElement).value) })}>
              {TTLS.map(([s, l]) => (
                <option key={s} value={s}>
                  every {l}
                </option>
              ))}
              {!TTLS.some(([s]) => s === masking.ttl) ? <option value={masking.ttl}>every {masking.ttl} s</option> : null}
            </select>
            <label class="inline-label">
              or every
              <input
                class="input input-num"
                type="number"
                min={1}
                aria-label="Or every N events"
                value={masking.threshold ?? ''}
                onInput={(e) => {
                  const raw = (e.currentTarget as HTMLInputElement).value;
                  onChange({ ...masking, threshold: raw === '' ? null : Number(raw) });
                }}
              />
              events
            </label>
          </>
        ) : null}
      </div>
      {error ? <div class="field-error" role="alert" data-testid="error-masking">{error}</div> : null}
    </div>
  );
}
