import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT } from '../../test/helpers/cli.js';
import { startSluice } from '../cli/start.js';
import { ConfigError, loadConfig, VARIABLES, type SluiceConfig } from '../config.js';
import { CONFIGURATION_DOC_PATH, renderConfigurationDoc } from '../config-docs.js';
import { generateEncryptionKey, keyIdOf } from '../destinations/secrets.js';

const TWO_CORES = { cores: 2 };
const PG = 'postgres://sluice:hunter2@db.internal:5432/sluice';

/** The error `loadConfig` throws for `env`, as its list of problems. */
function problemsOf(env: Record<string, string | undefined>, cli = {}): readonly string[] {
  try {
    loadConfig(env, cli, TWO_CORES);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('gives every setting its default when the environment is empty', () => {
    const { config, warnings } = loadConfig({}, {}, TWO_CORES);
    expect(warnings).toEqual([]);
    expect(config).toEqual<SluiceConfig>({
      role: 'all',
      server: { port: 8040, host: '0.0.0.0', siteUrl: null, trustProxy: false },
      store: { dataDir: './data', databaseUrl: null, poolSize: 6, redisUrl: null, sqliteSynchronous: 'full' },
      pipeline: { partitions: 1, stageThreads: 0 },
      runtime: {
        deliveryThreads: 1,
        deliveryThreadMemoryMb: 512,
        invocationLockMs: 30_000,
        concurrency: null,
        destinationConcurrency: null,
        maxFetches: 2,
        fetchAllowHosts: [],
      },
      retention: { invocationsMs: 24 * 3_600_000, logsMs: 7 * 86_400_000, metricsMs: 90 * 86_400_000 },
      metrics: { token: null, port: null, host: '127.0.0.1' },
      secrets: { encryptionKeys: null },
      bootstrap: { projectToken: null, apiKey: null },
      logging: { level: 'info' },
    });
  });

  it('chooses defaults from the rest: partitions by store, delivery threads by cores and store', () => {
    expect(loadConfig({ SLUICE_DATABASE_URL: PG }, {}, TWO_CORES).config.pipeline.partitions).toBe(16);
    expect(loadConfig({}, {}, { cores: 1 }).config.runtime.deliveryThreads).toBe(0);
    expect(loadConfig({ SLUICE_DATA_DIR: ':memory:' }, {}, TWO_CORES).config.runtime.deliveryThreads).toBe(0);
    expect(loadConfig({ SLUICE_DATA_DIR: ':memory:', SLUICE_DATABASE_URL: PG }, {}, TWO_CORES).config.runtime.deliveryThreads).toBe(1);
    // One core for the main thread, the others for delivery, at most 8.
    expect(loadConfig({}, {}, { cores: 4 }).config.runtime.deliveryThreads).toBe(3);
    expect(loadConfig({}, {}, { cores: 32 }).config.runtime.deliveryThreads).toBe(8);
  });

  it('chooses stage threads by cores and partitions on Postgres, none on SQLite', () => {
    const stageThreads = (env: Record<string, string>, cores: number) => loadConfig(env, {}, { cores }).config.pipeline.stageThreads;
    expect(stageThreads({ SLUICE_DATABASE_URL: PG }, 8)).toBe(7);
    expect(stageThreads({ SLUICE_DATABASE_URL: PG }, 2)).toBe(1);
    expect(stageThreads({ SLUICE_DATABASE_URL: PG }, 1)).toBe(0);
    expect(stageThreads({ SLUICE_DATABASE_URL: PG, SLUICE_PARTITIONS: '4' }, 16)).toBe(4);
    expect(stageThreads({ SLUICE_DATABASE_URL: PG, SLUICE_STAGE_THREADS: '0' }, 8)).toBe(0);
    expect(stageThreads({}, 8)).toBe(0);
    const sqlite = loadConfig({ SLUICE_STAGE_THREADS: '2' }, {}, { cores: 8 });
    expect(sqlite.config.pipeline.stageThreads).toBe(0);
    expect(sqlite.warnings).toEqual([expect.stringContaining('SLUICE_STAGE_THREADS has no effect without SLUICE_DATABASE_URL')]);
  });

  it('treats blank values as unset', () => {
    const { config } = loadConfig({ SLUICE_PORT: '  ', SLUICE_MAX_FETCHES: '', SLUICE_DATABASE_URL: ' ' }, {}, TWO_CORES);
    expect(config.server.port).toBe(8040);
    expect(config.runtime.maxFetches).toBe(2);
    expect(config.store.databaseUrl).toBeNull();
  });

  it('parses every variable', () => {
    const keys = [generateEncryptionKey(), generateEncryptionKey()];
    const env = {
      SLUICE_ROLE: 'worker',
      SLUICE_PORT: '9000',
      SLUICE_HOST: '127.0.0.1',
      SLUICE_SITE_URL: 'https://sluice.example.com/',
      SLUICE_TRUST_PROXY: '10.0.0.0/8, loopback',
      SLUICE_DATA_DIR: '/var/lib/sluice',
      SLUICE_DATABASE_URL: ` ${PG} `,
      SLUICE_DATABASE_POOL_SIZE: '12',
      SLUICE_REDIS_URL: 'rediss://:pw@cache:6379/2',
      SLUICE_SQLITE_SYNCHRONOUS: 'normal',
      SLUICE_PARTITIONS: '32',
      SLUICE_STAGE_THREADS: '3',
      SLUICE_DELIVERY_THREADS: '4',
      SLUICE_DELIVERY_THREAD_MEMORY_MB: '256',
      SLUICE_INVOCATION_LOCK_MS: '10000',
      SLUICE_WORKER_CONCURRENCY: '500',
      SLUICE_DESTINATION_CONCURRENCY: '120',
      SLUICE_MAX_FETCHES: '5',
      SLUICE_FETCH_ALLOW_HOSTS: 'hooks.internal, 10.1.0.0/16,',
      SLUICE_RETENTION_INVOCATIONS_HOURS: '1.5',
      SLUICE_RETENTION_LOGS_DAYS: '3',
      SLUICE_RETENTION_METRICS_DAYS: '30',
      SLUICE_METRICS_TOKEN: 'metrics-token-0123456789',
      SLUICE_METRICS_PORT: '9464',
      SLUICE_METRICS_HOST: '0.0.0.0',
      SLUICE_ENCRYPTION_KEYS: keys.join(','),
      SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_chosen',
      SLUICE_BOOTSTRAP_API_KEY: 'phx_chosen',
      SLUICE_LOG_LEVEL: 'debug',
    };
    // The test would miss a variable added later without a case here.
    expect(Object.keys(env).sort()).toEqual(Object.keys(VARIABLES).sort());
    const { config, warnings } = loadConfig(env, {}, TWO_CORES);
    expect(warnings).toEqual(['SLUICE_SQLITE_SYNCHRONOUS has no effect with SLUICE_DATABASE_URL (Postgres)']);
    const { secrets, ...rest } = config;
    expect(secrets.encryptionKeys?.map(keyIdOf)).toEqual(keys.map((k) => keyIdOf(Buffer.from(k, 'base64'))));
    expect(rest).toEqual({
      role: 'worker',
      server: { port: 9000, host: '127.0.0.1', siteUrl: 'https://sluice.example.com', trustProxy: ['10.0.0.0/8', 'loopback'] },
      store: { dataDir: '/var/lib/sluice', databaseUrl: PG, poolSize: 12, redisUrl: 'rediss://:pw@cache:6379/2', sqliteSynchronous: 'normal' },
      pipeline: { partitions: 32, stageThreads: 3 },
      runtime: {
        deliveryThreads: 4,
        deliveryThreadMemoryMb: 256,
        invocationLockMs: 10_000,
        concurrency: 500,
        destinationConcurrency: 120,
        maxFetches: 5,
        fetchAllowHosts: ['hooks.internal', '10.1.0.0/16'],
      },
      retention: { invocationsMs: 1.5 * 3_600_000, logsMs: 3 * 86_400_000, metricsMs: 30 * 86_400_000 },
      metrics: { token: 'metrics-token-0123456789', port: 9464, host: '0.0.0.0' },
      bootstrap: { projectToken: 'phc_chosen', apiKey: 'phx_chosen' },
      logging: { level: 'debug' },
    });
  });

  it('reports several bad variables together, each with what is accepted', () => {
    const problems = problemsOf({
      SLUICE_PORT: 'abc',
      SLUICE_PARTITIONS: '0',
      SLUICE_LOG_LEVEL: 'loud',
      SLUICE_DELIVERY_THREADS: '-1',
      SLUICE_MAX_FETCHES: '11',
      SLUICE_WORKER_CONCURRENCY: '0',
      SLUICE_TRUST_PROXY: 'proxy.internal',
      SLUICE_SITE_URL: 'ftp://files',
      SLUICE_RETENTION_LOGS_DAYS: '0',
    });
    expect(problems).toEqual([
      "SLUICE_PORT must be a whole number from 0 to 65535, not 'abc'",
      "SLUICE_SITE_URL must be an http:// or https:// URL such as https://sluice.example.com, not 'ftp://files'",
      expect.stringMatching(/^SLUICE_TRUST_PROXY: 'proxy.internal' is not an IP address/),
      "SLUICE_PARTITIONS must be a whole number from 1 to 1024, not '0'",
      "SLUICE_DELIVERY_THREADS must be a whole number from 0 to 64, not '-1'",
      "SLUICE_WORKER_CONCURRENCY must be a whole number from 1 to 10000, not '0'",
      "SLUICE_MAX_FETCHES must be a whole number from 1 to 10, not '11'",
      "SLUICE_RETENTION_LOGS_DAYS must be a number greater than 0 and at most 36500, not '0'",
      "SLUICE_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not 'loud'",
    ]);
    expect(() => loadConfig({ SLUICE_PORT: 'abc', SLUICE_LOG_LEVEL: 'loud' })).toThrow(
      /^Sluice cannot start: 2 settings are wrong:\n {2}- SLUICE_PORT must be .*\n {2}- SLUICE_LOG_LEVEL must be /,
    );
  });

  it('never repeats a value that may hold a secret', () => {
    const problems = problemsOf({
      SLUICE_DATABASE_URL: 'mysql://root:hunter2@db/sluice',
      SLUICE_REDIS_URL: 'http://:hunter2@cache',
      SLUICE_BOOTSTRAP_API_KEY: 'phx_hunter2 with spaces',
      SLUICE_ENCRYPTION_KEYS: 'hunter2hunter2',
      SLUICE_METRICS_TOKEN: 'hunter2',
    });
    expect(problems).toHaveLength(5);
    for (const problem of problems) expect(problem).not.toContain('hunter2');
    expect(problems[0]).toBe('SLUICE_DATABASE_URL must be a postgres:// or postgresql:// URL, the value given is not shown: it may hold a secret');
    const key = generateEncryptionKey();
    expect(problemsOf({ SLUICE_ENCRYPTION_KEYS: `${key},${key}` })).toEqual(['SLUICE_ENCRYPTION_KEYS lists key #2 twice']);
  });

  it('checks settings against each other, only when each is valid on its own', () => {
    expect(problemsOf({ SLUICE_ROLE: 'capture' })).toEqual([
      'SLUICE_ROLE capture needs a shared database: set SLUICE_DATABASE_URL=postgres://… (SQLite serves one process, role all)',
    ]);
    expect(problemsOf({ SLUICE_ROLE: 'worker', SLUICE_DATABASE_URL: 'mysql://db' })).toEqual([
      'SLUICE_DATABASE_URL must be a postgres:// or postgresql:// URL, the value given is not shown: it may hold a secret',
    ]);
    expect(problemsOf({ SLUICE_DATA_DIR: ':memory:', SLUICE_DELIVERY_THREADS: '1' })).toEqual([expect.stringMatching(/^SLUICE_DELIVERY_THREADS must be 0 with an in-memory store/)]);
    expect(problemsOf({ SLUICE_PORT: '9464', SLUICE_METRICS_PORT: '9464' })).toEqual([expect.stringMatching(/^SLUICE_METRICS_PORT must differ from the main port \(SLUICE_PORT 9464\)/)]);
    expect(problemsOf({ SLUICE_METRICS_HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/^SLUICE_METRICS_HOST is set but SLUICE_METRICS_PORT is not/)]);
    expect(problemsOf({ SLUICE_METRICS_TOKEN: 'same-token-0123456789', SLUICE_BOOTSTRAP_API_KEY: 'same-token-0123456789' })).toEqual([
      expect.stringMatching(/^SLUICE_METRICS_TOKEN must be a token of its own/),
    ]);
    expect(problemsOf({ SLUICE_WORKER_CONCURRENCY: '40', SLUICE_DESTINATION_CONCURRENCY: '41' })).toEqual([
      'SLUICE_DESTINATION_CONCURRENCY (41) must not exceed SLUICE_WORKER_CONCURRENCY (40): one destination cannot run more invocations than the worker',
    ]);
    // Port 0 (any free port) never clashes.
    expect(loadConfig({ SLUICE_PORT: '0', SLUICE_METRICS_PORT: '0' }, {}, TWO_CORES).config.metrics.port).toBe(0);
  });

  it('lets --role win over SLUICE_ROLE, and checks it the same way', () => {
    const env = { SLUICE_ROLE: 'capture', SLUICE_DATABASE_URL: PG };
    expect(loadConfig(env, {}, TWO_CORES).config.role).toBe('capture');
    expect(loadConfig(env, { role: 'worker' }, TWO_CORES).config.role).toBe('worker');
    expect(loadConfig({ SLUICE_ROLE: 'worker' }, { role: 'all' }, TWO_CORES).config.role).toBe('all');
    expect(problemsOf({}, { role: 'leader' })).toEqual(["--role must be one of all, capture, worker, api, not 'leader'"]);
    expect(problemsOf({}, { role: '' })).toEqual(['--role needs a value: one of all, capture, worker, api']);
    expect(problemsOf({}, { role: 'api' })).toEqual([expect.stringMatching(/^--role api needs a shared database/)]);
  });

  it('warns about unknown SLUICE_* variables, naming the closest setting', () => {
    const { warnings } = loadConfig(
      { SLUICE_PARTITON: '32', SLUICE_MAXFETCHES: '3', SLUICE_SOMETHING_ELSE_ENTIRELY: '1', SLUICE_TEST_BACKEND: 'postgres', SLUICE_BENCH_SECONDS: '5', SLUICE_URL: 'http://x', SLUICE_API_KEY: 'k', PATH: '/bin', sluice_port: '1' },
      {},
      TWO_CORES,
    );
    expect(warnings).toEqual([
      'SLUICE_PARTITON is not a Sluice setting and is ignored; did you mean SLUICE_PARTITIONS? (docs/configuration.md lists them all)',
      'SLUICE_MAXFETCHES is not a Sluice setting and is ignored; did you mean SLUICE_MAX_FETCHES? (docs/configuration.md lists them all)',
      'SLUICE_SOMETHING_ELSE_ENTIRELY is not a Sluice setting and is ignored (docs/configuration.md lists them all)',
    ]);
    expect(loadConfig({ SLUICE_DATABASE_POOL_SIZE: '8' }, {}, TWO_CORES).warnings).toEqual(['SLUICE_DATABASE_POOL_SIZE has no effect without SLUICE_DATABASE_URL (SQLite)']);
  });

  describe('hostile values', () => {
    it('clips a huge value in its error and escapes control characters', () => {
      const [huge] = problemsOf({ SLUICE_PORT: '9'.repeat(200_000) });
      expect(huge).toBe(`SLUICE_PORT must be a whole number from 0 to 65535, not '${'9'.repeat(40)}…'`);
      const [bell] = problemsOf({ SLUICE_LOG_LEVEL: 'info\u0007\nERROR forged line' });
      expect(bell).toBe("SLUICE_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not 'info\\x07\\x0aERROR forged line'");
      const [allow] = problemsOf({ SLUICE_FETCH_ALLOW_HOSTS: `ok.internal,${'x/'.repeat(50_000)}` });
      expect(allow!.length).toBeLessThan(400);
      expect(allow).toMatch(/^SLUICE_FETCH_ALLOW_HOSTS: /);
    });

    it.each(['1e3', 'Infinity', 'NaN', '0x10', '12abc', '1.5', '-0', '+5', '٣'])('refuses %s as a whole number', (text) => {
      expect(problemsOf({ SLUICE_DATABASE_POOL_SIZE: text })).toEqual([expect.stringMatching(/^SLUICE_DATABASE_POOL_SIZE must be a whole number from 1 to 500/)]);
    });

    it('bounds the warnings of an environment full of unknown variables', () => {
      const env = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`SLUICE_UNKNOWN_${i}_${'Z'.repeat(i % 3 === 0 ? 5_000 : 1)}`, 'x']));
      const { warnings } = loadConfig(env, {}, TWO_CORES);
      expect(warnings).toHaveLength(21);
      expect(warnings.at(-1)).toBe('9980 more unknown SLUICE_* variables are ignored');
      for (const warning of warnings) expect(warning.length).toBeLessThan(200);
    });
  });
});

