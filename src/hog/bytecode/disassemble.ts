/**
 * A debugging aid, like clox's `debug.c`: one instruction per line with its index, name and operands.
 *
 *   0002 INTEGER 2
 *   0004 CALL_GLOBAL 'print' 1
 *   0007 JUMP 4 -> 0013
 *
 * Function bodies are inline in Hog bytecode (after CALLABLE), so they are listed in place; jump
 * targets are shown as absolute indexes. Unknown opcodes and truncated operands are reported on
 * their line rather than thrown.
 */
import { LEGACY_BYTECODE_MARKER, OPERAND_COUNT, OP_NAMES, type Bytecode, type OpName } from './opcodes.js';

export function disassemble(bytecode: Bytecode): string {
  const lines: string[] = [];
  let ip = headerLength(bytecode);
  while (ip < bytecode.length) {
    const { text, next } = instruction(bytecode, ip);
    lines.push(`${pad(ip)} ${text}`);
    ip = next;
  }
  return lines.join('\n');
}

function headerLength(bytecode: Bytecode): number {
  if (bytecode[0] === LEGACY_BYTECODE_MARKER) return 1;
  if (typeof bytecode[0] === 'string') return 2;
  return 0;
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

function formatOperand(value: Bytecode[number] | undefined): string {
  if (value === undefined) return '<missing>';
  return typeof value === 'string' ? JSON.stringify(value).replace(/^"|"$/g, "'") : String(value);
}

/** An instruction's operands; `undefined` past the end of the bytecode. */
type Operands = (Bytecode[number] | undefined)[];

function instruction(bytecode: Bytecode, ip: number): { text: string; next: number } {
  const code = bytecode[ip];
  const name: OpName | undefined = typeof code === 'number' ? OP_NAMES[code] : undefined;
  if (name === undefined) return { text: `<unknown ${formatOperand(code)}>`, next: ip + 1 };
  const count = name === 'CLOSURE' ? closureOperandCount(bytecode, ip) : OPERAND_COUNT[name];
  // A truncated program: missing operands are shown as <missing>.
  const operands: Operands = bytecode.slice(ip + 1, ip + 1 + count);
  while (operands.length < count) operands.push(undefined);
  const next = ip + 1 + count;
  return { text: [name, ...operands.map(formatOperand)].join(' ') + annotation(name, operands, next), next };
}

function closureOperandCount(bytecode: Bytecode, ip: number): number {
  const n = bytecode[ip + 1];
  return typeof n === 'number' ? 1 + 2 * n : 1;
}

/** Where jumps land and where a CALLABLE's body ends, as absolute indexes. */
function annotation(name: OpName, operands: Operands, next: number): string {
  const offsetAt = (i: number): number | null => {
    const operand = operands[i];
    return typeof operand === 'number' ? operand : null;
  };
  switch (name) {
    case 'JUMP':
    case 'JUMP_IF_FALSE':
    case 'JUMP_IF_STACK_NOT_NULL':
    case 'TRY': {
      const off = offsetAt(0);
      return off === null ? '' : ` -> ${pad(next + off)}`;
    }
    case 'CALLABLE': {
      const len = offsetAt(3);
      return len === null ? '' : ` (body ${pad(next)}..${pad(next + len - 1)})`;
    }
    default:
      return '';
  }
}
