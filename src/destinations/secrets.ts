/**
 * Secrets at rest and in logs.
 *
 * Encryption: AES-256-GCM with a keyring. `SLUICE_ENCRYPTION_KEYS` holds comma-separated 32-byte keys, each
 * written as 64 hex characters or base64/base64url; the first key encrypts, every key decrypts, so rotating
 * is "put the new key first, keep the old ones until everything was re-encrypted". Without the variable, a
 * key is generated on first start and kept in `<dataDir>/encryption.key` (mode 0600), with a warning.
 *
 * Ciphertext format (all parts base64url, no padding):
 *
 *     v1:<keyId>:<iv>:<tag>:<ciphertext>
 *
 * - `keyId` is the first 8 hex characters of SHA-256(key): it names the key without revealing it.
 * - `iv` is a random 12-byte nonce per encryption; `tag` is the 16-byte GCM tag.
 * - The plaintext is `JSON.stringify(value)`, so any JSON value round-trips.
 * - `v1:<keyId>` is authenticated as additional data: changing the version or the key id fails like any
 *   other tampering.
 *
 * Redaction: `redactSecrets` replaces each secret value, and every spelling one standard call makes of it
 * (JSON-escaped, URL- and form-encoded, hex, base64 — also base64 of a text the secret is part of), with
 * `***`. Values shorter than 4 characters are left alone: redacting "1" or "ab" would shred every log line
 * while hiding nothing worth hiding. `redactHeaders` masks headers that carry credentials by name
 * (authorization, proxy-authorization, cookie, set-cookie, x-api-key, anything naming a token, secret,
 * password, signature, session or credential, and any header an inputs schema lists in `secret_headers`).
 */

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputSchemaItem, Inputs } from './model.js';

// ---------------------------------------------------------------------------------------------------------
// Errors

export const SECRET_ERRORS = {
  SLUICE_ERR_SECRETS_BAD_KEY: 'an encryption key is not a 32-byte key in hex or base64',
  SLUICE_ERR_SECRETS_DUPLICATE_KEY: 'the same key id appears twice in the keyring',
  SLUICE_ERR_SECRETS_NO_KEY: 'the keyring has no key',
  SLUICE_ERR_SECRETS_KEY_FILE: 'the key file cannot be read or written',
  SLUICE_ERR_SECRETS_MALFORMED: 'the text is not an encrypted secret',
  SLUICE_ERR_SECRETS_UNKNOWN_KEY: 'the secret was encrypted with a key that is not in the keyring',
  SLUICE_ERR_SECRETS_TAMPERED: 'the secret failed authentication (tampered, truncated or wrong key)',
  SLUICE_ERR_SECRETS_NOT_SERIALIZABLE: 'the value cannot be stored as JSON',
} as const;

export type SecretErrorCode = keyof typeof SECRET_ERRORS;

export class SecretError extends Error {
  readonly code: SecretErrorCode;

  constructor(code: SecretErrorCode, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'SecretError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Keys and the keyring

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';
const KEY_FILE_NAME = 'encryption.key';
export const ENCRYPTION_KEYS_ENV = 'SLUICE_ENCRYPTION_KEYS';

export interface Keyring {
  /** Id of the key new secrets are encrypted with. */
  readonly primaryId: string;
  /** Every key id, primary first. */
  readonly ids: readonly string[];
  /** Where the keys came from. */
  readonly source: 'env' | 'file' | 'memory';
  encrypt(value: unknown): string;
  decrypt(text: string): unknown;
  /** Copies of the raw keys, primary first: for handing the keyring to a delivery thread of this process. */
  exportKeys(): Uint8Array[];
}

/** Short, non-secret fingerprint of a key: the first 8 hex characters of its SHA-256. */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function decodeKey(text: string, label: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new SecretError(
    'SLUICE_ERR_SECRETS_BAD_KEY',
    `${label} is not a 32-byte key written as 64 hex characters or base64 (generate one with: openssl rand -base64 32)`,
  );
}

/** Keys from `SLUICE_ENCRYPTION_KEYS`-style text; errors name the key's position, never its value. */
export function parseEncryptionKeys(text: string, source: string = ENCRYPTION_KEYS_ENV): Buffer[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) {
    throw new SecretError('SLUICE_ERR_SECRETS_NO_KEY', `${source} holds no key`);
  }
  return entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry !== '')
    .map(({ entry, index }) => decodeKey(entry, `${source}: key #${index + 1}`));
}