describe('docs/configuration.md', () => {
  it('is the reference rendered from the definitions (npm run gen:docs)', () => {
    expect(readFileSync(join(ROOT, CONFIGURATION_DOC_PATH), 'utf8')).toBe(renderConfigurationDoc());
  });
});

describe('startSluice with a configuration', () => {
  it('starts from a parsed configuration and from options over an environment alike', async () => {
    const { config } = loadConfig({ SLUICE_DATA_DIR: ':memory:', SLUICE_PORT: '0', SLUICE_HOST: '127.0.0.1', SLUICE_MAX_FETCHES: '4', SLUICE_BOOTSTRAP_PROJECT_TOKEN: 'phc_config' });
    const fromConfig = await startSluice(config, { logger: false });
    try {
      expect(fromConfig.config.runtime.maxFetches).toBe(4);
      expect(fromConfig.boot.project.apiToken).toBe('phc_config');
      expect((await fetch(`${fromConfig.url}/_health`)).status).toBe(200);
    } finally {
      await fromConfig.close();
    }
    // Options stand for their variables and win over the environment record.
    const fromOptions = await startSluice({ dataDir: ':memory:', port: 0, host: '127.0.0.1', env: { SLUICE_PORT: '1', SLUICE_MAX_FETCHES: '3' }, runtime: { deliveryThreads: 0 } });
    try {
      expect(fromOptions.config.server.port).toBe(0);
      expect(fromOptions.config.runtime.maxFetches).toBe(3);
    } finally {
      await fromOptions.close();
    }
    await expect(startSluice({ dataDir: ':memory:', port: 0, host: '127.0.0.1', env: { SLUICE_MAX_FETCHES: 'many', SLUICE_LOG_LEVEL: 'loud' } })).rejects.toThrow(
      /SLUICE_MAX_FETCHES must be a whole number from 1 to 10, not 'many'\n {2}- SLUICE_LOG_LEVEL/,
    );
  });
});

