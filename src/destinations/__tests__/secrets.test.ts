import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SECRET_MARKER,
  SecretError,
  collectSecretValues,
  createKeyring,
  decryptSecret,
  encryptSecret,
  generateEncryptionKey,
  isEncryptedSecret,
  isSecretMarker,
  keyIdOf,
  loadOrCreateKeyring,
  parseEncryptionKeys,
  redactDeep,
  redactHeaders,
  redactSecrets,
  secretHeadersOf,
  type KeyringLogger,
} from '../secrets.js';
import { secretLeaks } from '../../../test/helpers/secret-leaks.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-secrets-'));
  dirs.push(dir);
  return dir;
}

function recordingLog(): KeyringLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

function thrown(fn: () => unknown): SecretError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretError) return error;
    throw error;
  }
  throw new Error('expected a SecretError');
}

describe('encryption', () => {
  it('round-trips any JSON value', () => {
    const keyring = createKeyring([randomBytes(32)]);
    for (const value of ['sk_live_123', 42, true, null, { token: 'abc', nested: [1, 'two'] }, ['a'], 'ünïcødé ✓']) {
      expect(decryptSecret(keyring, encryptSecret(keyring, value))).toEqual(value);
    }
  });

  it('writes the versioned format with the key id and a fresh IV each time', () => {
    const key = randomBytes(32);
    const keyring = createKeyring([key]);
    const a = encryptSecret(keyring, 'same');
    const b = encryptSecret(keyring, 'same');
    expect(a).not.toBe(b);
    const [version, keyId, iv, tag, ciphertext] = a.split(':');
    expect(version).toBe('v1');
    expect(keyId).toBe(keyIdOf(key));
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('same');
    expect(isEncryptedSecret(a)).toBe(true);
    expect(isEncryptedSecret('plain')).toBe(false);
  });

  it('keeps old ciphertexts readable after rotation while new ones use the new key', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = createKeyring([oldKey]);
    const stored = encryptSecret(before, { apiKey: 'old-secret' });

    const rotated = createKeyring([newKey, oldKey]);
    expect(decryptSecret(rotated, stored)).toEqual({ apiKey: 'old-secret' });
    const fresh = encryptSecret(rotated, 'new-secret');
    expect(fresh.split(':')[1]).toBe(keyIdOf(newKey));
    expect(rotated.primaryId).toBe(keyIdOf(newKey));
    expect(rotated.ids).toEqual([keyIdOf(newKey), keyIdOf(oldKey)]);
    expect(() => decryptSecret(before, fresh)).toThrow(SecretError);
  });

  it('names the missing key id when the key was removed from the keyring', () => {
    const gone = createKeyring([randomBytes(32)]);
    const stored = encryptSecret(gone, 'x');
    const error = thrown(() => decryptSecret(createKeyring([randomBytes(32)]), stored));
    expect(error.code).toBe('SLUICE_ERR_SECRETS_UNKNOWN_KEY');
    expect(error.message).toContain(gone.primaryId);
  });

  it.each([
    ['a flipped ciphertext byte', (parts: string[]) => flip(parts, 4)],
    ['a flipped tag byte', (parts: string[]) => flip(parts, 3)],
    ['a flipped IV byte', (parts: string[]) => flip(parts, 2)],
    ['a truncated ciphertext', (parts: string[]) => parts.with(4, parts[4]!.slice(0, -2))],
    ['a swapped ciphertext from another secret', (parts: string[], other: string[]) => parts.with(4, other[4]!)],
  ])('detects tampering: %s', (_name, tamper) => {
    const keyring = createKeyring([randomBytes(32)]);
    const parts = encryptSecret(keyring, 'a secret value').split(':');
    const other = encryptSecret(keyring, 'another secret').split(':');
    const error = thrown(() => decryptSecret(keyring, tamper(parts, other).join(':')));
    expect(error.code).toBe('SLUICE_ERR_SECRETS_TAMPERED');
  });

  it('authenticates the key id, so relabelling a ciphertext with another known key fails', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keyring = createKeyring([a, b]);
    const parts = encryptSecret(keyring, 'x').split(':');
    const relabelled = parts.with(1, keyIdOf(b)).join(':');
    expect(thrown(() => decryptSecret(keyring, relabelled)).code).toBe('SLUICE_ERR_SECRETS_TAMPERED');
  });

  it.each(['', 'plain text', 'v2:abcd1234:a:b:c', 'v1:abcd1234:a:b', 'v1:abcd1234:!!:b:c'])(
    'refuses %j as malformed',
    (text) => {
      const keyring = createKeyring([randomBytes(32)]);
      const error = thrown(() => decryptSecret(keyring, text));
      expect(error.code).toMatch(/SLUICE_ERR_SECRETS_(MALFORMED|UNKNOWN_KEY)/);
    },
  );

  it('refuses a value JSON cannot represent', () => {
    const keyring = createKeyring([randomBytes(32)]);
    expect(thrown(() => encryptSecret(keyring, undefined)).code).toBe('SLUICE_ERR_SECRETS_NOT_SERIALIZABLE');
    expect(thrown(() => encryptSecret(keyring, 10n)).code).toBe('SLUICE_ERR_SECRETS_NOT_SERIALIZABLE');
  });
});

