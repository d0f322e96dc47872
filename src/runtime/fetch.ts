/**
 * The fetch executor: performs the HTTP request a suspended Hog program asked for.
 *
 * - One undici `Agent` per executor: a keep-alive pool per origin, reused across invocations.
 * - 10 s deadline for the whole exchange (connect, headers and body), redirects never followed (a 3xx is
 *   returned as is), responses capped at 1 MiB (the rest is never read; `truncated: true`).
 * - SSRF guard: private, loopback, link-local, CGNAT, multicast, reserved and unspecified targets are
 *   refused unless allow-listed (`SLUICE_FETCH_ALLOW_HOSTS`). IP literals are checked before dispatch;
 *   hostnames are checked on the *resolved* addresses inside the connector's DNS lookup, so the address
 *   checked is the address connected to and DNS rebinding cannot slip past.
 * - Every response is returned whatever its status: whether a non-2xx is an error of the invocation is the
 *   Hog code's decision. Thrown errors are delivery outcomes from `./errors.ts`.
 *
 * The status table that decides what is retried lives here and only here (`classifyResponse`).
 */

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';
import {
  AuthError,
  DeliveryError,
  InputValidationError,
  RetryableError,
  TemplateError,
  type RuntimeErrorCodeOf,
} from './errors.js';

// ---------------------------------------------------------------------------------------------------------
// Shapes

export interface FetchRequest {
  url: string;
  /** Default `POST`. */
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else is JSON-encoded (with `content-type: application/json` unless set). */
  body?: unknown;
}

export interface FetchResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown;
  /** True when the body was cut at the size cap; the rest was never read. */
  truncated: boolean;
}

export type ResponseClass = 'success' | 'retryable' | 'auth' | 'failure';

export interface FetchExecutorOptions {
  /** Targets allowed despite the SSRF guard; a parsed list or the raw `SLUICE_FETCH_ALLOW_HOSTS` text. */
  allowList?: AllowList | string | readonly string[];
  /** Deadline for one whole request (connect, headers, body). Default 10 000. */
  timeoutMs?: number;
  /** Response body cap in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Connections per origin. Default 64 (what the loopback measurements in docs/runtime.md used). */
  connections?: number;
  /** Requests in flight per connection. Default 1 (keep-alive without pipelining: safe with any server). */
  pipelining?: number;
  /**
   * Idle keep-alive sockets are closed after this (undici also honours a shorter `Keep-Alive: timeout=`
   * hint). Default 4 000, undici's own: a longer idle time risks writing to a socket the server already
   * closed, which turns into a reset and a retry.
   */
  keepAliveTimeoutMs?: number;
  /** Sent unless the request sets its own. */
  userAgent?: string;
  /** DNS resolver under the guard; default `dns.lookup`. Tests inject one to simulate rebinding. */
  lookup?: LookupFunction;
}

