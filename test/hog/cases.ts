/**
 * Reads the conformance programs in `test/hog/`: each `.hog` file states what it must print with
 * `// expect: <line>` comments (in order), and how it must fail with `// expect runtime error: <text>`
 * or `// expect compile error: <text>` (the text must appear in stderr). `// args: …` adds CLI
 * arguments; a sibling `<name>.globals.json` is passed as `--globals`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface HogCase {
  name: string;
  file: string;
  source: string;
  expectedLines: string[];
  expectedError?: { kind: 'runtime' | 'compile'; text: string };
  args: string[];
  globalsFile?: string;
  /** Marked `// ref-only:`: the reference deliberately differs from @posthog/hogvm here. */
  refOnly: boolean;
}

const EXPECT = /\/\/ expect: ?(.*)$/;
const EXPECT_ERROR = /\/\/ expect (runtime|compile) error: (.*)$/;
const ARGS = /^\/\/ args: (.*)$/;

export function parseCase(file: string, name: string): HogCase {
  const source = readFileSync(file, 'utf8');
  const hogCase: HogCase = { name, file, source, expectedLines: [], args: [], refOnly: false };
  for (const line of source.split('\n')) {
    const error = EXPECT_ERROR.exec(line);
    const expect = EXPECT.exec(line);
    const args = ARGS.exec(line);
    if (error) hogCase.expectedError = { kind: error[1] as 'runtime' | 'compile', text: error[2]!.trim() };
    else if (expect) hogCase.expectedLines.push(expect[1]!);
    if (args) hogCase.args.push(...args[1]!.trim().split(/\s+/));
    if (line.startsWith('// ref-only:')) hogCase.refOnly = true;
  }
  const globalsFile = file.replace(/\.hog$/, '.globals.json');
  if (existsSync(globalsFile)) hogCase.globalsFile = globalsFile;
  return hogCase;
}

export function loadCases(dir: string, prefix = ''): HogCase[] {
  const cases: HogCase[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) cases.push(...loadCases(path, `${prefix}${entry.name}/`));
    else if (entry.name.endsWith('.hog')) cases.push(parseCase(path, prefix + basename(entry.name, '.hog')));
  }
  return cases;
}
