/**
 * The Hog source of the bytecode STL. `bytecode-stl.ts` holds the same
 * functions hand-assembled per PostHog's compilation schemes; a test compiles these sources and
 * checks the two agree instruction for instruction.
 *
 * The array functions iterate `values(arr)`, so a dict iterates its values and a null or non-array
 * input runs zero times (giving `[]`, `false`, `0` or `initial`).
 */

export interface BytecodeStlSource {
  params: string[];
  /** A Hog function declaration named as the STL function. */
  source: string;
}

export const BYTECODE_STL_SOURCES: Record<string, BytecodeStlSource> = {
  arrayMap: {
    params: ['func', 'arr'],
    source: `fun arrayMap(func, arr) {
  let result := []
  for (let x in arr) {
    result := arrayPushBack(result, func(x))
  }
  return result
}`,
  },
  arrayFilter: {
    params: ['func', 'arr'],
    source: `fun arrayFilter(func, arr) {
  let result := []
  for (let x in arr) {
    if (func(x)) {
      result := arrayPushBack(result, x)
    }
  }
  return result
}`,
  },
  arrayExists: {
    params: ['func', 'arr'],
    source: `fun arrayExists(func, arr) {
  for (let x in arr) {
    if (func(x)) {
      return true
    }
  }
  return false
}`,
  },
  arrayCount: {
    params: ['func', 'arr'],
    source: `fun arrayCount(func, arr) {
  let count := 0
  for (let x in arr) {
    if (func(x)) {
      count := count + 1
    }
  }
  return count
}`,
  },
  arrayReduce: {
    params: ['func', 'arr', 'initial'],
    source: `fun arrayReduce(func, arr, initial) {
  let acc := initial
  for (let x in arr) {
    acc := func(acc, x)
  }
  return acc
}`,
  },
  sortableSemver: {
    params: ['version'],
    source: `fun sortableSemver(version) {
  if (version == null) {
    return []
  }
  let found := extractRegex(version, '(\\\\d+(\\\\.\\\\d+)+)')
  if (empty(found)) {
    return []
  }
  let result := []
  for (let part in splitByString('.', found)) {
    result := arrayPushBack(result, toInt(part))
  }
  return result
}`,
  },
  inCohort: {
    params: ['cohortId', 'cohortIds'],
    source: `fun inCohort(cohortId, cohortIds) {
  if (cohortIds == null) {
    throw Error('inCohort() requires cohort membership to be loaded for this evaluation')
  }
  for (let id in cohortIds) {
    if (id == cohortId) {
      return true
    }
  }
  return false
}`,
  },
  notInCohort: {
    params: ['cohortId', 'cohortIds'],
    source: `fun notInCohort(cohortId, cohortIds) {
  if (cohortIds == null) {
    throw Error('notInCohort() requires cohort membership to be loaded for this evaluation')
  }
  for (let id in cohortIds) {
    if (id == cohortId) {
      return false
    }
  }
  return true
}`,
  },
};
