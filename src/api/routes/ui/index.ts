/**
 * The web UI: the Vite build in `dist/ui/` served at `/`, with an SPA fallback for the UI's own paths
 * (`/`, `/signin`, `/projects/…`) so deep links work. Only those paths fall back to `index.html`:
 * `/api/`, capture endpoints and `/_health` are never shadowed. Also serves `/static/icons/<slug>.svg`,
 * a generated letter avatar per template, in place of vendor logos.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { uiContentSecurityPolicy } from '../../plugins/security-headers.js';
import { ref } from '../../schemas/common.js';
import { ErrorBody } from '../../schemas/errors.js';

export interface UiRoutesOptions {
  /** The built UI (with `index.html` and `assets/`). Default: `dist/ui/` of this package. */
  uiDir?: string;
}

/** Finds `dist/ui/` whether this module runs from `dist/src/…` (built) or `src/…` (tests, via vitest). */
export function defaultUiDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, '../../../..');
  const candidates = [join(up, 'dist', 'ui'), join(up, 'ui')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? candidates[0]!;
}

const PALETTE = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#dc2626', '#db2777', '#7c3aed', '#2563eb', '#0d9488', '#ea580c', '#65a30d', '#9333ea'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A rounded square with the slug's initials, its colour chosen by a hash of the slug. */
export function letterAvatarSvg(slug: string): string {
  const hash = createHash('sha256').update(slug).digest();
  const colour = PALETTE[hash[0]! % PALETTE.length]!;
  const words = slug.split(/[-_\s.]+/).filter(Boolean);
  const letters = (words.length > 1 ? words[0]![0]! + words[1]![0]! : (words[0] ?? '?').slice(0, 1)).toUpperCase();
  const size = letters.length > 1 ? 26 : 32;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="${escapeXml(slug)}">` +
    `<rect width="64" height="64" rx="14" fill="${colour}"/>` +
    `<text x="32" y="33" dominant-baseline="central" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" ` +
    `font-size="${size}" font-weight="600" fill="#fff">${escapeXml(letters)}</text></svg>`
  );
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Sluice</title>
<style nonce="__SLUICE_CSP_NONCE__">body{font-family:system-ui;margin:4rem auto;max-width:36rem;color:#222}</style>
<body><h1>Sluice is running</h1><p>The web UI has not been built. Run <code>npm run build</code> (or <code>npm run build:ui</code>) and reload.</p>
<p>The management API is at <a href="/api/schema/">/api/schema/</a>.</p></body>`;

/** What the UI build (`html.cspNonce` in ui/vite.config.ts) and NOT_BUILT write where each page's nonce goes. */
const NONCE_PLACEHOLDER = /__SLUICE_CSP_NONCE__/g;

export async function uiRoutes(app: FastifyInstance, opts: UiRoutesOptions): Promise<void> {
  const uiDir = opts.uiDir ?? defaultUiDir();
  const indexPath = join(uiDir, 'index.html');
  const built = existsSync(indexPath);

  if (built && existsSync(join(uiDir, 'assets'))) {
    // Hashed file names: cache forever.
    await app.register(fastifyStatic, {
      root: join(uiDir, 'assets'),
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      list: false,
    });
  }

  // A fresh nonce per page: the policy allows only the style elements that carry it (see security-headers.ts).
  const sendIndex = (reply: FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    reply.header('content-security-policy', uiContentSecurityPolicy(nonce)).type('text/html; charset=utf-8');
    if (!built) return reply.send(NOT_BUILT.replace(NONCE_PLACEHOLDER, nonce));
    // Read per request so a rebuilt UI shows without a restart; the file is small.
    return reply.header('cache-control', 'no-cache').send(readFileSync(indexPath, 'utf8').replace(NONCE_PLACEHOLDER, nonce));
  };

  // Not API routes, so not in the OpenAPI document; their answers are still declared.
  const text = (type: string, description: string) => ({ content: { [type]: { schema: { type: 'string', description } } } });
  const hide = { schema: { hide: true, response: { 200: text('text/html', 'The web UI') } } };
  const svg = { schema: { hide: true, response: { 200: text('image/svg+xml', 'A letter avatar'), 404: ref(ErrorBody) } } };
  app.get('/', hide, async (_request, reply) => sendIndex(reply));
  app.get('/signin', hide, async (_request, reply) => sendIndex(reply));
  app.get('/projects', hide, async (_request, reply) => sendIndex(reply));
  app.get('/projects/*', hide, async (_request, reply) => sendIndex(reply));

  app.get('/favicon.svg', svg, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(letterAvatarSvg('sluice')),
  );

  app.get<{ Params: { slug: string } }>('/static/icons/:slug', svg, async (request, reply) => {
    const slug = request.params.slug.replace(/\.svg$/i, '');
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(slug)) return reply.code(404).send({ type: 'invalid_request', code: 'not_found', detail: 'no such icon', attr: null });
    return reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(letterAvatarSvg(slug));
  });
}
