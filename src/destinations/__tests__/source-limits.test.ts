/** Code over the size limits is refused at save, with the field it is in and the numbers. */
import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_BYTES, MAX_PROGRAM_BYTES, sourceSizeError } from '../../hog/source-limits.js';
import { validateDestination } from '../validation.js';

const base = { name: 'Hook', hog: "print('hi')" };

function errorsOf(body: Record<string, unknown>) {
  const result = validateDestination({ ...base, ...body });
  return result.ok ? [] : result.errors;
}

describe('source size limits', () => {
  it('counts UTF-8 bytes, not characters', () => {
    const text = 'é'.repeat(MAX_EXPRESSION_BYTES / 2 + 1);
    expect(sourceSizeError(text, MAX_EXPRESSION_BYTES)).toBe(`code is ${MAX_EXPRESSION_BYTES + 2} bytes; the limit is ${MAX_EXPRESSION_BYTES}`);
    expect(sourceSizeError('é'.repeat(MAX_EXPRESSION_BYTES / 2), MAX_EXPRESSION_BYTES)).toBeNull();
  });

  it("refuses a destination's code over the program limit on the hog field", () => {
    const hog = `// ${'x'.repeat(MAX_PROGRAM_BYTES)}`;
    expect(errorsOf({ hog })).toEqual([{ path: 'hog', message: `code is ${hog.length} bytes; the limit is ${MAX_PROGRAM_BYTES}` }]);
  });

  it('refuses an input template, a filter expression and a masking hash over the expression limit, each at its path', () => {
    const long = `{event.event} ${'x'.repeat(MAX_EXPRESSION_BYTES)}`;
    const message = `code is ${long.length} bytes; the limit is ${MAX_EXPRESSION_BYTES}`;
    const errors = errorsOf({
      inputs_schema: [{ key: 'body', type: 'string' }],
      inputs: { body: { value: long } },
      filters: { hog: `true or '${'x'.repeat(MAX_EXPRESSION_BYTES)}' = ''` },
      masking: { ttl: 60, hash: long },
    });
    expect(errors).toContainEqual({ path: 'inputs.body.value', message });
    expect(errors).toContainEqual({ path: 'filters.hog', message: expect.stringMatching(/^code is \d+ bytes; the limit is 65536$/) });
    expect(errors).toContainEqual({ path: 'masking.hash', message });
  });
});
