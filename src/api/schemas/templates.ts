/** The template gallery (`/api/projects/:id/hog_function_templates/`). */
import { Type, type Static } from '@sinclair/typebox';
import { FUNCTION_TYPES } from '../../destinations/model.js';
import { Nullable, Page, ref } from './common.js';
import { Filters, FunctionType, InputSchemaItem } from './destinations.js';

const TemplateMasking = Type.Object({ ttl: Type.Integer(), hash: Type.String(), threshold: Type.Optional(Nullable(Type.Integer())) });

const TemplateMapping = Type.Object({
  name: Type.String(),
  disabled: Type.Optional(Type.Boolean()),
  inputs_schema: Type.Optional(Type.Array(ref(InputSchemaItem))),
  inputs: Type.Record(Type.String(), Type.Object({ value: Type.Unknown() })),
  filters: Type.Optional(ref(Filters)),
});

export const Template = Type.Object(
  {
    id: Type.String({ description: 'template-<slug>, as PostHog names the same destination' }),
    type: ref(FunctionType),
    name: Type.String(),
    description: Type.String(),
    category: Type.Array(Type.String()),
    status: Type.Union([Type.Literal('stable'), Type.Literal('beta'), Type.Literal('alpha'), Type.Literal('deprecated')]),
    icon_url: Type.String(),
    hog: Type.String(),
    inputs_schema: Type.Array(ref(InputSchemaItem)),
    filters: Nullable(ref(Filters)),
    masking: Nullable(TemplateMasking),
    mappings: Nullable(Type.Array(TemplateMapping)),
    example_payload: Type.Optional(Type.Unknown({ description: "Sources: an example request body, from the vendor's documented payload" })),
    example_headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Sources: example request headers (e.g. a signature)' })),
  },
  { $id: 'Template', description: 'What a destination or source is created from' },
);

export const TemplateList = Page(ref(Template), { $id: 'TemplateList', description: 'GET …/hog_function_templates/' });

export const TemplateListQuery = Type.Object({
  search: Type.Optional(Type.String({ description: 'Words that must all appear in the name, description, id or categories' })),
  category: Type.Optional(Type.String()),
  include_deprecated: Type.Optional(Type.Boolean({ default: false })),
  type: Type.Optional(Type.Union(FUNCTION_TYPES.map((t) => Type.Literal(t)), { default: 'destination', description: 'Default: destination templates' })),
});

export const TemplateParams = Type.Object({ project_id: Type.Integer({ minimum: 1 }), id: Type.String() });

export type Template = Static<typeof Template>;
export type TemplateList = Static<typeof TemplateList>;