function flip(parts: string[], index: number): string[] {
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  return parts.with(index, bytes.toString('base64url'));
}

describe('keys from SLUICE_ENCRYPTION_KEYS', () => {
  it('accepts hex, base64 and base64url keys, comma-separated, in order', () => {
    const raw = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const text = ` ${raw[0]!.toString('hex')} ,${raw[1]!.toString('base64')},${raw[2]!.toString('base64url')}`;
    expect(parseEncryptionKeys(text)).toEqual(raw);
  });

  it.each([
    ['tooshort', 'key #1'],
    [`${randomBytes(32).toString('hex')},${randomBytes(16).toString('base64')}`, 'key #2'],
    ['not base64 at all!', 'key #1'],
  ])('refuses %j naming the position and not the value', (text, position) => {
    const error = thrown(() => parseEncryptionKeys(text));
    expect(error.code).toBe('SLUICE_ERR_SECRETS_BAD_KEY');
    expect(error.message).toContain(`SLUICE_ENCRYPTION_KEYS: ${position}`);
    expect(error.message).not.toContain(text.split(',').at(-1));
  });

  it('refuses the same key listed twice', () => {
    const key = randomBytes(32);
    expect(thrown(() => createKeyring([key, Buffer.from(key)])).code).toBe('SLUICE_ERR_SECRETS_DUPLICATE_KEY');
  });
});

