/** Projects (`/api/projects/`). */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, ref, Timestamp } from './common.js';

export const Project = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    api_token: Type.String({ description: 'The public token SDKs send (phc_…)' }),
    created_at: Timestamp(),
    health_webhook_url: Nullable(Type.String({ description: 'Called once per destination health change' })),
  },
  { $id: 'Project' },
);

export const ProjectList = Page(ref(Project), { $id: 'ProjectList', description: 'GET /api/projects/' });

export const ProjectParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** The settings a PATCH may change. */
export const ProjectPatch = Type.Object(
  { health_webhook_url: Type.Optional(Nullable(Type.String({ maxLength: 2048, description: 'An http(s) URL; null or "" removes it' }))) },
  { additionalProperties: false },
);

export type Project = Static<typeof Project>;
export type ProjectList = Static<typeof ProjectList>;
