/**
 * The runtime's logger: the part of a pino logger it calls. Each component asks only for the methods it
 * uses (`Pick`), so a caller or test can pass a smaller object.
 */
export interface RuntimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: Record<string, unknown>): RuntimeLogger;
}

/** What the matcher, the worker and the health monitor log through. */
export type WarnErrorLogger = Pick<RuntimeLogger, 'warn' | 'error'>;