describe('loadOrCreateKeyring', () => {
  it('generates a key file once with mode 0600 and a warning, then reuses it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const firstLog = recordingLog();
    const first = loadOrCreateKeyring({ keys: null, dataDir, log: firstLog });
    const path = join(dataDir, 'encryption.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(firstLog.warnings).toHaveLength(1);
    expect(firstLog.warnings[0]).toMatch(/SLUICE_ENCRYPTION_KEYS is not set/);
    expect(firstLog.warnings[0]).toContain(path);
    expect(firstLog.warnings[0]).toMatch(/BACK THIS FILE UP/);
    const contents = readFileSync(path, 'utf8');
    expect(firstLog.warnings[0]).not.toContain(contents.trim());
    const stored = encryptSecret(first, 'kept across restarts');

    const secondLog = recordingLog();
    const second = loadOrCreateKeyring({ keys: null, dataDir, log: secondLog });
    expect(readFileSync(path, 'utf8')).toBe(contents);
    expect(second.primaryId).toBe(first.primaryId);
    expect(second.source).toBe('file');
    expect(secondLog.warnings).toEqual([]);
    expect(decryptSecret(second, stored)).toBe('kept across restarts');
  });

  it('uses the environment keys and writes no file', () => {
    const dataDir = tempDir();
    const key = generateEncryptionKey();
    const keyring = loadOrCreateKeyring({ keys: parseEncryptionKeys(key), dataDir, log: recordingLog() });
    expect(keyring.source).toBe('env');
    expect(keyring.primaryId).toBe(keyIdOf(Buffer.from(key, 'base64')));
    expect(() => statSync(join(dataDir, 'encryption.key'))).toThrow();
  });

  it('keeps an earlier key file as a decrypt-only key once the environment takes over', () => {
    const dataDir = tempDir();
    const fromFile = loadOrCreateKeyring({ keys: null, dataDir, log: recordingLog() });
    const stored = encryptSecret(fromFile, 'before the switch');
    const log = recordingLog();
    const fromEnv = loadOrCreateKeyring({ keys: parseEncryptionKeys(generateEncryptionKey()), dataDir, log });
    expect(fromEnv.primaryId).not.toBe(fromFile.primaryId);
    expect(fromEnv.ids).toContain(fromFile.primaryId);
    expect(decryptSecret(fromEnv, stored)).toBe('before the switch');
    expect(log.warnings.join('\n')).toMatch(/decryption only/);
  });

  it('warns when the key file is readable by others and refuses a corrupt one', () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'encryption.key');
    writeFileSync(path, `${generateEncryptionKey()}\n`);
    chmodSync(path, 0o644);
    const log = recordingLog();
    loadOrCreateKeyring({ keys: null, dataDir, log });
    expect(log.warnings.join('\n')).toMatch(/chmod 600/);

    writeFileSync(path, 'garbage');
    expect(thrown(() => loadOrCreateKeyring({ keys: null, dataDir, log: recordingLog() })).code).toBe('SLUICE_ERR_SECRETS_BAD_KEY');
  });
});

describe('secret marker', () => {
  it('recognises exactly {"secret": true}', () => {
    expect(isSecretMarker(SECRET_MARKER)).toBe(true);
    expect(isSecretMarker(JSON.parse('{"secret":true}'))).toBe(true);
    expect(isSecretMarker({ secret: 'true' })).toBe(false);
    expect(isSecretMarker({ secret: true, value: 'x' })).toBe(false);
    expect(isSecretMarker([true])).toBe(false);
    expect(isSecretMarker(null)).toBe(false);
    expect(isSecretMarker('secret')).toBe(false);
    expect(Object.isFrozen(SECRET_MARKER)).toBe(true);
  });
});

