import { describe, expect, it } from 'vitest';
import {
  AuthError,
  InputValidationError,
  RUNTIME_ERRORS,
  RetryableError,
  TemplateError,
  isDeliveryError,
  toDeliveryError,
} from '../errors.js';

describe('delivery outcomes', () => {
  it('prefixes every code with SLUICE_ERR_RUNTIME_ and gives it one of the four kinds', () => {
    for (const [code, kind] of Object.entries(RUNTIME_ERRORS)) {
      expect(code).toMatch(/^SLUICE_ERR_RUNTIME_[A-Z_]+$/);
      expect(['input', 'auth', 'retryable', 'template']).toContain(kind);
    }
  });

  it.each([
    [new InputValidationError('bad'), 'input', 'SLUICE_ERR_RUNTIME_INPUT_INVALID', false],
    [new AuthError('nope', { status: 401 }), 'auth', 'SLUICE_ERR_RUNTIME_AUTH', false],
    [new RetryableError('later', { retryAfterMs: 2000 }), 'retryable', 'SLUICE_ERR_RUNTIME_RETRYABLE', true],
    [new TemplateError('else', { status: 404 }), 'template', 'SLUICE_ERR_RUNTIME_TEMPLATE', false],
  ] as const)('gives %s its kind, default code and retry decision', (error, kind, code, retryable) => {
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(RUNTIME_ERRORS[error.code]).toBe(kind);
    expect(isDeliveryError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps the status, the retry-after hint, the field and the cause', () => {
    const cause = new Error('socket hang up');
    expect(new RetryableError('x', { status: 503, retryAfterMs: 10, cause })).toMatchObject({ status: 503, retryAfterMs: 10, cause });
    expect(new InputValidationError('x', { field: 'url' }).field).toBe('url');
  });

  it('turns an unknown thrown value into a TemplateError so it is never retried blindly', () => {
    const wrapped = toDeliveryError(new TypeError('oops'));
    expect(wrapped).toBeInstanceOf(TemplateError);
    expect(wrapped.message).toBe('oops');
    expect(toDeliveryError('text').message).toBe('text');
    const original = new AuthError('kept');
    expect(toDeliveryError(original)).toBe(original);
  });
});
