/** Sign in with a personal API key; a wrong key shows the API's own error. */
import { useState } from 'preact/hooks';
import { api, errorMessage, storeKey, storeProjectId } from '../api';
import type { List, Project } from '../types';

export function SignIn({ onSignedIn }: { onSignedIn: (projects: Project[]) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div class="signin">
      <form
        class="signin-card card"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!key.trim()) {
            setError('Enter your personal API key.');
            return;
          }
          setBusy(true);
          setError(null);
          try {
            const r = await api<List<Project>>('/api/projects/', { key: key.trim() });
            storeKey(key.trim());
            if (r.results[0]) storeProjectId(r.results[0].id);
            onSignedIn(r.results);
          } catch (err) {
            setError(errorMessage(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <div class="brand brand-lg">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <span>Sluice</span>
        </div>
        <h1>Sign in</h1>
        <p class="muted">Use a personal API key. Sluice printed one the first time it started (or set <code>SLUICE_BOOTSTRAP_API_KEY</code>).</p>
        <label class="field-label" for="api-key">
          Personal API key
        </label>
        <input
          id="api-key"
          class={`input${error ? ' invalid' : ''}`}
          type="password"
          autoComplete="current-password"
          placeholder="phx_…"
          value={key}
          autoFocus
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'api-key-error' : undefined}
          onInput={(e) => {
            setKey((e.currentTarget as HTMLInputElement).value);
            setError(null);
          }}
        />
        {error ? (
          <div class="field-error" id="api-key-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        ) : null}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">The key stays in this browser (local storage) and is sent only to this Sluice server.</p>
      </form>
    </div>
  );
}