export interface FetchExecutor {
  fetch(request: FetchRequest): Promise<FetchResponse>;
  close(): Promise<void>;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const DEFAULT_USER_AGENT = 'Sluice';

// ---------------------------------------------------------------------------------------------------------
// Classification: the one status table

/** Statuses whose class differs from their range's. */
const STATUS_EXCEPTIONS: Readonly<Record<number, ResponseClass>> = {
  401: 'auth',
  403: 'auth',
  408: 'retryable',
  429: 'retryable',
};

/** `[first, last, class]`, checked in order after the exceptions. A 3xx is not followed, so it failed. */
const STATUS_RANGES: ReadonlyArray<readonly [number, number, ResponseClass]> = [
  [200, 299, 'success'],
  [300, 399, 'failure'],
  [400, 499, 'failure'],
  [500, 599, 'retryable'],
];

export function classifyResponse(status: number): ResponseClass {
  const exception = STATUS_EXCEPTIONS[status];
  if (exception) return exception;
  const range = STATUS_RANGES.find(([first, last]) => status >= first && status <= last);
  return range ? range[2] : 'failure';
}

/**
 * `Retry-After` in ms from `now`: delta-seconds or an HTTP date (a date in the past gives 0).
 * `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function isFetchResponse(value: unknown): value is FetchResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FetchResponse).status === 'number' &&
    typeof (value as FetchResponse).headers === 'object'
  );
}

/** For the runtime: retry a retryable status or a retryable error (network, timeout); nothing else. */
export function shouldRetry(outcome: FetchResponse | unknown): boolean {
  if (isFetchResponse(outcome)) return classifyResponse(outcome.status) === 'retryable';
  return outcome instanceof DeliveryError && outcome.retryable;
}

/** The wait the destination asked for, from a response's `Retry-After` or a `RetryableError`. */
export function retryAfterMsOf(outcome: FetchResponse | unknown, now: number = Date.now()): number | undefined {
  if (isFetchResponse(outcome)) return parseRetryAfter(outcome.headers['retry-after'], now);
  return outcome instanceof RetryableError ? outcome.retryAfterMs : undefined;
}

/**
 * The delivery outcome of a response when the runtime treats a non-2xx as an error (e.g. a template
 * that throws on failure): `null` for success.
 */
export function errorForResponse(response: FetchResponse, now: number = Date.now()): DeliveryError | null {
  const status = response.status;
  switch (classifyResponse(status)) {
    case 'success':
      return null;
    case 'retryable':
      return new RetryableError(`destination answered ${status}`, {
        status,
        retryAfterMs: retryAfterMsOf(response, now),
      });
    case 'auth':
      return new AuthError(`destination refused the credentials (${status})`, { status });
    case 'failure':
      return new TemplateError(`destination answered ${status}`, { status, code: 'SLUICE_ERR_RUNTIME_HTTP_FAILURE' });
  }
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses and ranges

interface Ip {
  family: 4 | 6;
  value: bigint;
}

interface Cidr extends Ip {
  prefix: number;
  text: string;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6Groups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const pieces = text.split(':');
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === null) return null;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseIpv6Groups(halves[0]!);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** Parses an IPv4 or IPv6 literal (brackets and a zone id are tolerated); `null` if it is not one. */
export function parseIp(text: string): Ip | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(bare);
  if (kind === 4) {
    const value = parseIpv4(bare);
    return value === null ? null : { family: 4, value };
  }
  if (kind === 6) {
    const value = parseIpv6(bare);
    return value === null ? null : { family: 6, value };
  }
  return null;
}

function parseCidr(text: string): Cidr | null {
  const [address, prefixText, ...rest] = text.split('/');
  if (rest.length > 0 || address === undefined) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const bits = ip.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  return { ...ip, prefix, text };
}

function inCidr(ip: Ip, cidr: Cidr): boolean {
  if (ip.family !== cidr.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - cidr.prefix);
  return ip.value >> shift === cidr.value >> shift;
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in CIDR ${text}`);
  return parsed;
}

/** Ranges never reachable without an allow-list entry, with the name shown in the refusal. */
const BLOCKED_RANGES: ReadonlyArray<readonly [Cidr, string]> = [
  [cidr('0.0.0.0/8'), 'unspecified'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'carrier-grade NAT'],
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'IETF protocol assignments'],
  [cidr('192.0.2.0/24'), 'documentation'],
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'benchmarking'],
  [cidr('198.51.100.0/24'), 'documentation'],
  [cidr('203.0.113.0/24'), 'documentation'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('240.0.0.0/4'), 'reserved'],
  [cidr('::/128'), 'unspecified'],
  [cidr('::1/128'), 'loopback'],
  [cidr('100::/64'), 'discard-only'],
  [cidr('2001:db8::/32'), 'documentation'],
  [cidr('fc00::/7'), 'unique local'],
  [cidr('fe80::/10'), 'link-local'],
  [cidr('fec0::/10'), 'site-local'],
  [cidr('ff00::/8'), 'multicast'],
];

/** IPv6 ranges that carry an IPv4 address in the given bits: the embedded address is checked too. */
const EMBEDDED_IPV4: ReadonlyArray<readonly [Cidr, bigint]> = [
  [cidr('::ffff:0:0/96'), 0n], // IPv4-mapped
  [cidr('::/96'), 0n], // IPv4-compatible (deprecated)
  [cidr('64:ff9b::/96'), 0n], // NAT64
  [cidr('2002::/16'), 80n], // 6to4
];

/** The IPv4 address an IPv6 address stands for, if it embeds one. */
function embeddedIpv4(ip: Ip): Ip | null {
  if (ip.family !== 6) return null;
  const match = EMBEDDED_IPV4.find(([range]) => inCidr(ip, range));
  return match ? { family: 4, value: (ip.value >> match[1]) & 0xffffffffn } : null;
}

/** Why an address is off limits (`'loopback'`, `'private'`, …), or `null` when it is a public address. */
export function blockedRangeOf(address: string): string | null {
  const ip = parseIp(address);
  if (!ip) return 'not an IP address';
  const candidates = [ip, embeddedIpv4(ip)].filter((x): x is Ip => x !== null);
  for (const candidate of candidates) {
    const hit = BLOCKED_RANGES.find(([range]) => inCidr(candidate, range));
    if (hit) return hit[1];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Allow list

export interface AllowList {
  /** Exact host names (lower case, no trailing dot). */
  hosts: ReadonlySet<string>;
  /** `*.example.internal` entries, stored as `.example.internal`. */
  suffixes: readonly string[];
  cidrs: readonly Cidr[];
}

const HOSTNAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

function normalizeHostname(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/**
 * Parses `SLUICE_FETCH_ALLOW_HOSTS`-style text: comma-separated host names (`hooks.internal`, or
 * `*.internal` for every subdomain), IP addresses and CIDRs (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`).
 */
export function parseAllowList(input: string | readonly string[] = ''): AllowList {
  const entries = (typeof input === 'string' ? input.split(',') : input).map((e) => e.trim()).filter(Boolean);
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const cidrs: Cidr[] = [];
  for (const entry of entries) {
    const asCidr = parseCidr(entry);
    const name = normalizeHostname(entry);
    if (asCidr) cidrs.push(asCidr);
    else if (!entry.includes('/') && !name.includes(':') && HOSTNAME.test(name)) {
      if (name.startsWith('*.')) suffixes.push(name.slice(1));
      else hosts.add(name);
    } else {
      throw new InputValidationError(
        `SLUICE_FETCH_ALLOW_HOSTS: "${entry}" is neither a host name, an IP address nor a CIDR such as 10.0.0.0/8`,
        { field: 'SLUICE_FETCH_ALLOW_HOSTS' },
      );
    }
  }
  return { hosts, suffixes, cidrs };
}

/** The allow list an environment record's `SLUICE_FETCH_ALLOW_HOSTS` names (the process's own is read by `src/config.ts`). */
export function allowListFromEnv(env: Record<string, string | undefined>): AllowList {
  return parseAllowList(env.SLUICE_FETCH_ALLOW_HOSTS ?? '');
}

function isHostAllowed(allow: AllowList, host: string): boolean {
  const name = normalizeHostname(host);
  return allow.hosts.has(name) || allow.suffixes.some((suffix) => name.endsWith(suffix));
}

function isAddressAllowed(allow: AllowList, address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  const mapped = embeddedIpv4(ip);
  return allow.cidrs.some((range) => inCidr(ip, range) || (mapped !== null && inCidr(mapped, range)));
}

/** Why connecting to `address` (for `host`) is refused, or `null` when it is allowed. */
export function refusalReason(allow: AllowList, host: string, address: string): string | null {
  if (isHostAllowed(allow, host) || isAddressAllowed(allow, address)) return null;
  return blockedRangeOf(address);
}

function blockedTarget(host: string, address: string, range: string): InputValidationError {
  const via = normalizeHostname(host) === address ? '' : ` (resolved to ${address})`;
  return new InputValidationError(
    `fetch refused: ${host}${via} is a ${range} address; add the host or address to SLUICE_FETCH_ALLOW_HOSTS to allow it`,
    { code: 'SLUICE_ERR_RUNTIME_FETCH_TARGET_BLOCKED', field: 'url' },
  );
}

type LookupCallback = Parameters<LookupFunction>[2];

/**
 * A DNS lookup for the connector that resolves every address, drops the refused ones and fails when none
 * is left. The socket connects only to what this returns, so the check and the connection see the same
 * address (no time-of-check/time-of-use gap for DNS rebinding).
 */
export function createGuardedLookup(allow: AllowList, resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    if (isHostAllowed(allow, hostname)) return resolve(hostname, options, callback);
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]) as LookupAddress[];
      const usable = list.filter((entry) => refusalReason(allow, hostname, entry.address) === null);
      if (usable.length === 0) {
        const first = list[0]?.address ?? '';
        return callback(blockedTarget(hostname, first, blockedRangeOf(first) ?? 'refused') as NodeJS.ErrnoException, '');
      }
      if (options.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

// ---------------------------------------------------------------------------------------------------------
// Request preparation

interface PreparedRequest {
  target: Target;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

function invalidRequest(message: string, field: string): InputValidationError {
  return new InputValidationError(`fetch: ${message}`, { code: 'SLUICE_ERR_RUNTIME_FETCH_REQUEST_INVALID', field });
}

function parseTargetUrl(raw: unknown): URL {
  const fail = (message: string) =>
    new InputValidationError(`fetch: ${message}`, { code: 'SLUICE_ERR_RUNTIME_FETCH_URL_INVALID', field: 'url' });
  if (typeof raw !== 'string' || raw.trim() === '') throw fail('url must be a non-empty string');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fail(`"${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}" is not a valid absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fail(`only http and https URLs are allowed, got ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) throw fail('credentials in the URL are not supported; send an authorization header');
  if (!url.hostname) throw fail('the URL has no host');
  return url;
}

/** Where a request goes: checked once per URL text (`TargetCache`). */
interface Target {
  origin: string;
  /** Path and query. */
  path: string;
}

/**
 * The checked targets of the URLs requests were made to, by URL text: a destination sends every request
 * to the same few URLs, so each is parsed and checked against the allow list once, not per request. Only
 * URLs that passed are kept (a refused one throws each time); past `max` entries the oldest goes.
 */
class TargetCache {
  private readonly targets = new Map<string, Target>();

  constructor(
    private readonly allow: AllowList,
    private readonly max = 1_000,
  ) {}

  get(raw: unknown): Target {
    if (typeof raw === 'string') {
      const known = this.targets.get(raw);
      if (known !== undefined) return known;
    }
    const url = parseTargetUrl(raw);
    checkLiteralTarget(this.allow, url);
    const target = { origin: url.origin, path: `${url.pathname}${url.search}` };
    if (this.targets.size >= this.max) this.targets.delete(this.targets.keys().next().value!);
    this.targets.set(raw as string, target);
    return target;
  }
}

function checkLiteralTarget(allow: AllowList, url: URL): void {
  const host = normalizeHostname(url.hostname);
  if (!parseIp(host)) return;
  const range = refusalReason(allow, host, host);
  if (range) throw blockedTarget(host, host, range);
}

function headerValue(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidRequest(`header "${name}" must be a string, got ${value === null ? 'null' : typeof value}`, `headers.${name}`);
}

function toJson(body: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(body, (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value));
  } catch (error) {
    throw invalidRequest(`body cannot be encoded as JSON: ${(error as Error).message}`, 'body');
  }
  if (text === undefined) throw invalidRequest('body cannot be encoded as JSON', 'body');
  return text;
}

function prepareRequest(request: FetchRequest, targets: TargetCache, userAgent: string): PreparedRequest {
  if (typeof request !== 'object' || request === null) throw invalidRequest('request must be an object', '(root)');
  const target = targets.get(request.url);
  const method = (request.method ?? 'POST').toString().toUpperCase();
  if (!ALLOWED_METHODS.has(method)) {
    throw invalidRequest(`method must be one of ${[...ALLOWED_METHODS].join(', ')}, got "${method}"`, 'method');
  }
  const headers: Record<string, string> = {};
  const given: unknown = request.headers ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw invalidRequest('headers must be an object', 'headers');
  }
  const entries = given instanceof Map ? [...(given as Map<string, unknown>).entries()] : Object.entries(given);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = headerValue(name, value);
  }
  headers['user-agent'] ??= userAgent;
  let body: string | Uint8Array | undefined;
  if (request.body === undefined || request.body === null) body = undefined;
  else if (typeof request.body === 'string' || request.body instanceof Uint8Array) body = request.body;
  else {
    body = toJson(request.body);
    headers['content-type'] ??= 'application/json';
  }
  return { target, method, headers, body };
}

