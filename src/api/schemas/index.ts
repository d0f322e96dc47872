/**
 * The API contract: one TypeBox schema per resource, in the files beside this one. From them come the
 * request validation, the response serialization (a field a schema does not list is never sent), the
 * handlers' types (`Static` through Fastify's type provider), the web UI's types (`ui/src/types.ts`) and
 * the OpenAPI document at `/api/schema/`, from which the test client is generated.
 */
import type { TSchema } from '@sinclair/typebox';
import { CaptureAccepted, CaptureV1Result, SegmentAccepted } from './capture.js';
import { Cluster } from './cluster.js';
import { Destination, DestinationList, EventFilter, Filters, FunctionType, InputEntry, InputSchemaItem, Mapping, Masking, PropertyFilter, RetryPolicy, SecretMarker } from './destinations.js';
import { ErrorBody, RejectedEvent } from './errors.js';
import { Event, EventList } from './events.js';
import { HealthChange, HealthHistory, HealthState, HealthStatus, ReplayResult } from './health.js';
import { CompileResult } from './hog.js';
import { ImportReport } from './imports.js';
import { Invocation, InvocationList, TestRunResult } from './invocations.js';
import { ApiKey, ApiKeyList, CreatedApiKey } from './keys.js';
import { LogEntry, LogList } from './logs.js';
import { MetricSeries, Metrics } from './metrics.js';
import { Group, GroupList, Person, PersonList } from './persons.js';
import { Project, ProjectList } from './projects.js';
import { Template, TemplateList } from './templates.js';

/** Every named schema, registered once on the server (`app.addSchema`) and listed in the OpenAPI document. */
export const SHARED_SCHEMAS: readonly (TSchema & { $id: string })[] = [
  ErrorBody,
  RejectedEvent,
  FunctionType,
  InputSchemaItem,
  SecretMarker,
  InputEntry,
  PropertyFilter,
  EventFilter,
  Filters,
  Masking,
  Mapping,
  RetryPolicy,
  HealthState,
  HealthStatus,
  HealthChange,
  HealthHistory,
  ReplayResult,
  Destination,
  DestinationList,
  Template,
  TemplateList,
  Invocation,
  InvocationList,
  TestRunResult,
  LogEntry,
  LogList,
  MetricSeries,
  Metrics,
  Project,
  ProjectList,
  ApiKey,
  CreatedApiKey,
  ApiKeyList,
  Cluster,
  Event,
  EventList,
  Person,
  PersonList,
  Group,
  GroupList,
  CompileResult,
  ImportReport,
  CaptureAccepted,
  CaptureV1Result,
  SegmentAccepted,
] as (TSchema & { $id: string })[];
