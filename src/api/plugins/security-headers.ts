import type { FastifyInstance } from 'fastify';
import { shared } from './shared.js';

/**
 * Browser-facing protections on every response (no dependency: four headers do not need a library):
 *   - `X-Content-Type-Options: nosniff`: a JSON or SVG body is never re-read as HTML or script;
 *   - `X-Frame-Options: DENY` (and `frame-ancestors 'none'`): no page can frame the UI to click-jack it;
 *   - `Referrer-Policy: no-referrer`: URLs of the UI (project and destination ids) never leak to icons'
 *     hosts or links;
 *   - a Content-Security-Policy: the UI's pages set their own (`uiContentSecurityPolicy`), everything else
 *     (API JSON, icons, capture) gets one that allows nothing, so a response opened directly can run no
 *     script.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The UI's policy. Scripts only from this server (the built bundle; no inline script, no eval). Styles
 * from this server, plus the `<style>` elements that carry this page's nonce: CodeMirror injects its
 * theme that way and is given the nonce (`EditorView.cspNonce`), so no `'unsafe-inline'` is needed.
 * Images may come from https hosts (destination icons) and `data:` (the editor's lint markers).
 * Requests only to this server.
 */
export function uiContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' https: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

export const securityHeaders = shared(async function securityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
    return payload;
  });
}, 'security-headers');