/** A fresh random key, base64-encoded (what goes in `SLUICE_ENCRYPTION_KEYS` or the key file). */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function fromBase64Url(text: string, part: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new SecretError('SLUICE_ERR_SECRETS_MALFORMED', `encrypted secret: the ${part} is not base64url`);
  }
  return Buffer.from(text, 'base64url');
}

function serialize(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new SecretError('SLUICE_ERR_SECRETS_NOT_SERIALIZABLE', `secret: ${(error as Error).message}`, { cause: error });
  }
  if (json === undefined) {
    throw new SecretError('SLUICE_ERR_SECRETS_NOT_SERIALIZABLE', `secret: a ${typeof value} cannot be stored as JSON`);
  }
  return json;
}

function encryptWith(key: Buffer, keyId: string, value: unknown): string {
  const header = `${FORMAT_VERSION}:${keyId}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(serialize(value), 'utf8'), cipher.final()]);
  return [header, toBase64Url(iv), toBase64Url(cipher.getAuthTag()), toBase64Url(ciphertext)].join(':');
}

function splitCiphertext(text: string) {
  if (typeof text !== 'string') {
    throw new SecretError('SLUICE_ERR_SECRETS_MALFORMED', `encrypted secret must be a string, got ${typeof text}`);
  }
  const parts = text.split(':');
  if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) {
    throw new SecretError(
      'SLUICE_ERR_SECRETS_MALFORMED',
      `encrypted secret must look like ${FORMAT_VERSION}:<keyId>:<iv>:<tag>:<ciphertext>`,
    );
  }
  const [version, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  return {
    header: `${version}:${keyId}`,
    keyId,
    iv: fromBase64Url(iv, 'iv'),
    tag: fromBase64Url(tag, 'tag'),
    ciphertext: fromBase64Url(ciphertext, 'ciphertext'),
  };
}

function decryptWith(keys: ReadonlyMap<string, Buffer>, text: string): unknown {
  const parts = splitCiphertext(text);
  const key = keys.get(parts.keyId);
  if (!key) {
    throw new SecretError(
      'SLUICE_ERR_SECRETS_UNKNOWN_KEY',
      `secret was encrypted with key ${parts.keyId}, which is not in ${ENCRYPTION_KEYS_ENV} (known: ${[...keys.keys()].join(', ')})`,
    );
  }
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) {
    throw new SecretError('SLUICE_ERR_SECRETS_TAMPERED', `secret ${parts.keyId}: the iv or tag has the wrong length`);
  }
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(parts.header, 'utf8'));
    decipher.setAuthTag(parts.tag);
    plaintext = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SecretError('SLUICE_ERR_SECRETS_TAMPERED', `secret with key ${parts.keyId} failed authentication: it was altered`, {
      cause: error,
    });
  }
  return JSON.parse(plaintext) as unknown;
}

/** A keyring over the given keys; the first encrypts. Duplicate keys are refused. */
export function createKeyring(keys: readonly Uint8Array[], source: Keyring['source'] = 'memory'): Keyring {
  if (keys.length === 0) throw new SecretError('SLUICE_ERR_SECRETS_NO_KEY', 'a keyring needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const [index, raw] of keys.entries()) {
    const key = Buffer.from(raw);
    if (key.length !== KEY_BYTES) {
      throw new SecretError('SLUICE_ERR_SECRETS_BAD_KEY', `key #${index + 1} has ${key.length} bytes, not ${KEY_BYTES}`);
    }
    const id = keyIdOf(key);
    if (byId.has(id)) throw new SecretError('SLUICE_ERR_SECRETS_DUPLICATE_KEY', `key #${index + 1} (id ${id}) is listed twice`);
    byId.set(id, key);
  }
  const ids = [...byId.keys()];
  const primaryId = ids[0]!;
  const primary = byId.get(primaryId)!;
  return Object.freeze({
    primaryId,
    ids: Object.freeze(ids),
    source,
    encrypt: (value: unknown) => encryptWith(primary, primaryId, value),
    decrypt: (text: string) => decryptWith(byId, text),
    exportKeys: () => [...byId.values()].map((key) => new Uint8Array(key)),
  });
}

