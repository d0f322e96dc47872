/** The configuration form's inputs, generated from `inputs_schema`: one control per input type. */
import { useRef, useState } from 'preact/hooks';
import { templateWarning, useTemplateCheck } from '../compile';
import { isSecretMarker } from '../draft';
import type { InputEntry, InputSchemaItem } from '../types';
import { CodeEditor } from './editor';
import { Button, Field, Switch } from './ui';

export const TEMPLATE_VARIABLES = [
  'event.name',
  'event.distinct_id',
  'event.properties',
  'event.timestamp',
  'event.url',
  'person.name',
  'person.properties.email',
  'person.url',
  'project.name',
  'source.name',
];

export interface InputProps {
  projectId: number;
  item: InputSchemaItem;
  entry: InputEntry | undefined;
  jsonText: string | undefined;
  onEntry: (entry: InputEntry) => void;
  onJsonText: (text: string) => void;
  /** A client or server error for this input. */
  error: string | null;
  /** The destination was saved before (so a secret may be stored). */
  saved: boolean;
  storedSecret: boolean;
}

function VariableHint({ onInsert }: { onInsert: (v: string) => void }) {
  return (
    <span class="var-hint">
      Templated: use <code>{'{…}'}</code> with{' '}
      {TEMPLATE_VARIABLES.slice(0, 5).map((v) => (
        <button type="button" class="chip chip-var" key={v} onClick={() => onInsert(`{${v}}`)} title={`Insert {${v}}`}>
          {v}
        </button>
      ))}
      <details class="var-more">
        <summary>more</summary>
        {TEMPLATE_VARIABLES.slice(5).map((v) => (
          <button type="button" class="chip chip-var" key={v} onClick={() => onInsert(`{${v}}`)}>
            {v}
          </button>
        ))}
      </details>
    </span>
  );
}

function TextInput(props: { id: string; value: string; onChange: (v: string) => void; type?: string; describedBy?: string; invalid?: boolean; placeholder?: string; templated: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const insert = (text: string) => {
    const el = ref.current;
    const start = el?.selectionStart ?? props.value.length;
    const end = el?.selectionEnd ?? props.value.length;
    const next = props.value.slice(0, start) + text + props.value.slice(end);
    props.onChange(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  return (
    <>
      <input
        ref={ref}
        id={props.id}
        class="input"
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={props.describedBy}
        spellcheck={false}
        onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).value)}
      />
      {props.templated ? <VariableHint onInsert={insert} /> : null}
    </>
  );
}

