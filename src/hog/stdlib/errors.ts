/** Error constructors: `Error`, `RetryError`, `NotImplementedError`, `HogError`. */
import { jsString } from '../convert.js';
import { type HogValue, makeHogError } from '../values.js';
import { type StlTable, define } from './define.js';

function messageOf(value: HogValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  return jsString(value);
}

function typedError(type: string) {
  return define(0, 2, ([message, payload]) => makeHogError(type, messageOf(message), payload ?? undefined));
}

export const ERROR_FUNCTIONS: StlTable = {
  Error: typedError('Error'),
  RetryError: typedError('RetryError'),
  NotImplementedError: typedError('NotImplementedError'),
  HogError: define(1, 3, ([type, message, payload]) =>
    makeHogError(messageOf(type) ?? 'Error', messageOf(message), payload ?? undefined),
  ),
};