/** JSON-serializes `value` and encrypts it with the keyring's primary key. */
export function encryptSecret(keyring: Keyring, value: unknown): string {
  return keyring.encrypt(value);
}

/** Decrypts text made by `encryptSecret` with whichever keyring key made it. */
export function decryptSecret(keyring: Keyring, text: string): unknown {
  return keyring.decrypt(text);
}

/**
 * The inputs with their secret ones (schema items with `secret: true`) decrypted for the executor; every
 * string leaf of a secret value is pushed to `secretValues`, to redact texts with. Secret inputs are not
 * templated: the plain value is used as it is. Used by delivery (the registry) and by test runs.
 */
export function decryptSecretInputValues(schema: InputSchemaItem[], inputs: Inputs, keyring: Keyring | undefined, secretValues: string[]): Inputs {
  const out: Inputs = { ...inputs };
  for (const item of schema) {
    if (item.secret !== true) continue;
    const input = out[item.key];
    if (input === undefined) continue;
    let value = input.value;
    if (isEncryptedSecret(value)) {
      if (!keyring) throw new SecretError('SLUICE_ERR_SECRETS_NO_KEY', 'no encryption keyring is configured');
      value = keyring.decrypt(value);
    }
    // Only the value and the order: a compiled template of a secret would carry (and evaluate) the plaintext.
    out[item.key] = { value, ...(input.order !== undefined ? { order: input.order } : {}) };
    collectSecretValues(value, secretValues);
  }
  return out;
}

/** Whether `value` has the shape of an encrypted secret (not whether it decrypts). */
export function isEncryptedSecret(value: unknown): value is string {
  return typeof value === 'string' && /^v1:[0-9a-f]{8}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*$/.test(value);
}

// ---------------------------------------------------------------------------------------------------------
// Loading the keyring at start-up

export interface KeyringLogger {
  warn(message: string): void;
  info(message: string): void;
}

export interface LoadKeyringOptions {
  /** The keys `SLUICE_ENCRYPTION_KEYS` lists, parsed (`src/config.ts`); null when it is not set. */
  keys: readonly Uint8Array[] | null;
  dataDir: string;
  log: KeyringLogger;
}

function keyFileError(path: string, action: string, error: unknown): SecretError {
  return new SecretError('SLUICE_ERR_SECRETS_KEY_FILE', `cannot ${action} ${path}: ${(error as Error).message}`, {
    cause: error,
  });
}

function readKeyFile(path: string, log: KeyringLogger): Buffer[] | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw keyFileError(path, 'read', error);
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    log.warn(`${path} is readable by other users; restrict it with: chmod 600 ${path}`);
  }
  return parseEncryptionKeys(text.trim(), path);
}

/** Writes a new key file; `null` if another process created it first (then read theirs). */
function createKeyFile(dataDir: string, path: string): Buffer[] | null {
  const encoded = generateEncryptionKey();
  try {
    // Only the owner may list the data directory: it holds the database and this key.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${encoded}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw keyFileError(path, 'create', error);
  }
  return [Buffer.from(encoded, 'base64')];
}

function keyringFromFile(dataDir: string, log: KeyringLogger): Keyring {
  const path = join(dataDir, KEY_FILE_NAME);
  const existing = readKeyFile(path, log);
  if (existing) {
    log.info(`${ENCRYPTION_KEYS_ENV} is not set: using the encryption key stored in ${path}`);
    return createKeyring(existing, 'file');
  }
  const created = createKeyFile(dataDir, path) ?? readKeyFile(path, log);
  if (!created) throw keyFileError(path, 'read', new Error('the file vanished after it was created'));
  const keyring = createKeyring(created, 'file');
  log.warn(
    `${ENCRYPTION_KEYS_ENV} is not set: generated a new encryption key (id ${keyring.primaryId}) and stored it in ${path}. ` +
      `BACK THIS FILE UP: secrets stored by Sluice cannot be decrypted without it. ` +
      `Better, set ${ENCRYPTION_KEYS_ENV} to the key in that file (and keep it in your secret manager).`,
  );
  return keyring;
}