function DictionaryInput({ id, value, onChange, secret }: { id: string; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; secret: boolean }) {
  // Rows are kept as a list so a half-typed duplicate or empty key does not lose data.
  const [rows, setRows] = useState<[string, string][]>(() => Object.entries(value ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const commit = (next: [string, string][]) => {
    setRows(next);
    const out: Record<string, unknown> = {};
    for (const [k, v] of next) if (k.trim() !== '') out[k] = v;
    onChange(out);
  };
  return (
    <div class="dict" id={id} role="group">
      {rows.length === 0 ? <div class="muted small">No entries.</div> : null}
      {rows.map(([k, v], i) => (
        <div class="dict-row" key={i}>
          <input class="input" aria-label={`Key ${i + 1}`} value={k} placeholder="Key" onInput={(e) => commit(rows.map((r, j) => (j === i ? [(e.currentTarget as HTMLInputElement).value, r[1]] : r)))} />
          <input
            class="input"
            aria-label={`Value ${i + 1}`}
            type={secret ? 'password' : 'text'}
            autoComplete="off"
            value={v}
            placeholder="Value (templated)"
            onInput={(e) => commit(rows.map((r, j) => (j === i ? [r[0], (e.currentTarget as HTMLInputElement).value] : r)))}
          />
          <Button small variant="ghost" aria-label={`Remove ${k || `row ${i + 1}`}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>
            ✕
          </Button>
        </div>
      ))}
      {rows.some(([k]) => /^authorization$/i.test(k.trim())) && !secret ? (
        <div class="field-warning">This header carries credentials: mark the input as secret in the inputs schema so it is encrypted and never shown again.</div>
      ) : null}
      <Button small onClick={() => commit([...rows, ['', '']])}>
        + Add entry
      </Button>
    </div>
  );
}

export function InputControl(props: InputProps) {
  const { item, entry } = props;
  const id = `input-${item.key}`;
  const field = `inputs.${item.key}`;
  const [replacing, setReplacing] = useState(false);
  const value = entry && !isSecretMarker(entry) ? entry.value : undefined;
  const templated = item.templating !== false && !item.secret && ['string', 'email', 'dictionary', 'json'].includes(item.type);
  const jsonValue = (() => {
    if (item.type !== 'json') return value;
    try {
      return props.jsonText ? JSON.parse(props.jsonText) : null;
    } catch {
      return null;
    }
  })();
  const liveError = useTemplateCheck(props.projectId, jsonValue, templated);
  const warning = templated ? templateWarning(jsonValue) : null;
  const error = props.error ?? liveError;
  const label = item.label ?? item.key;
  const describedBy = error ? `${id}-error` : undefined;

  // Secrets: write-only. A stored secret is never shown, only replaced.
  if (item.secret && isSecretMarker(entry) && !replacing) {
    return (
      <Field id={id} field={field} label={label} required={item.required} hint={item.description} error={props.error}>
        <div class="secret-stored" data-testid={`secret-${item.key}`}>
          <span class="secret-dots" aria-hidden="true">
            ••••
          </span>
          <span>Secret stored</span>
          <Button small aria-label={`Replace ${label}`} onClick={() => {
            setReplacing(true);
            props.onEntry({ value: item.type === 'dictionary' ? {} : '' });
          }}>
            Replace
          </Button>
        </div>
      </Field>
    );
  }
  const cancelReplace = props.storedSecret && item.secret ? (
    <Button small variant="ghost" onClick={() => {
      setReplacing(false);
      props.onEntry({ secret: true });
    }}>
      Cancel
    </Button>
  ) : null;

  const set = (v: unknown) => props.onEntry({ value: v });
  let control;
  switch (item.type) {
    case 'boolean':
      return (
        <div class="field" data-field={field}>
          <Switch id={id} checked={value === true} onChange={set} label={label} />
          {item.description ? <div class="field-hint">{item.description}</div> : null}
          {props.error ? <div class="field-error" role="alert" data-testid={`error-${field}`}>{props.error}</div> : null}
        </div>
      );
    case 'number':
      control = (
        <input
          id={id}
          class="input"
          type="number"
          value={value === undefined || value === null ? '' : String(value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          onInput={(e) => {
            const raw = (e.currentTarget as HTMLInputElement).value;
            set(raw === '' ? null : Number(raw));
          }}
        />
      );
      break;
    case 'choice':
      control = (
        <select id={id} class="input" value={value === undefined || value === null ? '' : String(value)} onChange={(e) => set((e.currentTarget as HTMLSelectElement).value)} aria-describedby={describedBy}>
          {!item.required || value === undefined ? <option value="">—</option> : null}
          {(item.choices ?? []).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'dictionary':
      control = <DictionaryInput id={id} value={(value as Record<string, unknown>) ?? {}} onChange={set} secret={item.secret === true} />;
      break;
    case 'json':
      control = (
        <CodeEditor
          id={id}
          language="json"
          value={props.jsonText ?? ''}
          onChange={props.onJsonText}
          ariaLabel={label}
          minHeight={80}
          maxHeight={320}
          testId={`json-${item.key}`}
        />
      );
      break;
    case 'integration':
    case 'integration_field':
    case 'native_email':
      control = <div class="muted small">This input needs an integration account, which Sluice does not support yet. Configure it through the API.</div>;
      break;
    default:
      control = item.secret ? (
        <input
          id={id}
          class="input"
          type="password"
          autoComplete="new-password"
          value={typeof value === 'string' ? value : ''}
          placeholder={props.storedSecret ? 'New value (the stored one is kept until you save)' : ''}
          aria-describedby={describedBy}
          onInput={(e) => set((e.currentTarget as HTMLInputElement).value)}
        />
      ) : (
        <TextInput
          id={id}
          value={typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value)}
          onChange={set}
          type={item.type === 'email' ? 'text' : 'text'}
          describedBy={describedBy}
          invalid={!!error}
          templated={templated}
          placeholder={item.type === 'email' ? 'name@example.com or {person.properties.email}' : undefined}
        />
      );
  }
  return (
    <Field
      id={id}
      field={field}
      label={label}
      required={item.required}
      hint={item.description}
      error={error}
      warning={warning}
      aside={
        <span class="field-aside">
          {item.secret ? <span class="tag">secret</span> : null}
          {templated && item.type !== 'string' && item.type !== 'email' ? <span class="tag tag-soft">templated</span> : null}
          {cancelReplace}
        </span>
      }
    >
      {control}
    </Field>
  );
}
