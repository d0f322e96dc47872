/**
 * The Postgres side of destination health (migration 0004): the watcher's state per destination and the
 * history of its changes. `PostgresStore` delegates here.
 */
import type { DestinationHealth, DestinationHealthChange } from '../store.js';
import { storableTextOrNull, toHealth, toHealthChange, type HealthChangeRow, type HealthRow } from '../rows.js';
import type { PgDb } from './db.js';

export class PgHealthTables {
  constructor(private readonly db: PgDb) {}

  async getDestinationHealth(projectId: number, destinationId: string): Promise<DestinationHealth | null> {
    const { rows } = await this.db.query<HealthRow>(
      'SELECT * FROM destination_health WHERE project_id = $1 AND destination_id = $2',
      [projectId, destinationId],
      'destination-health',
    );
    return rows[0] ? toHealth(rows[0]) : null;
  }

  async listDestinationHealth(projectId?: number): Promise<DestinationHealth[]> {
    const { rows } =
      projectId === undefined
        ? await this.db.query<HealthRow>('SELECT * FROM destination_health ORDER BY project_id, destination_id')
        : await this.db.query<HealthRow>('SELECT * FROM destination_health WHERE project_id = $1 ORDER BY destination_id', [projectId]);
    return rows.map(toHealth);
  }

  async saveDestinationHealth(health: DestinationHealth, change?: DestinationHealthChange): Promise<void> {
    await this.db.tx(async (client) => {
      await client.query({
        name: 'upsert-destination-health',
        text: `INSERT INTO destination_health (project_id, destination_id, state, since, reason, until, tokens, tokens_at, temporary_disables)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (project_id, destination_id) DO UPDATE SET state = excluded.state, since = excluded.since,
                 reason = excluded.reason, until = excluded.until, tokens = excluded.tokens, tokens_at = excluded.tokens_at,
                 temporary_disables = excluded.temporary_disables`,
        values: [
          health.projectId,
          health.destinationId,
          health.state,
          health.since,
          storableTextOrNull(health.reason),
          health.until,
          health.tokens,
          health.tokensAt,
          JSON.stringify(health.temporaryDisables),
        ],
      });
      if (change) {
        await client.query({
          name: 'insert-destination-health-change',
          text: `INSERT INTO destination_health_changes (project_id, destination_id, at, from_state, to_state, reason, until)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          values: [change.projectId, change.destinationId, change.at, change.from, change.to, storableTextOrNull(change.reason), change.until],
        });
      }
    });
  }

  async listDestinationHealthChanges(projectId: number, destinationId: string, limit: number): Promise<DestinationHealthChange[]> {
    const { rows } = await this.db.query<HealthChangeRow>(
      `SELECT * FROM destination_health_changes WHERE project_id = $1 AND destination_id = $2 ORDER BY at DESC, id DESC LIMIT $3`,
      [projectId, destinationId, limit],
    );
    return rows.map(toHealthChange);
  }

  async deleteParkedInvocations(before: number): Promise<number> {
    const result = await this.db.query(`DELETE FROM invocations WHERE state = 'parked' AND created_at < $1`, [before]);
    return result.rowCount ?? 0;
  }
}
