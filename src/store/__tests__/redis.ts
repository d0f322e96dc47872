/**
 * Whether the Redis tests run here (`SLUICE_TEST_REDIS_URL`, default redis://127.0.0.1:6379): skipped,
 * visibly, when Redis does not answer, except with `CI=true`, where that fails the run.
 */
import { Redis } from 'ioredis';

export const REDIS_TEST_URL = process.env.SLUICE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisSkipReason(): Promise<string | null> {
  const client = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  client.on('error', () => {});
  let error: string | null = null;
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    client.disconnect();
  }
  if (error === null) return null;
  const reason = `Redis is not reachable at ${REDIS_TEST_URL} (${error})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; the Redis tests are mandatory with CI=true`);
  return `${reason}: Redis tests skipped (set SLUICE_TEST_REDIS_URL to run them)`;
}
