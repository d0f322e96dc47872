/**
 * Finds a secret in text or bytes however one standard call may have spelled it, by decoding rather than
 * by listing spellings (so it checks the redaction, not repeats it): the raw bytes, URL-decoded (with `+`
 * as a space too), every hex run decoded at both nibble offsets, and every base64 word (either alphabet)
 * decoded at each of its 4 character offsets — which finds a secret that was only part of the encoded
 * text, wherever it sat.
 */

function decodedContains(decoded: Buffer, secret: Buffer): boolean {
  return decoded.indexOf(secret) >= 0;
}

function urlDecoded(text: string): string[] {
  const out: string[] = [];
  for (const candidate of [text, text.replace(/\+/g, ' ')]) {
    try {
      out.push(decodeURIComponent(candidate));
    } catch {
      // Not a valid escape sequence everywhere: decode the valid escapes one by one.
      out.push(candidate.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
        try {
          return decodeURIComponent(run);
        } catch {
          return run;
        }
      }));
    }
  }
  return out;
}

/** The names of the spellings of `secret` found in `content` (empty when there is none). */
export function secretLeaks(content: string | Buffer, secret: string): string[] {
  const needle = Buffer.from(secret, 'utf8');
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const text = typeof content === 'string' ? content : content.toString('latin1');
  const found: string[] = [];
  if (decodedContains(bytes, needle)) found.push('raw');
  if (text.includes(JSON.stringify(secret).slice(1, -1))) found.push('json');
  if (urlDecoded(text).some((decoded) => decoded.includes(secret))) found.push('url');
  for (const run of text.match(/[0-9A-Fa-f]{8,}/g) ?? []) {
    if ([0, 1].some((offset) => decodedContains(Buffer.from(run.slice(offset, offset + Math.floor((run.length - offset) / 2) * 2), 'hex'), needle))) {
      found.push(`hex:${run.slice(0, 12)}…`);
    }
  }
  for (const word of text.match(/[A-Za-z0-9+/_-]{6,}/g) ?? []) {
    if ([0, 1, 2, 3].some((offset) => decodedContains(Buffer.from(word.slice(offset).replace(/-/g, '+').replace(/_/g, '/'), 'base64'), needle))) {
      found.push(`base64:${word.slice(0, 12)}…`);
    }
  }
  return found;
}
