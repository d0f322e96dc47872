/**
 * How much Hog source a host should accept, in one place. Compiling is linear, but a bigger source
 * still costs memory and CPU on every save and keystroke, and no real destination comes near these:
 * the largest stock template is a few KB. Hosts check before compiling (`sourceSizeError`) and
 * report the message with the field it came from.
 */

/** A whole program: a destination's code, `sluice hog run`. 512 KiB of UTF-8. */
export const MAX_PROGRAM_BYTES = 512 * 1024;

/** One input template, filter expression or masking hash. 64 KiB of UTF-8. */
export const MAX_EXPRESSION_BYTES = 64 * 1024;

/** `code is N bytes; the limit is L` when `source` is longer than `limit` UTF-8 bytes, else null. */
export function sourceSizeError(source: string, limit: number): string | null {
  // Every UTF-16 unit is at most 3 UTF-8 bytes, so most sources need no counting at all.
  if (source.length * 3 <= limit) return null;
  const bytes = utf8Length(source);
  return bytes > limit ? `code is ${bytes} bytes; the limit is ${limit}` : null;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}
