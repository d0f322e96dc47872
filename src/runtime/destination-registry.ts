/**
 * The destinations the runtime works with, held in memory and ready to run: configuration parsed once
 * per stored version, secret inputs decrypted once, the retry policy normalized, mapping inputs merged.
 *
 * The registry notices configuration changes by polling `store.destinationsVersion()` (at most every
 * `checkIntervalMs`), or at once when `reload()` is called (the management API does after each write).
 *
 * A stored configuration that does not fit the stored-config schema (edited in the database, written by a
 * newer version) fails that destination alone: it is left out of matching, its invocations fail naming
 * the fields, it is logged once per stored version and listed by `unloadable()` (Prometheus:
 * `sluice_destination_config_invalid`); every other destination loads as usual.
 */
import type { Bytecode } from '../hog/index.js';
import { destinationFromStored, StoredDestinationError } from '../destinations/config-schema.js';
import type { Destination, InputSchemaItem, Inputs } from '../destinations/model.js';
import { decryptSecretInputValues, type Keyring } from '../destinations/secrets.js';
import { uiUrls } from '../destinations/globals.js';
import type { StoredDestination, Store } from '../store/store.js';
import { DEFAULT_RETRY_POLICY, normalizeRetryPolicy, type RetryPolicy } from './backoff.js';
import type { HealthState } from './health.js';
import { mappingInputs } from './jobs.js';
import type { RuntimeLogger } from './logger.js';

/** What the executor needs for one destination or one of its mappings, secrets decrypted. */
export interface PreparedJob {
  bytecode: Bytecode;
  /** Source map of the code (`[ip, line, …]`), so errors name their line. */
  lines?: number[];
  inputsSchema: InputSchemaItem[];
  inputs: Inputs;
  /** Every string leaf of the decrypted secret inputs, to redact error texts. */
  secretValues: string[];
}

export class CompiledDestination {
  readonly id: string;
  readonly projectId: number;
  readonly version: number;
  readonly enabled: boolean;
  readonly config: Destination;
  readonly retryPolicy: RetryPolicy;
  private readonly jobs = new Map<number | null, PreparedJob | { error: string }>();
  private readonly sourceUrls = new Map<string, string>();

  /** Parses the stored configuration: a `StoredDestinationError` naming the fields when it does not fit. */
  constructor(
    stored: StoredDestination,
    private readonly keyring: Keyring | undefined,
  ) {
    this.id = stored.id;
    this.projectId = stored.projectId;
    this.version = stored.version;
    this.enabled = stored.enabled;
    this.config = destinationFromStored(stored);
    this.retryPolicy = retryPolicyOf(this.config);
  }

  get name(): string {
    return this.config.name;
  }

  /** The destination's own UI URL (`source.url` of the globals). */
  sourceUrl(siteUrl: string): string {
    let url = this.sourceUrls.get(siteUrl);
    if (url === undefined) {
      url = uiUrls(siteUrl, this.projectId).destination(this.id);
      this.sourceUrls.set(siteUrl, url);
    }
    return url;
  }

  /** The code, schema and decrypted inputs for the destination (`null`) or one mapping; cached. */
  job(mappingIndex: number | null): PreparedJob | { error: string } {
    let job = this.jobs.get(mappingIndex);
    if (job === undefined) {
      job = this.prepare(mappingIndex);
      this.jobs.set(mappingIndex, job);
    }
    return job;
  }

  private prepare(mappingIndex: number | null): PreparedJob | { error: string } {
    const config = this.config;
    let schema = config.inputs_schema ?? [];
    let inputs: Inputs = { ...(config.inputs ?? {}) };
    if (mappingIndex !== null) {
      const mapping = config.mappings?.[mappingIndex];
      if (!mapping) return { error: `the destination has no mapping #${mappingIndex} any more` };
      ({ inputsSchema: schema, inputs } = mappingInputs(config, mapping));
    }
    const secretValues: string[] = [];
    try {
      inputs = decryptSecretInputValues(schema, inputs, this.keyring, secretValues);
    } catch (error) {
      return { error: `a secret input could not be decrypted: ${(error as Error).message}` };
    }
    return { bytecode: config.bytecode, lines: config.bytecode_lines, inputsSchema: schema, inputs, secretValues };
  }

}

/** The destination's `retry_policy` (max attempts, max window) over the runtime defaults (3 attempts). */
export function retryPolicyOf(config: Pick<Destination, 'retry_policy'>): RetryPolicy {
  const policy = config.retry_policy;
  if (!policy) return DEFAULT_RETRY_POLICY;
  try {
    return normalizeRetryPolicy({
      ...(policy.max_attempts !== undefined ? { maxAttempts: policy.max_attempts } : {}),
      ...(policy.max_window_seconds !== undefined ? { maxWindowMs: policy.max_window_seconds * 1000 } : {}),
    });
  } catch {
    return DEFAULT_RETRY_POLICY;
  }
}

/** What the runtime asks of the health watcher (`HealthMonitor`) about a destination. */
export interface HealthView {
  isDisabled(destinationId: string): boolean;
  stateOf(destinationId: string): HealthState;
  /** Priority number for new invocations (lower runs first). */
  priorityOf(destinationId: string): number;
}

export interface RegistryOptions {
  store: Store;
  keyring?: Keyring;
  /** Least time between two `destinationsVersion()` checks. Default 200 ms. */
  checkIntervalMs?: number;
  now?: () => number;
  /** Called after a reload with the destinations that changed or disappeared (ids). */
  onChanged?: (changedIds: string[]) => void;
  /** Destination health, when the runtime watches it (the process's `HealthMonitor`). */
  health?: HealthView;
  /** Where a destination whose stored configuration does not fit is reported. */
  logger?: Pick<RuntimeLogger, 'error'> | undefined;
}

