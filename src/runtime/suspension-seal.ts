/**
 * Suspensions at rest. A suspension holds what the secret inputs became — the pending request's URL,
 * headers and body, the VM's stack — so it leaves the runner only encrypted with the keyring
 * (AES-256-GCM, `destinations/secrets.ts`), in the shape the store accepts: `{"encrypted": "v1:…"}`.
 * Sealing happens where the run happens (the main thread or a delivery thread), so the plaintext never
 * crosses a thread boundary, reaches the store, or lands in the WAL.
 *
 * Inside the ciphertext, beside the suspension, is the version of the destination it was made with: a
 * suspension from an older version is not resumed (see `runner.ts`).
 */
import type { Keyring } from '../destinations/secrets.js';
import type { JsonObject } from '../store/store.js';
import type { Suspension } from './executor.js';

interface Envelope {
  destinationVersion: number;
  suspension: Suspension;
}

export type OpenedSuspension = { ok: true; destinationVersion: number; suspension: Suspension } | { ok: false; why: string };

/** The suspension encrypted, with the destination version it belongs to, as the store keeps it. */
export function sealSuspension(keyring: Keyring, suspension: Suspension, destinationVersion: number): JsonObject {
  const envelope: Envelope = { destinationVersion, suspension };
  return { encrypted: keyring.encrypt(envelope) };
}

/** Whether a stored suspension has the sealed shape (not whether it decrypts). */
export function isSealedSuspension(stored: unknown): stored is { encrypted: string } {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return false;
  const keys = Object.keys(stored);
  return keys.length === 1 && typeof (stored as { encrypted?: unknown }).encrypted === 'string';
}

/** The suspension back, or why it cannot be used (not sealed, unknown key, tampered, malformed). */
export function openSuspension(keyring: Keyring, stored: JsonObject): OpenedSuspension {
  if (!isSealedSuspension(stored)) return { ok: false, why: 'it was stored unencrypted by an older version of Sluice' };
  let envelope: unknown;
  try {
    envelope = keyring.decrypt(stored.encrypted);
  } catch (error) {
    return { ok: false, why: `it cannot be decrypted (${(error as Error).message})` };
  }
  const { destinationVersion, suspension } = (envelope ?? {}) as Partial<Envelope>;
  if (typeof destinationVersion !== 'number' || typeof suspension !== 'object' || suspension === null || typeof suspension.request?.url !== 'string') {
    return { ok: false, why: 'its content is not a suspension' };
  }
  return { ok: true, destinationVersion, suspension };
}
