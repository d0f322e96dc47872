/** Compiling Hog without saving (`POST /api/projects/:id/hog/compile/`), for the editor's diagnostics. */
import { Type, type Static } from '@sinclair/typebox';

export const CompileRequest = Type.Object({
  source: Type.String(),
  kind: Type.Optional(
    Type.Union([Type.Literal('program'), Type.Literal('template'), Type.Literal('expression')], {
      default: 'program',
      description: 'A program, an input template or a filter expression',
    }),
  ),
});

export const CompileDiagnostic = Type.Object({
  message: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
  offset: Type.Integer(),
});

export const CompileResult = Type.Object(
  { ok: Type.Boolean(), diagnostics: Type.Array(CompileDiagnostic) },
  { $id: 'CompileResult' },
);

export type CompileDiagnostic = Static<typeof CompileDiagnostic>;
export type CompileResult = Static<typeof CompileResult>;
