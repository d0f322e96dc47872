/** Persons and groups (`/api/projects/:id/persons/`, `/groups/`). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, ref, Timestamp, UncountedPage } from './common.js';

export const PAGE_MAX = 1000;
export const PAGE_DEFAULT = 100;

const pageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: PAGE_DEFAULT })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export const Person = Type.Object(
  {
    id: Type.String(),
    uuid: Type.String(),
    distinct_ids: Type.Array(Type.String()),
    properties: Type.Record(Type.String(), Type.Unknown()),
    is_identified: Type.Boolean(),
    created_at: Timestamp(),
  },
  { $id: 'Person' },
);

export const PersonList = UncountedPage(ref(Person), { $id: 'PersonList', description: 'GET /api/projects/:id/persons/' });

export const PersonsQuery = Type.Object({ distinct_id: Type.Optional(Type.String({ minLength: 1 })), ...pageQuery });

export const Group = Type.Object(
  {
    group_type_index: Type.Integer(),
    group_type: Nullable(Type.String()),
    group_key: Type.String(),
    group_properties: Type.Record(Type.String(), Type.Unknown()),
    created_at: Timestamp(),
  },
  { $id: 'Group' },
);

export const GroupList = UncountedPage(ref(Group), { $id: 'GroupList', description: 'GET /api/projects/:id/groups/' });

export const GroupsQuery = Type.Object({
  group_type: Type.Optional(Type.String({ minLength: 1 })),
  group_type_index: Type.Optional(Type.Integer({ minimum: 0 })),
  ...pageQuery,
});

export type Person = Static<typeof Person>;
export type Group = Static<typeof Group>;
