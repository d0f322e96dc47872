/**
 * Shapes of the management API, as the UI reads them: the server's own schemas (`src/api/schemas/`, the
 * contract the API serializes through), imported as types only, so nothing of the server is bundled.
 * The few types below them are the UI's own: editing forms narrower than what the API accepts.
 */
import type { InputSchemaItem, PropertyFilter as ApiPropertyFilter } from '../../src/api/schemas/destinations';
import type { CompileDiagnostic as ApiDiagnostic } from '../../src/api/schemas/hog';

export type {
  Destination,
  EventFilter,
  Filters,
  FunctionType,
  InputEntry,
  InputSchemaItem,
  Masking,
  SecretMarker,
} from '../../src/api/schemas/destinations';
export type { HealthChange, HealthHistory, HealthState, HealthStatus, ReplayResult } from '../../src/api/schemas/health';
export type { CompileResult as CompileResponse } from '../../src/api/schemas/hog';
export type { Invocation, TestRequest, TestRunResult as TestResult } from '../../src/api/schemas/invocations';
export type { LogEntry } from '../../src/api/schemas/logs';
export type { Metrics } from '../../src/api/schemas/metrics';
export type { Project } from '../../src/api/schemas/projects';
export type { Template } from '../../src/api/schemas/templates';

export type InputType = InputSchemaItem['type'];

/**
 * One property filter as the filter editor edits it: a flat condition. The API also accepts and returns
 * AND/OR groups and fields the editor does not show (`PropertyFilter` in the schemas).
 */
export type PropertyFilter = Pick<ApiPropertyFilter, 'operator' | 'value' | 'group_type_index'> & {
  key: string;
  type: 'event' | 'person' | 'group' | 'element' | 'hogql';
};

/** Any list response, as far as the UI reads it. */
export interface List<T> {
  count?: number;
  results: T[];
}

/** A diagnostic the editor shows: the server's, or one of the UI's own checks, which has no source offset. */
export type CompileDiagnostic = Omit<ApiDiagnostic, 'offset'> & { offset?: number };
