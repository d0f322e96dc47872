/**
 * The instruction set, numbered exactly as PostHog's bytecode, so bytecode moves
 * between Sluice and PostHog unchanged. This is the single list: the compiler, the VM and the
 * disassembler each switch over it exhaustively.
 */
export const Op = {
  GET_GLOBAL: 1,
  CALL_GLOBAL: 2,
  AND: 3,
  OR: 4,
  NOT: 5,
  PLUS: 6,
  MINUS: 7,
  MULTIPLY: 8,
  DIVIDE: 9,
  MOD: 10,
  EQ: 11,
  NOT_EQ: 12,
  GT: 13,
  GT_EQ: 14,
  LT: 15,
  LT_EQ: 16,
  LIKE: 17,
  ILIKE: 18,
  NOT_LIKE: 19,
  NOT_ILIKE: 20,
  IN: 21,
  NOT_IN: 22,
  REGEX: 23,
  NOT_REGEX: 24,
  IREGEX: 25,
  NOT_IREGEX: 26,
  IN_COHORT: 27,
  NOT_IN_COHORT: 28,
  TRUE: 29,
  FALSE: 30,
  NULL: 31,
  STRING: 32,
  INTEGER: 33,
  FLOAT: 34,
  POP: 35,
  GET_LOCAL: 36,
  SET_LOCAL: 37,
  RETURN: 38,
  JUMP: 39,
  JUMP_IF_FALSE: 40,
  DECLARE_FN: 41,
  DICT: 42,
  ARRAY: 43,
  TUPLE: 44,
  GET_PROPERTY: 45,
  SET_PROPERTY: 46,
  JUMP_IF_STACK_NOT_NULL: 47,
  GET_PROPERTY_NULLISH: 48,
  THROW: 49,
  TRY: 50,
  POP_TRY: 51,
  CALLABLE: 52,
  CLOSURE: 53,
  CALL_LOCAL: 54,
  GET_UPVALUE: 55,
  SET_UPVALUE: 56,
  CLOSE_UPVALUE: 57,
} as const;

export type OpName = keyof typeof Op;
export type OpCode = (typeof Op)[OpName];

/** Name of an opcode number, for disassembly and error messages. */
export const OP_NAMES: Record<number, OpName> = Object.fromEntries(
  Object.entries(Op).map(([name, code]) => [code, name as OpName]),
);

/**
 * Number of inline operands after each opcode, except CLOSURE whose length depends on its first
 * operand (n, then n pairs).
 */
export const OPERAND_COUNT: Record<OpName, number> = {
  GET_GLOBAL: 1,
  CALL_GLOBAL: 2,
  AND: 1,
  OR: 1,
  NOT: 0,
  PLUS: 0,
  MINUS: 0,
  MULTIPLY: 0,
  DIVIDE: 0,
  MOD: 0,
  EQ: 0,
  NOT_EQ: 0,
  GT: 0,
  GT_EQ: 0,
  LT: 0,
  LT_EQ: 0,
  LIKE: 0,
  ILIKE: 0,
  NOT_LIKE: 0,
  NOT_ILIKE: 0,
  IN: 0,
  NOT_IN: 0,
  REGEX: 0,
  NOT_REGEX: 0,
  IREGEX: 0,
  NOT_IREGEX: 0,
  IN_COHORT: 0,
  NOT_IN_COHORT: 0,
  TRUE: 0,
  FALSE: 0,
  NULL: 0,
  STRING: 1,
  INTEGER: 1,
  FLOAT: 1,
  POP: 0,
  GET_LOCAL: 1,
  SET_LOCAL: 1,
  RETURN: 0,
  JUMP: 1,
  JUMP_IF_FALSE: 1,
  DECLARE_FN: 3,
  DICT: 1,
  ARRAY: 1,
  TUPLE: 1,
  GET_PROPERTY: 0,
  SET_PROPERTY: 0,
  JUMP_IF_STACK_NOT_NULL: 1,
  GET_PROPERTY_NULLISH: 0,
  THROW: 0,
  TRY: 1,
  POP_TRY: 0,
  CALLABLE: 4,
  CLOSURE: 1,
  CALL_LOCAL: 1,
  GET_UPVALUE: 1,
  SET_UPVALUE: 1,
  CLOSE_UPVALUE: 0,
};

/** A program's bytecode: `["_H", 1, op, operands…]` or the legacy `["_h", op, …]`. */
export type Bytecode = (string | number | boolean | null)[];

export const BYTECODE_MARKER = '_H';
export const LEGACY_BYTECODE_MARKER = '_h';
export const BYTECODE_VERSION = 1;
