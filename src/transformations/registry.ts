/**
 * Each project's transformation chain, compiled once per configuration version: the stage asks for a
 * project's chain per batch of events, and the store is read again only after a function changed
 * (`store.destinationsVersion()`, looked at most every `checkIntervalMs`).
 */
import type { Keyring } from '../destinations/secrets.js';
import type { RuntimeLogger } from '../runtime/logger.js';
import type { Store } from '../store/store.js';
import { compileTransformationChain, type ChainOptions, type TransformationChain } from './chain.js';
import { enabledTransformations } from './functions.js';

export interface TransformationRegistryOptions extends ChainOptions {
  store: Pick<Store, 'destinationsVersion' | 'listDestinations'>;
  keyring?: Keyring;
  /** Least time between two version checks. Default 200 ms. */
  checkIntervalMs?: number;
  clock?: () => number;
  /** Where a transformation that cannot run at all (its stored configuration does not fit, a secret that does not decrypt) is reported, once per configuration version. */
  logger?: Pick<RuntimeLogger, 'error'>;
}

export class TransformationRegistry {
  private readonly chains = new Map<number, { version: number; chain: TransformationChain }>();
  private version = -1;
  private checkedAt = -Infinity;
  /** The version check in flight: concurrent callers (other partitions' batches) wait for it, not skip it. */
  private checking: Promise<void> | null = null;
  /** Counts checks, so a check that `invalidate` made obsolete while it ran does not overwrite a newer one. */
  private checks = 0;

  constructor(private readonly options: TransformationRegistryOptions) {}

  /** The project's enabled transformations in order (an empty chain when it has none). */
  async chainFor(projectId: number): Promise<TransformationChain> {
    await this.refresh();
    const cached = this.chains.get(projectId);
    if (cached !== undefined && cached.version === this.version) return cached.chain;
    const version = this.version;
    const rows = await this.options.store.listDestinations(projectId);
    const functions = enabledTransformations(rows, this.options.keyring);
    for (const fn of functions) {
      if (fn.brokenReason !== undefined) this.options.logger?.error({ projectId, transformationId: fn.id }, `transformation ${fn.id} cannot run: ${fn.brokenReason}`);
    }
    const chain = compileTransformationChain(functions, this.options);
    this.chains.set(projectId, { version, chain });
    return chain;
  }

  /** Look at the stored version on the next call, without waiting for `checkIntervalMs` (a function was just saved). */
  invalidate(): void {
    this.checkedAt = -Infinity;
    // A check already running may have read the version before the change: the next caller starts anew.
    this.checking = null;
  }

  private refresh(): Promise<void> {
    if (this.checking) return this.checking;
    const now = (this.options.clock ?? Date.now)();
    if (now - this.checkedAt < (this.options.checkIntervalMs ?? 200)) return Promise.resolve();
    this.checkedAt = now;
    const check = ++this.checks;
    const checking = this.readVersion(check).finally(() => {
      if (check === this.checks) this.checking = null;
    });
    this.checking = checking;
    return checking;
  }

  private async readVersion(check: number): Promise<void> {
    try {
      const version = await this.options.store.destinationsVersion();
      if (check === this.checks && version !== this.version) {
        this.version = version;
        this.chains.clear();
      }
    } catch (error) {
      // Look again on the next call rather than trusting an unchecked version for a whole interval.
      this.checkedAt = -Infinity;
      throw error;
    }
  }
}