describe('redaction', () => {
  it.each([
    ['the raw value', 'token=sk_live_abc123 sent', ['sk_live_abc123'], 'token=*** sent'],
    ['every occurrence', 'a sk_1234 b sk_1234', ['sk_1234'], 'a *** b ***'],
    ['the JSON-escaped form', '{"pw":"he said \\"hi\\"\\n"}', ['he said "hi"\n'], '{"pw":"***"}'],
    ['the URL-encoded form', 'https://x.io/?key=a%2Fb%20c%26d', ['a/b c&d'], 'https://x.io/?key=***'],
    ['the form-encoded form', 'key=a+b+c+d', ['a b c d'], 'key=***'],
    ['several secrets, longest first', 'abcd-efgh and abcd', ['abcd', 'abcd-efgh'], '*** and ***'],
    ['nothing shorter than 4 characters', 'id=1 pin=abc', ['1', 'abc'], 'id=1 pin=abc'],
    ['nothing when there are no secrets', 'plain log line', [], 'plain log line'],
  ])('redacts %s', (_name, text, secrets, expected) => {
    expect(redactSecrets(text, secrets)).toBe(expected);
  });

  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

  it.each([
    ['base64', (s: string) => b64(s)],
    ['base64 without padding', (s: string) => b64(s).replace(/=+$/, '')],
    ['URL-safe base64', (s: string) => b64url(s)],
    ['URL-safe base64 with padding', (s: string) => b64url(s) + '='.repeat((4 - (b64url(s).length % 4)) % 4)],
    ['lower-case hex', (s: string) => hex(s)],
    ['upper-case hex', (s: string) => hex(s).toUpperCase()],
    ['URLSearchParams', (s: string) => new URLSearchParams({ k: s }).toString().slice(2)],
    ['encodeURI', (s: string) => encodeURI(s)],
  ])('redacts the secret encoded as %s', (_name, encode) => {
    for (const secret of ['sk_live_51Hq8x~Zy', "pa ss/wo+rd?&'()!", 'tøkên-ümlaut-ß']) {
      const text = `sent ${encode(secret)} here`;
      const redacted = redactSecrets(text, [secret]);
      expect(redacted).toContain('***');
      expect(secretLeaks(redacted, secret)).toEqual([]);
    }
  });

  it('redacts base64 of a text the secret is only part of, at each of the 3 byte alignments', () => {
    const secret = 'tok_9f8e7d6c5b4a';
    for (const id of ['', 'a', 'ab', 'abc', 'site-42', 'me@example.com/token']) {
      for (const suffix of ['', ':', 'xy', ':end!']) {
        const basic = `${id}:${secret}${suffix}`;
        for (const encoded of [b64(basic), b64url(basic), b64(basic).replace(/=+$/, '')]) {
          const redacted = redactSecrets(`{"Authorization":"Basic ${encoded}","other":"kept"}`, [secret]);
          expect(secretLeaks(redacted, secret), `${basic} as ${encoded}`).toEqual([]);
          expect(redacted).toContain('"other":"kept"');
        }
      }
    }
  });

  it('leaves base64 that does not contain a secret alone', () => {
    const text = `data=${b64('{"event":"signup","distinct_id":"u1"}')}`;
    expect(redactSecrets(text, ['tok_9f8e7d6c5b4a'])).toBe(text);
  });

  it('redacts every string of a value, keys included, without breaking its structure', () => {
    const secret = 'ab\\cd"ef-secret';
    const value = { url: `https://x.io/?k=${encodeURIComponent(secret)}`, list: [secret, 3, null], [secret]: { auth: `Basic ${b64(`id:${secret}`)}` } };
    const redacted = redactDeep(value, [secret]);
    expect(secretLeaks(JSON.stringify(redacted), secret)).toEqual([]);
    expect(redacted).toEqual({ url: 'https://x.io/?k=***', list: ['***', 3, null], '***': { auth: 'Basic ***' } });
  });

  it('masks headers an inputs schema lists in secret_headers, and proxy and cookie headers', () => {
    const names = secretHeadersOf(
      [{ key: 'token', type: 'string', secret: true, secret_headers: ['X-Shop-Key', 7 as unknown as string] }],
      [{ key: 'other', type: 'string', secret_headers: 'not a list' as unknown as string[] }],
      undefined,
    );
    expect(names).toEqual(['X-Shop-Key']);
    expect(redactHeaders({ 'x-shop-key': 'plain', 'Proxy-Authorization': 'Basic x', 'Set-Cookie': 'sid=1', 'x-other': 'plain' }, [], names)).toEqual({
      'x-shop-key': '***',
      'Proxy-Authorization': '***',
      'Set-Cookie': '***',
      'x-other': 'plain',
    });
  });

  it('collects the string and number leaves of a secret input', () => {
    expect(collectSecretValues({ user: 'me', pass: ['pw12', 123456], on: true, none: null })).toEqual([
      'me',
      'pw12',
      '123456',
    ]);
  });

  it('masks credential headers by name and redacts secret values from the others', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer sk_live_1',
          cookie: 'a=b',
          'X-Api-Key': 'k',
          'x-webhook-secret': 's',
          'X-Auth-Token': 't',
          'content-type': 'application/json',
          'x-trace': 'id-sk_live_2',
          'x-multi': ['one', 'two'],
          'x-absent': undefined,
        },
        ['sk_live_2'],
      ),
    ).toEqual({
      Authorization: '***',
      cookie: '***',
      'X-Api-Key': '***',
      'x-webhook-secret': '***',
      'X-Auth-Token': '***',
      'content-type': 'application/json',
      'x-trace': 'id-***',
      'x-multi': 'one, two',
    });
  });
});