describe('sluice start (built CLI)', () => {
  it('exits 1 before opening anything, listing every bad variable on stderr', async () => {
    ensureBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
    try {
      const child = spawn(process.execPath, [CLI, 'start', '--role', 'leader'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, SLUICE_DATA_DIR: join(dataDir, 'never'), SLUICE_PORT: 'abc', SLUICE_PARTITIONS: '5000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('Sluice cannot start: 3 settings are wrong:');
      expect(stderr).toContain("--role must be one of all, capture, worker, api, not 'leader'");
      expect(stderr).toContain("SLUICE_PORT must be a whole number from 0 to 65535, not 'abc'");
      expect(stderr).toContain("SLUICE_PARTITIONS must be a whole number from 1 to 1024, not '5000'");
      // Nothing was opened: the data dir was never created.
      expect(() => readFileSync(join(dataDir, 'never', 'sluice.db'))).toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('logs a warning for an unknown variable and starts', async () => {
    ensureBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
    const child = spawn(process.execPath, [CLI, 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SLUICE_DATA_DIR: dataDir, SLUICE_PORT: '0', SLUICE_HOST: '127.0.0.1', SLUICE_LOG_LEVEL: 'warn', SLUICE_PARTITON: '4', SLUICE_DELIVERY_THREADS: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let stdout = '';
      const warned = new Promise<string>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Sluice is running')) resolve(stdout);
        });
      });
      const output = await warned;
      const warning = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string })[0];
      expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('SLUICE_PARTITON is not a Sluice setting and is ignored; did you mean SLUICE_PARTITIONS?') });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
