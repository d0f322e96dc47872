/** Live compile checks against `POST /api/projects/:id/hog/compile/`, debounced and cached. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import type { CompileDiagnostic, CompileResponse } from './types';

const cache = new Map<string, Promise<CompileResponse>>();

export function compile(projectId: number, source: string, kind: 'program' | 'template' | 'expression'): Promise<CompileResponse> {
  const key = `${projectId}\u0000${kind}\u0000${source}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = api<CompileResponse>(`/api/projects/${projectId}/hog/compile/`, { method: 'POST', body: { source, kind } });
    hit.catch(() => cache.delete(key));
    if (cache.size > 500) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

/** Diagnostics of `source`, recompiled `delay` ms after it stops changing. `null` while unknown. */
export function useCompile(projectId: number, source: string | null, kind: 'program' | 'template' | 'expression', delay = 350): CompileDiagnostic[] | null {
  const [diagnostics, setDiagnostics] = useState<CompileDiagnostic[] | null>(null);
  useEffect(() => {
    if (source === null) {
      setDiagnostics([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      compile(projectId, source, kind).then(
        (r) => !cancelled && setDiagnostics(r.diagnostics),
        () => !cancelled && setDiagnostics(null),
      );
    }, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [projectId, source, kind]);
  return diagnostics;
}

/** Every string leaf of a value that contains a `{` (the ones worth compiling as templates). */
export function templateLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('{')) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) templateLeaves(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) templateLeaves(v, out);
  return out;
}

/** Compile every template leaf of an input value; the first problem, as text, or null. */
export function useTemplateCheck(projectId: number, value: unknown, enabled: boolean): string | null {
  const [error, setError] = useState<string | null>(null);
  const leaves = enabled ? templateLeaves(value) : [];
  const signature = leaves.join('\u0001');
  useEffect(() => {
    if (leaves.length === 0) {
      setError(null);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        for (const leaf of leaves) {
          const r = await compile(projectId, leaf, 'template');
          if (r.diagnostics.length > 0) {
            const d = r.diagnostics[0]!;
            const where = leaves.length > 1 ? ` in "${leaf.length > 40 ? `${leaf.slice(0, 40)}…` : leaf}"` : '';
            if (!cancelled) setError(`${d.message} (at ${d.line}:${d.column})${where}`);
            return;
          }
        }
        if (!cancelled) setError(null);
      } catch {
        if (!cancelled) setError(null);
      }
    }, 350);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [projectId, signature]);
  return error;
}

/** Warnings that never block saving: the wrong dialect, a bare path sent literally. */
export function templateWarning(value: unknown): string | null {
  const leaves: string[] = [];
  (function walk(v: unknown) {
    if (typeof v === 'string') leaves.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  })(value);
  for (const s of leaves) {
    if (/\{\{[^}]*\}\}/.test(s)) return 'Sluice templates use single braces: {event.name}, not {{event.name}}.';
    const bare = /(?:^|[\s"'(,])((?:event|person|inputs|groups|project)\.[\w$.]+)/.exec(s.replace(/\{[^}]*\}/g, ''));
    if (bare) return `"${bare[1]}" is outside {…} and will be sent literally. Did you mean {${bare[1]}}?`;
  }
  return null;
}
