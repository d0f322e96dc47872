/**
 * Reading a chain of names from the host's globals (`GET_GLOBAL`), shared by the VM and by hosts that
 * answer a template reading only such a chain (`{event.properties.price}`) without starting the VM.
 */
import { Op, type Bytecode } from '../bytecode/opcodes.js';
import { HogVMError } from '../errors.js';
import type { HogValue } from '../values.js';

/** A global chain read on plain host data: a missing nested key is null. */
export function readGlobalChain(globals: Record<string, unknown>, chain: HogValue[]): unknown {
  let value: unknown = globals;
  for (const key of chain) {
    if (value === null || value === undefined) return null;
    if (value instanceof Map) value = value.get(key);
    else if (Array.isArray(value)) {
      if (typeof key !== 'number') return null;
      if (key === 0) throw new HogVMError('Hog arrays start from index 1');
      value = key > 0 ? value[key - 1] : value[value.length + key];
    } else if (typeof value === 'object' && (typeof key === 'string' || typeof key === 'number')) {
      value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : null;
    } else return null;
  }
  return value ?? null;
}

/**
 * The names an expression's bytecode reads when it is nothing but one chain of them (`event.properties.price`),
 * first name first, else null. Such bytecode is the names pushed last-first, then `GET_GLOBAL n`.
 */
export function plainGlobalChain(bytecode: Bytecode): string[] | null {
  const n = (bytecode.length - 4) / 2;
  if (!Number.isInteger(n) || n < 1 || bytecode[bytecode.length - 2] !== Op.GET_GLOBAL || bytecode[bytecode.length - 1] !== n) return null;
  if (bytecode[0] !== '_H' && bytecode[0] !== '_h') return null;
  const chain = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const name = bytecode[3 + 2 * i];
    if (bytecode[2 + 2 * i] !== Op.STRING || typeof name !== 'string') return null;
    chain[n - 1 - i] = name;
  }
  return chain;
}
