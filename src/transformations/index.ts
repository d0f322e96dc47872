/**
 * Transformations: Hog functions that clean, enrich or drop each captured event before persons and
 * destinations see it (docs/transformations.md). Pure apart from `TransformationRegistry`, which reads
 * the project's functions from the store.
 */
export {
  byExecutionOrder,
  compileTransformationChain,
  TransformationChain,
  transformationUrl,
  type ChainOptions,
  type ChainResult,
  type TransformationContext,
  type TransformationMetric,
  type TransformationMetricName,
  type TransformationObservation,
  type TransformationOutcome,
  type TransformationResult,
} from './chain.js';
export { enabledTransformations, transformationFunctionOf, type TransformationFunction } from './functions.js';
export { DEFAULT_TRANSFORMATION_LIMITS, type TransformationLimits } from './limits.js';
export { recordChainResult, type ChainRecorder } from './record.js';
export { TransformationRegistry, type TransformationRegistryOptions } from './registry.js';
export { PipelineTransformations, type PipelineTransformationsOptions, type TransformationHealth, type TransformedEvents } from './stage.js';
