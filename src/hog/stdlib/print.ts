/**
 * Printing Hog values (reference §5). STUB signatures; the stdlib work implements them.
 */
import type { HogValue } from '../values.js';

/** `print`'s formatting of one argument: a string prints raw, anything else as `printHogValue`. */
export function printHogStringOutput(value: HogValue): string {
  return typeof value === 'string' ? value : printHogValue(value);
}

/** The printed form of a value: strings quoted and escaped, dicts `{'k': v}`, tuples `(a, b)`, … */
export function printHogValue(value: HogValue): string {
  return JSON.stringify(value);
}
