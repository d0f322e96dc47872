/** A function's log lines (`GET …/hog_functions/:id/logs/`). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, ref, Timestamp } from './common.js';

export const LOGS_DEFAULT_LIMIT = 100;

export const LogEntry = Type.Object(
  {
    timestamp: Timestamp(),
    level: Type.Union([Type.Literal('DEBUG'), Type.Literal('INFO'), Type.Literal('WARN'), Type.Literal('ERROR')]),
    message: Type.String(),
    instance_id: Nullable(Type.String({ description: 'The invocation that logged it' })),
  },
  { $id: 'LogEntry' },
);

export const LogList = Type.Object({ results: Type.Array(ref(LogEntry)) }, { $id: 'LogList', description: 'Newest first' });

export const LogQuery = Type.Object({
  level: Type.Optional(Type.String({ description: 'Levels, comma-separated: debug, info, warn, error' })),
  search: Type.Optional(Type.String()),
  instance_id: Type.Optional(Type.String()),
  after: Type.Optional(Type.String({ description: 'ISO-8601' })),
  before: Type.Optional(Type.String({ description: 'ISO-8601' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: LOGS_DEFAULT_LIMIT })),
});

export type LogEntry = Static<typeof LogEntry>;
