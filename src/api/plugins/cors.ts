import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for the capture endpoints, which browsers call from the user's own site: any origin may send
 * (the project token is public by design), with credentials, and preflight requests are answered.
 * Encapsulated: registered inside the capture plugin only.
 */
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Content-Type, Content-Encoding, Authorization, X-Requested-With';

function addOriginHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin === undefined) {
    reply.header('access-control-allow-origin', '*');
    return;
  }
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-allow-credentials', 'true');
  reply.header('vary', 'Origin');
}

export function corsHooks(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    addOriginHeaders(request, reply);
  });
}

/** Answers a preflight: 204 with the methods and headers the browser asked about. */
export function preflight(request: FastifyRequest, reply: FastifyReply): void {
  const requested = request.headers['access-control-request-headers'];
  reply
    .header('access-control-allow-methods', ALLOWED_METHODS)
    .header('access-control-allow-headers', typeof requested === 'string' && requested.length > 0 ? requested : DEFAULT_ALLOWED_HEADERS)
    .header('access-control-max-age', '86400')
    .code(204)
    .send();
}
