/**
 * Transformation templates (`type: 'transformation'`): an event in, the changed event (or none) out.
 * Kept apart from the destination list, like the sources: their fixtures run in
 * `src/transformations/__tests__/templates.test.ts` through `runTransformationFixture`.
 */
import type { TransformationTemplateModule } from './types.js';
import * as dropEvents from './transformation-drop-events/template.js';
import * as dropEventsFixtures from './transformation-drop-events/fixtures.js';
import * as piiHashing from './transformation-pii-hashing/template.js';
import * as piiHashingFixtures from './transformation-pii-hashing/fixtures.js';
import * as removeProperties from './transformation-remove-properties/template.js';
import * as removePropertiesFixtures from './transformation-remove-properties/fixtures.js';
import * as renameProperties from './transformation-rename-properties/template.js';
import * as renamePropertiesFixtures from './transformation-rename-properties/fixtures.js';
import * as urlParameters from './transformation-url-parameters/template.js';
import * as urlParametersFixtures from './transformation-url-parameters/fixtures.js';
import * as ipAnonymization from './transformation-ip-anonymization/template.js';
import * as ipAnonymizationFixtures from './transformation-ip-anonymization/fixtures.js';
import * as userAgent from './transformation-user-agent/template.js';
import * as userAgentFixtures from './transformation-user-agent/fixtures.js';
import * as derivedProperties from './transformation-derived-properties/template.js';
import * as derivedPropertiesFixtures from './transformation-derived-properties/fixtures.js';

export const TRANSFORMATION_TEMPLATE_MODULES: TransformationTemplateModule[] = [
  { template: dropEvents.template, fixtures: dropEventsFixtures.fixtures },
  { template: piiHashing.template, fixtures: piiHashingFixtures.fixtures },
  { template: removeProperties.template, fixtures: removePropertiesFixtures.fixtures },
  { template: renameProperties.template, fixtures: renamePropertiesFixtures.fixtures },
  { template: urlParameters.template, fixtures: urlParametersFixtures.fixtures },
  { template: ipAnonymization.template, fixtures: ipAnonymizationFixtures.fixtures },
  { template: userAgent.template, fixtures: userAgentFixtures.fixtures },
  { template: derivedProperties.template, fixtures: derivedPropertiesFixtures.fixtures },
];