// ---------------------------------------------------------------------------------------------------------
// Response reading

/**
 * One response, read through undici's low-level handler interface (`Agent.dispatch`). `agent.request`
 * builds a readable stream, an async resource and an abort listener for every response, which was a
 * sixth of a delivery thread's time; most responses are one small chunk, so this keeps the chunks and
 * settles once. At most `limit` body bytes are kept: past them the request is aborted (the rest never
 * arrives) and the response is marked truncated.
 */
class ResponseCollector {
  private status = 0;
  private rawHeaders: ReadonlyArray<Buffer | string> = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  /** undici's abort for this request, once it is on a connection. */
  private abortRequest: ((reason: Error) => void) | null = null;
  /** Why the request was given up before it reached a connection. */
  private reason: Error | null = null;

  constructor(
    private readonly limit: number,
    private readonly resolve: (response: CollectedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** Gives the request up (its deadline passed): the caller hears it now, undici as soon as it can. */
  giveUp(reason: Error): void {
    if (!this.settle()) return;
    this.reject(reason);
    this.reason = reason;
    this.abortRequest?.(reason);
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.reason) abort(this.reason);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, _resume: () => void): boolean {
    // 1xx informational responses come before the real one.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.rawHeaders = rawHeaders ?? [];
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    if (this.size + chunk.byteLength > this.limit) {
      this.chunks.push(chunk.subarray(0, this.limit - this.size));
      this.size = this.limit;
      this.finish(true);
      this.abortRequest?.(new Error('the response body is over the size cap'));
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    return true;
  }

  onComplete(): void {
    this.finish(false);
  }

  onError(error: Error): void {
    if (this.settle()) this.reject(error);
  }

  /** True the first time: the caller's promise is settled once, whichever ending comes first. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    return true;
  }

  private finish(truncated: boolean): void {
    if (!this.settle()) return;
    this.resolve({ status: this.status, headers: headersFromRaw(this.rawHeaders), bytes: Buffer.concat(this.chunks, this.size), truncated });
  }
}

interface CollectedResponse {
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
  truncated: boolean;
}

/**
 * undici's raw headers (name, value, name, value…) as one lower-cased name each, repeated headers
 * joined with `, `; bytes read as Latin-1, as undici's own parsing (and HTTP) does. A header named
 * `__proto__` is left out: it cannot be a plain object's own key by assignment.
 */
function headersFromRaw(raw: ReadonlyArray<Buffer | string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = latin1(raw[i]!).toLowerCase();
    if (name === '__proto__') continue;
    const value = latin1(raw[i + 1]!);
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

function latin1(part: Buffer | string): string {
  return typeof part === 'string' ? part : part.toString('latin1');
}

/** JSON when the text parses as JSON (whatever the content type says), else the text. */
function decodeBody(text: string): unknown {
  if (text.trim() === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Errors from the wire

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function findDeliveryError(error: unknown): DeliveryError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof DeliveryError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const causeCode = (error as { cause?: { code?: unknown } })?.cause?.code;
  return String(typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : 'UNKNOWN');
}

/**
 * A failure while talking to the destination as a delivery outcome: our own refusals pass through,
 * timeouts and every network error (reset, refused, DNS, closed) are retryable, an argument undici
 * rejected is the request's fault.
 */
function toFetchError(error: unknown, origin: string, timedOut: boolean, timeoutMs: number): DeliveryError {
  const known = findDeliveryError(error);
  if (known) return known;
  const code = errorCode(error);
  const retryable = (message: string, kind: RuntimeErrorCodeOf<'retryable'>) =>
    new RetryableError(message, { code: kind, cause: error });
  if (timedOut || TIMEOUT_CODES.has(code)) {
    return retryable(`fetch to ${origin} timed out after ${timeoutMs} ms (${code})`, 'SLUICE_ERR_RUNTIME_FETCH_TIMEOUT');
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_CHAR') {
    return invalidRequest(`undici refused the request to ${origin}: ${(error as Error).message}`, '(request)');
  }
  const detail = error instanceof Error ? error.message : String(error);
  return retryable(`fetch to ${origin} failed: ${code}: ${detail}`, 'SLUICE_ERR_RUNTIME_FETCH_NETWORK');
}

// ---------------------------------------------------------------------------------------------------------
// The executor

function resolveAllowList(option: FetchExecutorOptions['allowList']): AllowList {
  if (option === undefined) return parseAllowList('');
  if (typeof option === 'string' || Array.isArray(option)) return parseAllowList(option as string | string[]);
  return option as AllowList;
}

/** Non-streaming `decode` keeps no state between calls, so one decoder serves every response. */
const utf8 = new TextDecoder();

export function createFetchExecutor(options: FetchExecutorOptions = {}): FetchExecutor {
  const allow = resolveAllowList(options.allowList);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const targets = new TargetCache(allow);
  const agent = new Agent({
    connections: options.connections ?? 64,
    pipelining: options.pipelining ?? 1,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs, lookup: createGuardedLookup(allow, options.lookup) },
  });

  async function fetch(request: FetchRequest): Promise<FetchResponse> {
    const prepared = prepareRequest(request, targets, userAgent);
    const origin = prepared.target.origin;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const response = await new Promise<CollectedResponse>((resolve, reject) => {
        const collector = new ResponseCollector(maxBytes, resolve, reject);
        timer = setTimeout(() => {
          timedOut = true;
          collector.giveUp(new DOMException('This operation was aborted', 'AbortError'));
        }, timeoutMs);
        agent.dispatch(
          {
            origin,
            path: prepared.target.path,
            method: prepared.method as 'POST',
            headers: prepared.headers,
            body: prepared.body ?? null,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          },
          collector,
        );
      });
      return {
        status: response.status,
        headers: response.headers,
        body: decodeBody(utf8.decode(response.bytes)),
        truncated: response.truncated,
      };
    } catch (error) {
      throw toFetchError(error, origin, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    fetch,
    close: () => agent.close(),
  };
}
