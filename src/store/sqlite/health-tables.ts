/**
 * The SQLite side of destination health (migration 0004): the watcher's state per destination and the
 * history of its changes. `SqliteStore` delegates here.
 */
import type Database from 'better-sqlite3';
import type { DestinationHealth, DestinationHealthChange } from '../store.js';
import { storableTextOrNull, toHealth, toHealthChange, type HealthChangeRow, type HealthRow } from '../rows.js';

export class HealthTables {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      get: db.prepare('SELECT * FROM destination_health WHERE project_id = ? AND destination_id = ?'),
      listAll: db.prepare('SELECT * FROM destination_health ORDER BY project_id, destination_id'),
      listProject: db.prepare('SELECT * FROM destination_health WHERE project_id = ? ORDER BY destination_id'),
      upsert: db.prepare(
        `INSERT INTO destination_health (project_id, destination_id, state, since, reason, until, tokens, tokens_at, temporary_disables)
         VALUES (@projectId, @destinationId, @state, @since, @reason, @until, @tokens, @tokensAt, @temporaryDisables)
         ON CONFLICT (project_id, destination_id) DO UPDATE SET state = excluded.state, since = excluded.since,
           reason = excluded.reason, until = excluded.until, tokens = excluded.tokens, tokens_at = excluded.tokens_at,
           temporary_disables = excluded.temporary_disables`,
      ),
      insertChange: db.prepare(
        `INSERT INTO destination_health_changes (project_id, destination_id, at, from_state, to_state, reason, until)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      changes: db.prepare(
        'SELECT * FROM destination_health_changes WHERE project_id = ? AND destination_id = ? ORDER BY at DESC, id DESC LIMIT ?',
      ),
      deleteParked: db.prepare(`DELETE FROM invocations WHERE state = 'parked' AND created_at < ?`),
    };
  }

  getDestinationHealth(projectId: number, destinationId: string): DestinationHealth | null {
    const row = this.q.get.get(projectId, destinationId) as HealthRow | undefined;
    return row ? toHealth(row) : null;
  }

  listDestinationHealth(projectId?: number): DestinationHealth[] {
    const rows = (projectId === undefined ? this.q.listAll.all() : this.q.listProject.all(projectId)) as HealthRow[];
    return rows.map(toHealth);
  }

  saveDestinationHealth(health: DestinationHealth, change?: DestinationHealthChange): void {
    this.db.transaction(() => {
      this.q.upsert.run({
        projectId: health.projectId,
        destinationId: health.destinationId,
        state: health.state,
        since: health.since,
        reason: storableTextOrNull(health.reason),
        until: health.until,
        tokens: health.tokens,
        tokensAt: health.tokensAt,
        temporaryDisables: JSON.stringify(health.temporaryDisables),
      });
      if (change) {
        this.q.insertChange.run(change.projectId, change.destinationId, change.at, change.from, change.to, storableTextOrNull(change.reason), change.until);
      }
    })();
  }

  listDestinationHealthChanges(projectId: number, destinationId: string, limit: number): DestinationHealthChange[] {
    return (this.q.changes.all(projectId, destinationId, limit) as HealthChangeRow[]).map(toHealthChange);
  }

  deleteParkedInvocations(before: number): number {
    return this.q.deleteParked.run(before).changes;
  }
}
