/**
 * Each project's transformation chain, compiled once per configuration version: the stage asks for a
 * project's chain per batch of events, and the store is read again only after a function changed
 * (`store.destinationsVersion()`, looked at most every `checkIntervalMs`).
 */
import type { Keyring } from '../destinations/secrets.js';
import type { Store } from '../store/store.js';
import { compileTransformationChain, type ChainOptions, type TransformationChain } from './chain.js';
import { enabledTransformations } from './functions.js';

export interface TransformationRegistryOptions extends ChainOptions {
  store: Pick<Store, 'destinationsVersion' | 'listDestinations'>;
  keyring?: Keyring;
  /** Least time between two version checks. Default 200 ms. */
  checkIntervalMs?: number;
  clock?: () => number;
}

export class TransformationRegistry {
  private readonly chains = new Map<number, { version: number; chain: TransformationChain }>();
  private version = -1;
  private checkedAt = -Infinity;

  constructor(private readonly options: TransformationRegistryOptions) {}

  /** The project's enabled transformations in order (an empty chain when it has none). */
  async chainFor(projectId: number): Promise<TransformationChain> {
    await this.refresh();
    const cached = this.chains.get(projectId);
    if (cached !== undefined && cached.version === this.version) return cached.chain;
    const version = this.version;
    const rows = await this.options.store.listDestinations(projectId);
    const chain = compileTransformationChain(enabledTransformations(rows, this.options.keyring), this.options);
    this.chains.set(projectId, { version, chain });
    return chain;
  }

  /** Look at the stored version on the next call, without waiting for `checkIntervalMs` (a function was just saved). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  private async refresh(): Promise<void> {
    const now = (this.options.clock ?? Date.now)();
    if (now - this.checkedAt < (this.options.checkIntervalMs ?? 200)) return;
    this.checkedAt = now;
    const version = await this.options.store.destinationsVersion();
    if (version !== this.version) {
      this.version = version;
      this.chains.clear();
    }
  }
}
