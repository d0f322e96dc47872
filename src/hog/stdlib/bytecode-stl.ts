/**
 * The bytecode STL: `arrayMap`, `arrayFilter`, `arrayExists`, `arrayCount`,
 * `arrayReduce`, `sortableSemver`, `inCohort`, `notInCohort`. Each is the body of the Hog function
 * in `bytecode-stl.hog.ts`, hand-assembled per PostHog's compilation schemes; the VM runs it as
 * chunk `stl/<name>` with the parameters in locals 0..n-1. A test compiles the sources and checks
 * they match.
 */
import { BYTECODE_MARKER, BYTECODE_VERSION, Op } from '../bytecode/opcodes.js';
import type { BytecodeStlFunction } from './types.js';

type Cell = string | number | boolean | null;
type Code = Cell[];

const get = (slot: number): Code => [Op.GET_LOCAL, slot];
const set = (slot: number): Code => [Op.SET_LOCAL, slot];
const callGlobal = (name: string, argc: number): Code => [Op.CALL_GLOBAL, name, argc];
const callLocal = (fnSlot: number, argc: number): Code => [Op.GET_LOCAL, fnSlot, Op.CALL_LOCAL, argc];
const ret = (...value: Code): Code => [...value, Op.RETURN];
const pops = (n: number): Code => Array<Cell>(n).fill(Op.POP);

/** `if (cond) { then }` with no else: `<c> JUMP_IF_FALSE len(then) <then>`. */
const ifThen = (cond: Code, then: Code): Code => [...cond, Op.JUMP_IF_FALSE, then.length, ...then];

/** `x == null` compiles as `<right> <left> EQ`. */
const isNull = (slot: number): Code => [Op.NULL, ...get(slot), Op.EQ];

/**
 * `for (let v in <expr>) { body }` with hidden locals at `base`: expr, values, index (1-based),
 * limit, then `v` at `base + 4`, all popped when the loop ends.
 */
function forIn(base: number, expr: Code, body: (v: number) => Code): Code {
  const [values, index, limit, v] = [base + 1, base + 2, base + 3, base + 4];
  const setup = [...expr, ...get(base), ...callGlobal('values', 1), Op.INTEGER, 1, ...get(values), ...callGlobal('length', 1), Op.NULL];
  const cond = [...get(limit), ...get(index), Op.LT_EQ];
  const step = [...get(values), ...get(index), Op.GET_PROPERTY, ...set(v), ...body(v), ...get(index), Op.INTEGER, 1, Op.PLUS, ...set(index)];
  const loop = [...cond, Op.JUMP_IF_FALSE, step.length + 2, ...step, Op.JUMP, -(cond.length + 2 + step.length + 2)];
  return [...setup, ...loop, ...pops(5)];
}

function program(...parts: Code[]): Code {
  return [BYTECODE_MARKER, BYTECODE_VERSION, ...parts.flat()];
}

// func = 0, arr = 1, result = 2
const arrayMap = program(
  [Op.ARRAY, 0],
  forIn(3, get(1), (x) => [...get(2), ...get(x), ...callLocal(0, 1), ...callGlobal('arrayPushBack', 2), ...set(2)]),
  ret(...get(2)),
  pops(1),
);

// func = 0, arr = 1, result = 2
const arrayFilter = program(
  [Op.ARRAY, 0],
  forIn(3, get(1), (x) => ifThen([...get(x), ...callLocal(0, 1)], [...get(2), ...get(x), ...callGlobal('arrayPushBack', 2), ...set(2)])),
  ret(...get(2)),
  pops(1),
);

// func = 0, arr = 1
const arrayExists = program(
  forIn(2, get(1), (x) => ifThen([...get(x), ...callLocal(0, 1)], ret(Op.TRUE))),
  ret(Op.FALSE),
);

// func = 0, arr = 1, count = 2
const arrayCount = program(
  [Op.INTEGER, 0],
  forIn(3, get(1), (x) => ifThen([...get(x), ...callLocal(0, 1)], [Op.INTEGER, 1, ...get(2), Op.PLUS, ...set(2)])),
  ret(...get(2)),
  pops(1),
);

// func = 0, arr = 1, initial = 2, acc = 3
const arrayReduce = program(
  get(2),
  forIn(4, get(1), (x) => [...get(3), ...get(x), ...callLocal(0, 2), ...set(3)]),
  ret(...get(3)),
  pops(1),
);

// version = 0, found = 1, result = 2
const sortableSemver = program(
  ifThen(isNull(0), ret(Op.ARRAY, 0)),
  [...get(0), Op.STRING, '(\\d+(\\.\\d+)+)', ...callGlobal('extractRegex', 2)],
  ifThen([...get(1), ...callGlobal('empty', 1)], ret(Op.ARRAY, 0)),
  [Op.ARRAY, 0],
  forIn(3, [Op.STRING, '.', ...get(1), ...callGlobal('splitByString', 2)], (part) => [
    ...get(2), ...get(part), ...callGlobal('toInt', 1), ...callGlobal('arrayPushBack', 2), ...set(2),
  ]),
  ret(...get(2)),
  pops(2),
);

// cohortId = 0, cohortIds = 1
function cohortCheck(name: string, found: boolean): Code {
  const message = `${name}() requires cohort membership to be loaded for this evaluation`;
  return program(
    ifThen(isNull(1), [Op.STRING, message, ...callGlobal('Error', 1), Op.THROW]),
    forIn(2, get(1), (id) => ifThen([...get(0), ...get(id), Op.EQ], ret(found ? Op.TRUE : Op.FALSE))),
    ret(found ? Op.FALSE : Op.TRUE),
  );
}

export const BYTECODE_STL_FUNCTIONS: Record<string, BytecodeStlFunction> = {
  arrayMap: { params: ['func', 'arr'], bytecode: arrayMap },
  arrayFilter: { params: ['func', 'arr'], bytecode: arrayFilter },
  arrayExists: { params: ['func', 'arr'], bytecode: arrayExists },
  arrayCount: { params: ['func', 'arr'], bytecode: arrayCount },
  arrayReduce: { params: ['func', 'arr', 'initial'], bytecode: arrayReduce },
  sortableSemver: { params: ['version'], bytecode: sortableSemver },
  inCohort: { params: ['cohortId', 'cohortIds'], bytecode: cohortCheck('inCohort', true) },
  notInCohort: { params: ['cohortId', 'cohortIds'], bytecode: cohortCheck('notInCohort', false) },
};
