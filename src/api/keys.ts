import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out.length === length ? out : out + randomToken(length - out.length);
}

/** A public project token, shaped like PostHog's: `phc_` and 43 alphanumerics. */
export function newProjectToken(): string {
  return `phc_${randomToken(43)}`;
}

/** A personal API key, shaped like PostHog's: `phx_` and 47 alphanumerics. */
export function newPersonalApiKey(): string {
  return `phx_${randomToken(47)}`;
}

/** What is stored for a personal API key: its hex sha256. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function maskApiKey(key: string): string {
  return `…${key.slice(-4)}`;
}
