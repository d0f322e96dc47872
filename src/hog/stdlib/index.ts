/**
 * The standard-library registry. The VM looks functions up here by name: `STL` for
 * native sync functions, `ASYNC_STL` for native async ones (only `sleep`), `BYTECODE_STL` for the
 * functions written in Hog and run as chunk `stl/<name>`.
 */
import type { BytecodeStlFunction, StlFunction } from './types.js';
import { CORE_FUNCTIONS } from './core.js';
import { ERROR_FUNCTIONS } from './errors.js';
import { JSON_FUNCTIONS } from './json.js';
import { STRING_FUNCTIONS } from './strings.js';
import { ARRAY_FUNCTIONS } from './arrays.js';
import { MATH_FUNCTIONS } from './math.js';
import { DATE_FUNCTIONS } from './dates.js';
import { CONVERSION_FUNCTIONS } from './conversions.js';
import { CRYPTO_FUNCTIONS } from './crypto.js';
import { IP_FUNCTIONS } from './ip.js';
import { BYTECODE_STL_FUNCTIONS } from './bytecode-stl.js';

/** Native sync functions, by name. */
export const STL: Record<string, StlFunction> = {
  ...CORE_FUNCTIONS,
  ...ERROR_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...CRYPTO_FUNCTIONS,
  ...IP_FUNCTIONS,
};

/** Native async functions (the VM suspends on them, like host async functions): only `sleep`. */
export const ASYNC_STL: Record<string, { minArgs: number; maxArgs?: number }> = {
  sleep: { minArgs: 1, maxArgs: 1 },
};

/** Functions written in Hog (arrayMap, arrayFilter, …), run as chunk `stl/<name>`. */
export const BYTECODE_STL: Record<string, BytecodeStlFunction> = BYTECODE_STL_FUNCTIONS;

export { printHogStringOutput, printHogValue, toHogString, escapeString, escapeIdentifier } from './print.js';
export { regexMatch, likeMatch } from './regex.js';
export { hogLike, hogRegexMatch } from './strings.js';
export { compareDateLike, unifyDateLike, parseDateString, dateLikeToSeconds } from './dates.js';
export { jsonParse, jsonStringify } from './json.js';
export { hogTypeOf, hogKeys, hogValues, hogLength, isEmptyValue } from './core.js';