export class DestinationRegistry {
  private readonly store: Store;
  private readonly keyring: Keyring | undefined;
  private readonly checkIntervalMs: number;
  private readonly now: () => number;
  private readonly onChanged: ((ids: string[]) => void) | undefined;
  /** Enabled destinations by id. */
  private enabled = new Map<string, CompiledDestination>();
  /** Enabled destinations of each project, in creation order. */
  private byProject = new Map<number, CompiledDestination[]>();
  /** Destinations loaded one by one (disabled or just changed), by `id:version`. */
  private readonly others = new Map<string, CompiledDestination>();
  /** Destinations whose stored configuration does not fit, by id: the error of the version last read. */
  private readonly invalid = new Map<string, { version: number; error: StoredDestinationError }>();
  private readonly logger: Pick<RuntimeLogger, 'error'> | undefined;
  private loadedVersion = -1;
  private lastCheckMs = 0;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  /** Destination health, when the runtime watches it; null in a delivery thread, which only runs invocations. */
  readonly health: HealthView | null;

  constructor(options: RegistryOptions) {
    this.store = options.store;
    this.keyring = options.keyring;
    this.checkIntervalMs = options.checkIntervalMs ?? 200;
    this.now = options.now ?? Date.now;
    this.onChanged = options.onChanged;
    this.health = options.health ?? null;
    this.logger = options.logger;
  }

  /** Enabled destinations of a project (empty when none). */
  forProject(projectId: number): readonly CompiledDestination[] {
    return this.byProject.get(projectId) ?? [];
  }

  get size(): number {
    return this.enabled.size;
  }

  /** Ids of the enabled destinations. */
  enabledIds(): string[] {
    return [...this.enabled.keys()];
  }

  /** The destinations left out because their stored configuration does not fit, each with what is wrong. */
  unloadable(): StoredDestinationError[] {
    return [...this.invalid.values()].map((entry) => entry.error);
  }

  /** Reloads when the stored version changed, checking at most every `checkIntervalMs`. */
  async refresh(): Promise<void> {
    const now = this.now();
    if (this.loadedVersion >= 0 && now - this.lastCheckMs < this.checkIntervalMs) return;
    this.lastCheckMs = now;
    const version = await this.store.destinationsVersion();
    if (version !== this.loadedVersion) await this.reload();
  }

  /** Reloads every enabled destination now (coalesced: concurrent calls share one reload, plus one more). */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.load();
        } while (this.reloadAgain);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /**
   * A destination by id, enabled or not; `null` when it was deleted (or belongs to another project). Throws
   * the `StoredDestinationError` when its stored configuration does not fit.
   */
  async get(projectId: number, id: string): Promise<CompiledDestination | null> {
    await this.refresh();
    const known = this.enabled.get(id);
    if (known && known.projectId === projectId) return known;
    const stored = await this.store.getDestination(projectId, id);
    if (!stored) return null;
    const key = `${stored.id}:${stored.version}`;
    let compiled = this.others.get(key);
    if (!compiled) {
      const parsed = this.compile(stored);
      if (parsed instanceof StoredDestinationError) throw parsed;
      if (this.others.size > 1_000) this.others.clear();
      this.others.set(key, (compiled = parsed));
    }
    return compiled;
  }

  /**
   * The retry policy of a destination; the runtime's default when its stored configuration does not fit
   * (it has none that can be read); `null` when it was deleted.
   */
  async retryPolicy(projectId: number, id: string): Promise<RetryPolicy | null> {
    try {
      return (await this.get(projectId, id))?.retryPolicy ?? null;
    } catch (error) {
      if (error instanceof StoredDestinationError) return DEFAULT_RETRY_POLICY;
      throw error;
    }
  }

  /** The row parsed and prepared, or why it does not fit: logged once per stored version, kept for `unloadable()`. */
  private compile(row: StoredDestination): CompiledDestination | StoredDestinationError {
    try {
      const compiled = new CompiledDestination(row, this.keyring);
      this.invalid.delete(row.id);
      return compiled;
    } catch (error) {
      if (!(error instanceof StoredDestinationError)) throw error;
      const known = this.invalid.get(row.id);
      if (known?.version === row.version) return known.error;
      this.invalid.set(row.id, { version: row.version, error });
      this.logger?.error(
        { destinationId: row.id, projectId: row.projectId, version: row.version, problems: error.problems },
        `destination ${row.id} not loaded: ${error.message}`,
      );
      return error;
    }
  }

  private async load(): Promise<void> {
    const version = await this.store.destinationsVersion();
    const rows = await this.store.listEnabledDestinations();
    const enabled = new Map<string, CompiledDestination>();
    const byProject = new Map<number, CompiledDestination[]>();
    const changed: string[] = [];
    for (const row of rows) {
      const previous = this.enabled.get(row.id);
      const compiled = previous && previous.version === row.version ? previous : this.compile(row);
      // Only this destination is left out: the others load, and it loads again once its row is fixed.
      if (compiled instanceof StoredDestinationError) continue;
      if (compiled !== previous) changed.push(row.id);
      enabled.set(row.id, compiled);
      let list = byProject.get(row.projectId);
      if (!list) byProject.set(row.projectId, (list = []));
      list.push(compiled);
    }
    for (const id of this.enabled.keys()) if (!enabled.has(id)) changed.push(id);
    // A destination deleted or disabled since it was found unloadable is no longer reported.
    const loaded = new Set(rows.map((row) => row.id));
    for (const id of this.invalid.keys()) if (!loaded.has(id)) this.invalid.delete(id);
    this.enabled = enabled;
    this.byProject = byProject;
    this.loadedVersion = version;
    this.lastCheckMs = this.now();
    if (changed.length > 0) this.onChanged?.(changed);
  }
}
