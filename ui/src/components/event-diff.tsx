/**
 * A transformation's effect on an event, side by side: one row per field (properties flattened to
 * paths, `properties.$set.email`), its value before and after, marked added, removed or changed.
 */
export type Change = 'same' | 'changed' | 'added' | 'removed';

export interface DiffRow {
  path: string;
  before: string | undefined;
  after: string | undefined;
  change: Change;
}

const SHOWN_FIELDS = ['event', 'distinct_id', 'uuid', 'timestamp', 'elements_chain'];

/** Leaves of a value by path; arrays and empty objects are leaves (shown as JSON). */
function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) flatten(child, path ? `${path}.${key}` : key, out);
  } else out.set(path, JSON.stringify(value));
}

function fieldsOf(event: Record<string, unknown> | null): Map<string, string> {
  const out = new Map<string, string>();
  if (event === null) return out;
  for (const field of SHOWN_FIELDS) if (event[field] !== undefined) out.set(field, JSON.stringify(event[field]));
  flatten(event.properties ?? {}, 'properties', out);
  return out;
}

export function diffEvents(before: Record<string, unknown>, after: Record<string, unknown> | null): DiffRow[] {
  const a = fieldsOf(before);
  const b = fieldsOf(after);
  const paths = [...a.keys(), ...[...b.keys()].filter((p) => !a.has(p))];
  return paths.map((path) => {
    const x = a.get(path);
    const y = b.get(path);
    const change: Change = x === undefined ? 'added' : y === undefined ? 'removed' : x === y ? 'same' : 'changed';
    return { path, before: x, after: y, change };
  });
}

const LABEL: Record<Change, string> = { same: '', changed: 'changed', added: 'added', removed: 'removed' };

export function EventDiff({ before, after, dropped }: { before: Record<string, unknown>; after: Record<string, unknown> | null; dropped: boolean }) {
  const rows = diffEvents(before, dropped ? null : after);
  const changed = rows.filter((r) => r.change !== 'same').length;
  return (
    <div class="event-diff" data-testid="event-diff">
      <p class="small" data-testid="diff-summary">
        {dropped ? 'The event is dropped: nothing after this point would see it.' : changed === 0 ? 'The event is unchanged.' : `${changed} field${changed === 1 ? '' : 's'} changed.`}
      </p>
      <div class="table-wrap">
        <table class="table diff-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.path} class={`diff-${r.change}`} data-testid="diff-row" data-path={r.path} data-change={r.change}>
                <th scope="row" class="mono">
                  {r.path}
                  {r.change !== 'same' ? <span class="sr-only"> ({LABEL[r.change]})</span> : null}
                </th>
                <td class="mono diff-before">{r.before ?? '—'}</td>
                <td class="mono diff-after">{dropped ? '(dropped)' : (r.after ?? '—')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
