/** A tiny history router: the location as state, `navigate`, `<Link>` and query-string helpers. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Loc {
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();

function current(): Loc {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

/** Hooks registered here may veto a navigation (unsaved changes). */
let guard: ((to: string) => boolean) | null = null;
export function setNavigationGuard(fn: ((to: string) => boolean) | null): void {
  guard = fn;
}

export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}): void {
  const target = new URL(to, window.location.origin);
  const same = target.pathname + target.search === window.location.pathname + window.location.search;
  if (same) return;
  if (!options.force && guard && !guard(target.pathname)) return;
  if (options.replace) history.replaceState(null, '', target.pathname + target.search + target.hash);
  else history.pushState(null, '', target.pathname + target.search + target.hash);
  if (!options.replace) window.scrollTo(0, 0);
  for (const l of listeners) l();
}

/** Rewrites some query parameters, keeping the rest (filters kept in the URL). */
export function setQuery(changes: Record<string, string | null | undefined>, replace = true): void {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const qs = params.toString();
  navigate(window.location.pathname + (qs ? `?${qs}` : ''), { replace, force: true });
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return loc;
}

/** Matches `/projects/:pid/destinations/:id` style patterns; returns the named parts or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    if (part.startsWith(':')) out[part.slice(1)] = decodeURIComponent(s[i]!);
    else if (part !== s[i]) return null;
  }
  return out;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { href: string; children?: ComponentChildren };

export function Link({ href, children, onClick, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (onClick) (onClick as (e: MouseEvent) => void)(e as unknown as MouseEvent);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
