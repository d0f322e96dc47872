import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as shared with its parent's context (what `fastify-plugin` does), for the few
 * cross-cutting plugins; everything else stays encapsulated.
 */
export function shared<T extends FastifyPluginAsync<never>>(plugin: T, name: string): T {
  const target = plugin as unknown as Record<symbol | string, unknown>;
  target[Symbol.for('skip-override')] = true;
  target[Symbol.for('fastify.display-name')] = name;
  return plugin;
}
