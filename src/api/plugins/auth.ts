import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKey, Store } from '../../store/store.js';
import { ApiError } from '../errors.js';
import { hashApiKey } from '../keys.js';
import { shared } from './shared.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | null;
  }
}

/** Authenticates every request of the context it is registered in with a personal API key (Bearer). */
export const apiKeyAuth = shared(async function apiKeyAuth(app: FastifyInstance, opts: { store: Store }) {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new ApiError('SLUICE_ERR_API_UNAUTHENTICATED', 'authentication credentials were not provided: send Authorization: Bearer <personal API key>');
    }
    const key = await opts.store.findApiKey(hashApiKey(match[1]!));
    if (key === null) throw new ApiError('SLUICE_ERR_API_INVALID_KEY', 'personal API key is not valid');
    request.apiKey = key;
  });
}, 'sluice-api-key-auth');
