/**
 * One processing leader among all worker processes: person processing and destination matching each
 * consume one ordered stream (events, enriched events) with one offset, so exactly one process runs them,
 * chosen by `store.tryLead('processing')` (Postgres: a session advisory lock on a dedicated connection).
 * The others keep trying every `retryMs`; when the leader dies its connection closes, Postgres releases
 * the lock, and the next attempt of another worker takes over from the stored offsets. Invocation workers
 * are not led: every worker process claims from the queue.
 *
 * On SQLite (one process) the first attempt always succeeds.
 */
import type { Leadership, Store } from '../store/store.js';

export interface LeaderLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface LedRoles {
  /** Starts the exclusive work (called once per term). */
  start(): Promise<void>;
  /** Stops it (the term ended: lease lost or shutdown). */
  stop(): Promise<void>;
}

export const PROCESSING_LEASE = 'processing';

export class ProcessingLeader {
  private lease: Leadership | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private busy: Promise<void> = Promise.resolve();
  terms = 0;

  constructor(
    private readonly store: Store,
    private readonly roles: LedRoles,
    private readonly logger?: LeaderLogger,
    private readonly retryMs = 1_000,
  ) {}

  get isLeader(): boolean {
    return this.lease !== null;
  }

  /** Tries once now (so a lone process leads from its first moment), then keeps trying in the background. */
  async start(): Promise<void> {
    await this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.retryMs);
    this.timer.unref?.();
  }

  private attempt(): Promise<void> {
    this.busy = this.busy.then(async () => {
      if (this.stopped || this.lease) return;
      let lease: Leadership | null;
      try {
        lease = await this.store.tryLead(PROCESSING_LEASE);
      } catch (error) {
        this.logger?.error({ err: error }, 'could not try for processing leadership');
        return;
      }
      if (!lease) return;
      if (this.stopped) {
        await lease.release();
        return;
      }
      this.lease = lease;
      this.terms++;
      this.logger?.info({ term: this.terms }, 'this process leads person processing and destination matching');
      void lease.lost.then(() => this.onLost(lease));
      try {
        await this.roles.start();
      } catch (error) {
        this.logger?.error({ err: error }, 'starting person processing and matching failed; giving up leadership');
        this.lease = null;
        await this.roles.stop().catch(() => {});
        await lease.release();
      }
    });
    return this.busy;
  }

  private onLost(lease: Leadership): void {
    this.busy = this.busy.then(async () => {
      if (this.lease !== lease) return;
      this.lease = null;
      this.logger?.error({}, 'lost processing leadership (database connection gone); stopping person processing and matching');
      await this.roles.stop().catch(() => {});
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy;
    const lease = this.lease;
    this.lease = null;
    if (lease) {
      await this.roles.stop();
      await lease.release();
    }
  }
}
