/**
 * The shared counters contract on every backend: SQLite, Postgres (skipped visibly when unreachable,
 * mandatory with CI=true) and Redis (the same).
 */
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { openStore } from '../index.js';
import { RedisCounters } from '../redis/redis-counters.js';
import { createTestSchema, postgresSkipReason } from './backends.js';
import { countersContract } from './counters.contract.js';
import { REDIS_TEST_URL, redisSkipReason } from './redis.js';

countersContract('SQLite', {
  async open() {
    const store = await openStore({ dataDir: ':memory:' });
    return { counters: store.counters, close: () => store.close() };
  },
});

const postgresSkip = await postgresSkipReason();
if (postgresSkip === null) {
  countersContract('Postgres', {
    async open() {
      const schema = await createTestSchema();
      const store = await openStore({ dataDir: ':memory:', databaseUrl: schema.url, poolSize: 4 });
      return {
        counters: store.counters,
        async close() {
          await store.close();
          await schema.drop();
        },
      };
    },
  });
} else {
  console.warn(`[sluice] ${postgresSkip}`);
  describe('Postgres shared counters', () => it.skip(postgresSkip, () => {}));
}

const redisSkip = await redisSkipReason();
if (redisSkip === null) {
  countersContract('Redis', {
    async open() {
      const counters = await RedisCounters.open({ url: REDIS_TEST_URL, prefix: `sluice_test:${randomBytes(6).toString('hex')}:` });
      return { counters, close: () => counters.close() };
    },
  });
  countersContract('Redis (through openStore)', {
    async open() {
      const store = await openStore({ dataDir: ':memory:', redisUrl: REDIS_TEST_URL, redisPrefix: `sluice_test:${randomBytes(6).toString('hex')}:` });
      return { counters: store.counters, close: () => store.close() };
    },
  });
} else {
  console.warn(`[sluice] ${redisSkip}`);
  describe('Redis shared counters', () => it.skip(redisSkip, () => {}));
}
