/** Analytics and data, advertising conversions, productivity templates. One `register` line per template. */
import type { TemplateModule } from './types.js';

export const ANALYTICS_ADS_PRODUCTIVITY: TemplateModule[] = [];
