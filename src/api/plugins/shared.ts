import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as shared with its parent's context (what `fastify-plugin` does), for the few
 * cross-cutting plugins; everything else stays encapsulated.
 */
export function shared<T extends FastifyPluginAsync<never>>(plugin: T, name: string): T {
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: name });
}
