/**
 * {@link SharedCounters} in Redis (`SLUICE_REDIS_URL`): each counter is a hash `{v, e}` (value, expiry in
 * the caller's clock, like the SQL tables) with a Redis TTL of `e - now`, so Redis drops it by itself.
 * One Lua script does a whole batch of increments atomically in one round trip.
 */
import { Redis } from 'ioredis';
import { checkedIncrements, renewOf } from '../counter-batch.js';
import type { CounterIncrement, CounterValue, SharedCounters } from '../store.js';

// KEYS: the counters. ARGV[1]: now; then per key: by, ttl, renew. Returns {value, expiresAt} per key.
const INCREMENT_MANY = `
local now = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local by = tonumber(ARGV[3 * i - 1])
  local ttl = tonumber(ARGV[3 * i])
  local renew = tonumber(ARGV[3 * i + 1])
  local cur = redis.call('HMGET', KEYS[i], 'v', 'e')
  local v = tonumber(cur[1])
  local e = tonumber(cur[2])
  if v == nil or e == nil or e <= now then
    v = by
    e = now + ttl
  else
    local old = v
    v = old + by
    if renew > 0 and math.floor((v - 1) / renew) > math.floor((old - 1) / renew) then e = now + ttl end
  end
  redis.call('HSET', KEYS[i], 'v', string.format('%d', v), 'e', string.format('%d', e))
  redis.call('PEXPIRE', KEYS[i], e - now)
  out[i] = {v, e}
end
return out
`;

export interface RedisCountersOptions {
  url: string;
  /** Prepended to every key. Default `sluice:counter:`. */
  prefix?: string;
}

type WithScript = Redis & { sluiceIncrementMany(numKeys: number, ...args: (string | number)[]): Promise<[number, number][]> };

export class RedisCounters implements SharedCounters {
  private constructor(
    private readonly client: WithScript,
    private readonly prefix: string,
  ) {}

  /** Connects (fails at once when Redis does not answer). */
  static async open(options: RedisCountersOptions): Promise<RedisCounters> {
    const client = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    client.defineCommand('sluiceIncrementMany', { lua: INCREMENT_MANY });
    client.on('error', () => {}); // reported by the failing commands; without a listener ioredis logs each one
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw new Error(`Redis at ${redactUrl(options.url)} did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new RedisCounters(client as WithScript, options.prefix ?? 'sluice:counter:');
  }

  async incrementMany(increments: readonly CounterIncrement[], now: number): Promise<CounterValue[]> {
    if (increments.length === 0) return [];
    checkedIncrements(increments);
    const args: (string | number)[] = increments.map((inc) => this.prefix + inc.key);
    args.push(now);
    for (const inc of increments) args.push(inc.by, inc.ttlMs, renewOf(inc));
    const rows = await this.client.sluiceIncrementMany(increments.length, ...args);
    return rows.map(([value, expiresAt]) => ({ value: Number(value), expiresAt: Number(expiresAt) }));
  }

  async increment(key: string, by: number, ttlMs: number, now: number): Promise<CounterValue> {
    return (await this.incrementMany([{ key, by, ttlMs }], now))[0]!;
  }

  async set(key: string, value: number, ttlMs: number, now: number): Promise<void> {
    await this.client.multi().hset(this.prefix + key, 'v', String(value), 'e', String(now + ttlMs)).pexpire(this.prefix + key, ttlMs).exec();
  }

  async get(key: string, now: number): Promise<CounterValue | null> {
    const [v, e] = await this.client.hmget(this.prefix + key, 'v', 'e');
    if (v === null || v === undefined || e === null || e === undefined || Number(e) <= now) return null;
    return { value: Number(v), expiresAt: Number(e) };
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  /** Redis drops expired counters itself (their TTL): nothing to remove here. */
  async sweep(_now: number): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}
