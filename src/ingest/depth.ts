/** Where nesting first went past the cap, e.g. `properties.a.b[0]…`. */
export interface TooDeep {
  path: string;
}

const PATH_SEGMENTS_SHOWN = 6;

/**
 * Checks that a parsed JSON value nests at most `maxDepth` levels (the value itself is level 1). The walk
 * keeps its own stack instead of recursing, so it cannot overflow on the very input it is meant to stop;
 * it stops at the first container past the cap, and visits each container once (parsed JSON has no
 * shared references or cycles). It runs on every captured event, so the common case only counts; the
 * path for the error is worked out by a second walk when the check fails.
 */
export function findTooDeep(root: unknown, maxDepth: number): TooDeep | null {
  if (typeof root !== 'object' || root === null) return null;
  const values: object[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return { path: pathToDepth(root, maxDepth + 1) };
    if (Array.isArray(value)) {
      for (const child of value as unknown[]) if (typeof child === 'object' && child !== null) pushChild(values, depths, child, depth);
    } else {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const child = record[key];
        if (typeof child === 'object' && child !== null) pushChild(values, depths, child, depth);
      }
    }
  }
  return null;
}

function pushChild(values: object[], depths: number[], child: object, parentDepth: number): void {
  values.push(child);
  depths.push(parentDepth + 1);
}

/** One container met by the path walk, linked to its parent so the path is rebuilt once found. */
interface Frame {
  value: object;
  depth: number;
  key: string | number | null;
  parent: Frame | null;
}

/** The path of the first container at `depth` (it exists: the counting walk found it). */
function pathToDepth(root: object, depth: number): string {
  const stack: Frame[] = [{ value: root, depth: 1, key: null, parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth === depth) return pathOf(frame);
    const entries: [string | number, unknown][] = Array.isArray(frame.value) ? frame.value.map((v, i) => [i, v]) : Object.entries(frame.value);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return '';
}

function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f !== null; f = f.parent) if (f.key !== null) keys.push(f.key);
  keys.reverse();
  const shown = keys.slice(0, PATH_SEGMENTS_SHOWN).map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`));
  return shown.join('') + (keys.length > PATH_SEGMENTS_SHOWN ? '…' : '');
}
