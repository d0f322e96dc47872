/** Warehouses, object stores and the remaining self-hosters' asks. One `register` line per template. */
import type { TemplateModule } from './types.js';

export const WAREHOUSES_AND_MORE: TemplateModule[] = [];