/**
 * The keyring from `SLUICE_ENCRYPTION_KEYS`, or else from `<dataDir>/encryption.key`, created (mode 0600,
 * with a warning) on first start. Synchronous: it runs once at start-up.
 *
 * When the variable is set but a key file from an earlier start exists with a key the variable does not
 * list, that key is kept as a decrypt-only key (with a warning) so secrets stored before the switch stay
 * readable.
 */
export function loadOrCreateKeyring(options: LoadKeyringOptions): Keyring {
  const keys = options.keys;
  if (keys === null || keys.length === 0) return keyringFromFile(options.dataDir, options.log);
  const path = join(options.dataDir, KEY_FILE_NAME);
  const fileKeys = readKeyFile(path, options.log) ?? [];
  const known = new Set(keys.map(keyIdOf));
  const extra = fileKeys.filter((key) => !known.has(keyIdOf(key)));
  for (const key of extra) {
    options.log.warn(
      `${path} holds key ${keyIdOf(key)}, which ${ENCRYPTION_KEYS_ENV} does not list; it is kept for decryption only. ` +
        `Append it to ${ENCRYPTION_KEYS_ENV} to make that explicit.`,
    );
  }
  return createKeyring([...keys, ...extra], 'env');
}

// ---------------------------------------------------------------------------------------------------------
// The API marker and redaction

/** What the API returns in place of a secret input's value; sending it back keeps the stored value. */
export const SECRET_MARKER: Readonly<{ secret: true }> = Object.freeze({ secret: true });

export function isSecretMarker(value: unknown): value is { secret: true } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'secret' && (value as { secret?: unknown }).secret === true;
}

/** Values shorter than this are not redacted (see the header). */
export const MIN_REDACTED_LENGTH = 4;
export const REDACTED = '***';

/** Every string (and number) leaf of a decrypted secret input, for `redactSecrets`. */
export function collectSecretValues(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number' && Number.isFinite(value)) into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectSecretValues(item, into);
  else if (value instanceof Map) for (const item of value.values()) collectSecretValues(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collectSecretValues(item, into);
  return into;
}

/**
 * Spellings of a secret that contain it verbatim or byte for byte: JSON-escaped, URL-encoded the ways
 * `encodeURIComponent`, `encodeURI` and `URLSearchParams` do it (and form-encoded with `+`), and hex in
 * both cases. Each is replaced where it appears.
 */
function plainSpellingsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  const form = url.replace(/%20/g, '+');
  const params = new URLSearchParams({ s: secret }).toString().slice(2);
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  return [secret, json, url, form, params, encodeURI(secret), hex, hex.toUpperCase()];
}

/**
 * Base64 runs that betray a secret. Base64 turns every 3 bytes into 4 characters independently, so the
 * encoding of any text that contains the secret (`base64Encode(f'{id}:{secret}')` for Basic auth)
 * contains the encoding of the secret's bytes from its first whole 3-byte group on — starting at byte
 * 0, 1 or 2 of the secret depending on where it sits in the text. Each of those 3 runs, in standard and
 * URL-safe alphabets, is searched for; the whole base64 word around a hit is redacted (the characters at
 * its edges mix the secret's first and last bytes with their neighbours).
 */
function base64RunsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const runs: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const whole = Math.floor((bytes.length - shift) / 3) * 3;
    if (whole < 3) continue;
    const run = bytes.subarray(shift, shift + whole).toString('base64');
    runs.push(run, run.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return runs;
}

interface Redaction {
  /** How many secrets the list had when this was built: a list that grew since is built again. */
  count: number;
  plain: string[];
  base64: string[];
}

/** Redactions are built once per list of secrets (a step redacts every log line with the same list). */
const redactionCache = new WeakMap<readonly string[], Redaction>();

