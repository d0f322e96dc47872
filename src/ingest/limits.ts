/** Size limits of intake. Both are configurable; the defaults follow PostHog's capture. */
export interface IngestLimits {
  /** Largest request body, after decompression and base64 decoding. */
  maxBodyBytes: number;
  /** Largest single event (its properties serialized as JSON). */
  maxEventBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBodyBytes: 20 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
};

export function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
