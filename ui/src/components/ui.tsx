/** Small shared pieces: switch, field wrapper, badges, banners, empty states, skeletons. */
import type { ComponentChildren, JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Destination, HealthState } from '../types';

export function Switch(props: { id?: string; checked: boolean; onChange: (checked: boolean) => void; label: ComponentChildren; disabled?: boolean; testId?: string }) {
  return (
    <label class="switch" data-testid={props.testId}>
      <input id={props.id} type="checkbox" role="switch" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span class="switch-track" aria-hidden="true">
        <span class="switch-thumb" />
      </span>
      <span class="switch-label">{props.label}</span>
    </label>
  );
}

export function Field(props: {
  id: string;
  label: ComponentChildren;
  required?: boolean;
  hint?: ComponentChildren;
  error?: string | null;
  warning?: string | null;
  children: ComponentChildren;
  aside?: ComponentChildren;
  field?: string;
}) {
  return (
    <div class={`field${props.error ? ' has-error' : ''}`} data-field={props.field}>
      <div class="field-head">
        <label for={props.id} class="field-label">
          {props.label}
          {props.required ? <span class="req" aria-label="required"> *</span> : <span class="optional"> optional</span>}
        </label>
        {props.aside}
      </div>
      {props.children}
      {props.hint ? <div class="field-hint">{props.hint}</div> : null}
      {props.warning && !props.error ? <div class="field-warning">{props.warning}</div> : null}
      {props.error ? (
        <div class="field-error" id={`${props.id}-error`} role="alert" data-testid={`error-${props.field ?? props.id}`}>
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

export type HealthLabel = { label: string; tone: 'ok' | 'warn' | 'bad' | 'muted'; explain: string };

/** Health state as shown: paused by the user is distinct from auto-disabled. */
export function healthOf(d: Pick<Destination, 'enabled' | 'status'>): HealthLabel & { state: HealthState | 'paused' } {
  const s = d.status;
  const until = s?.until ? new Date(s.until) : null;
  if (s?.state === 'disabled_permanently')
    return { state: s.state, label: 'Auto-disabled', tone: 'bad', explain: `Disabled after repeated failures${s.reason ? `: ${s.reason}` : ''}. Fix it, test it, then re-enable.` };
  if (s?.state === 'disabled_temporarily')
    return {
      state: s.state,
      label: until ? `Disabled until ${until.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : 'Disabled for now',
      tone: 'bad',
      explain: `Temporarily disabled${s.reason ? `: ${s.reason}` : ''}. It re-enables itself${until ? ` at ${until.toLocaleString()}` : ''}; events arriving meanwhile are kept for replay.`,
    };
  if (!d.enabled) return { state: 'paused', label: 'Paused', tone: 'muted', explain: 'Paused by a user: events are not sent.' };
  if (s?.state === 'degraded')
    return { state: s.state, label: 'Degraded', tone: 'warn', explain: `Still running at lower priority${s.reason ? `: ${s.reason}` : ''}.` };
  return { state: 'healthy', label: 'Active', tone: 'ok', explain: 'Enabled and healthy.' };
}

export function HealthBadge({ destination }: { destination: Pick<Destination, 'enabled' | 'status'> }) {
  const h = healthOf(destination);
  return (
    <span class={`badge badge-${h.tone}`} title={h.explain} data-testid="health-badge" data-state={h.state}>
      <span class="dot" aria-hidden="true" />
      {h.label}
    </span>
  );
}

export function Banner(props: { tone: 'info' | 'warn' | 'bad' | 'ok'; title?: ComponentChildren; children?: ComponentChildren; actions?: ComponentChildren; testId?: string }) {
  return (
    <div class={`banner banner-${props.tone}`} role={props.tone === 'bad' ? 'alert' : 'status'} data-testid={props.testId}>
      <div class="banner-body">
        {props.title ? <strong>{props.title}</strong> : null}
        {props.children ? <div>{props.children}</div> : null}
      </div>
      {props.actions ? <div class="banner-actions">{props.actions}</div> : null}
    </div>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="empty">
      <div class="empty-title">{props.title}</div>
      {props.children ? <div class="empty-body">{props.children}</div> : null}
      {props.action ? <div class="empty-action">{props.action}</div> : null}
    </div>
  );
}

export function Skeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div class="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} class="skeleton-row" />
      ))}
    </div>
  );
}

export function Icon({ src, name, size = 32 }: { src: string | null | undefined; name: string; size?: number }) {
  const fallback = `/static/icons/${(name || 'destination').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'destination'}.svg`;
  return <img class="icon" src={src || fallback} alt="" width={size} height={size} loading="lazy" />;
}

export function Button(props: JSX.HTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'ghost' | 'danger'; small?: boolean; type?: 'button' | 'submit'; disabled?: boolean }) {
  const { variant = 'secondary', small, class: cls, type = 'button', ...rest } = props;
  return <button type={type} class={`btn btn-${variant}${small ? ' btn-sm' : ''}${cls ? ` ${String(cls)}` : ''}`} {...rest} />;
}

export function timeAgo(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/**
 * A read-only value with a Copy button. The clipboard API can be missing (plain-http hosts other than
 * localhost), so the value is also selected for Ctrl+C when it cannot be written.
 */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('no');
    }
  }
  return (
    <div class="copy-field" data-testid={testId}>
      <input ref={input} class="input mono copy-input" readOnly value={value} aria-label={label} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
      <Button small onClick={() => void copy()} aria-label={`Copy ${label}`} data-testid={testId ? `${testId}-copy` : undefined}>
        {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Press Ctrl+C' : 'Copy'}
      </Button>
    </div>
  );
}