function redactionFor(secretValues: readonly string[]): Redaction {
  let redaction = redactionCache.get(secretValues);
  if (redaction && redaction.count === secretValues.length) return redaction;
  const plain = new Set<string>();
  const base64 = new Set<string>();
  for (const secret of secretValues) {
    if (typeof secret !== 'string' || secret.length < MIN_REDACTED_LENGTH) continue;
    for (const spelling of plainSpellingsOf(secret)) plain.add(spelling);
    for (const run of base64RunsOf(secret)) base64.add(run);
  }
  // Longer first, so a secret inside another is not half-replaced.
  const byLength = (a: string, b: string) => b.length - a.length;
  redaction = { count: secretValues.length, plain: [...plain].sort(byLength), base64: [...base64].sort(byLength) };
  redactionCache.set(secretValues, redaction);
  return redaction;
}

const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

/** `text` with every base64 word containing `run` replaced by `***` (padding included). */
function redactBase64Words(text: string, run: string): string {
  let result = text;
  let at = result.indexOf(run);
  while (at >= 0) {
    let start = at;
    while (start > 0 && BASE64_CHAR.test(result[start - 1]!)) start--;
    let end = at + run.length;
    while (end < result.length && BASE64_CHAR.test(result[end]!)) end++;
    while (result[end] === '=') end++;
    result = result.slice(0, start) + REDACTED + result.slice(end);
    at = result.indexOf(run, start + REDACTED.length);
  }
  return result;
}

/**
 * `text` with each secret value (≥ 4 characters) replaced by `***`, and every spelling of it that one
 * standard-library call produces: JSON-escaped, URL- and form-encoded, hex (lower and upper case), and
 * base64 (standard or URL-safe, padded or not) — also when the secret is only part of what was encoded.
 */
export function redactSecrets(text: string, secretValues: readonly string[]): string {
  if (secretValues.length === 0) return text;
  const { plain, base64 } = redactionFor(secretValues);
  let result = text;
  for (const run of base64) if (result.includes(run)) result = redactBase64Words(result, run);
  for (const spelling of plain) if (result.includes(spelling)) result = result.split(spelling).join(REDACTED);
  return result;
}

/** A copy of a JSON-like value with `redactSecrets` applied to every string in it, keys included. */
export function redactDeep(value: unknown, secretValues: readonly string[]): unknown {
  if (secretValues.length === 0) return value;
  if (typeof value === 'string') return redactSecrets(value, secretValues);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secretValues));
  if (value instanceof Map) return redactDeep(Object.fromEntries(value), secretValues);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redactSecrets(key, secretValues)] = redactDeep(item, secretValues);
    return out;
  }
  return value;
}

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'private-token',
  'x-amz-security-token',
  'x-goog-api-key',
]);
const SENSITIVE_HEADER_PATTERN = /token|secret|passw|api[-_]?key|signature|session|credential|auth/i;

export function isSensitiveHeader(name: string, secretHeaders: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_HEADERS.has(lower) || SENSITIVE_HEADER_PATTERN.test(lower) || secretHeaders.some((h) => h.toLowerCase() === lower);
}

/**
 * The header names an inputs schema marks as credentials: `secret_headers: ["X-Shop-Key"]` on any schema
 * item (usually the secret input those headers are made from). Matched case-insensitively; entries that
 * are not strings are ignored.
 */
export function secretHeadersOf(...schemas: readonly (readonly InputSchemaItem[] | null | undefined)[]): string[] {
  const names: string[] = [];
  for (const schema of schemas) {
    for (const item of schema ?? []) {
      // Read defensively: a schema saved by a client may hold anything here.
      const marked: unknown = item.secret_headers;
      if (Array.isArray(marked)) for (const name of marked) if (typeof name === 'string' && name !== '') names.push(name);
    }
  }
  return names;
}

/**
 * A copy of `headers` with credential-bearing headers (by name, or named in `secretHeaders`) replaced by
 * `***` and secret values redacted from the others. Repeated headers are joined with `, `; absent ones
 * are dropped.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  secretValues: readonly string[] = [],
  secretHeaders: readonly string[] = [],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(', ');
    result[redactSecrets(name, secretValues)] = isSensitiveHeader(name, secretHeaders) ? REDACTED : redactSecrets(text, secretValues);
  }
  return result;
}
