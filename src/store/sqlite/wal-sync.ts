/**
 * Makes the WAL durable without blocking the thread: `fdatasync` of the `-wal` file on libuv's thread
 * pool.
 *
 * With `synchronous=FULL`, SQLite fsyncs the WAL inside every commit, on the connection's thread — for
 * Sluice's one connection, the main thread, which then does nothing else for the 2–4 ms (more on a busy
 * disk) that the disk takes. Capture's appends instead commit at `synchronous=NORMAL` (the frames are
 * written to the WAL, not yet synced) and then wait for this sync before they are acknowledged: the same
 * guarantee — an acknowledged event is on disk — while the thread goes on with persons, matching and
 * delivery. Every write committed before the sync starts is covered by it, relaxed ones included.
 *
 * Why this is as safe as FULL: in WAL mode a commit only appends frames to the WAL; the database file is
 * written by checkpoints, which sync the WAL before copying and the database after. When SQLite restarts
 * the WAL from its beginning it syncs the new header itself. So after a power loss every frame this sync
 * covered is found again, and frames it did not cover belong to commits nobody was told about.
 *
 * The file is the one SQLite keeps open for as long as the store's connection is open (it deletes it only
 * when the last connection closes); its inode is checked at every sync, and the descriptor reopened if the
 * file was ever replaced.
 */
import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';

export class WalSync {
  private fd: number | null = null;
  private inode = -1;
  /** Descriptors of a replaced file, closed with the store: a sync may still be running on one. */
  private readonly replaced: number[] = [];

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the WAL before the call is on disk. */
  sync(): Promise<void> {
    let fd: number;
    try {
      fd = this.descriptor();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  /** Closes the descriptors (the store closes its connection after its last sync). */
  close(): void {
    for (const fd of [...this.replaced, ...(this.fd === null ? [] : [this.fd])]) closeSync(fd);
    this.replaced.length = 0;
    this.fd = null;
  }

  /** A descriptor of the WAL file as it is now (reopened if the file was replaced). */
  private descriptor(): number {
    const inode = statSync(this.walPath).ino;
    if (this.fd !== null && inode === this.inode) return this.fd;
    if (this.fd !== null) this.replaced.push(this.fd);
    const fd = openSync(this.walPath, 'r');
    this.fd = fd;
    this.inode = fstatSync(fd).ino;
    return fd;
  }
}
