/**
 * `sluice test DESTINATION.json` through the built CLI (`node dist/src/cli/index.js test …`). The build is
 * refreshed first when dist is missing or older than the sources this command uses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !path.includes('__tests__')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const built = join(ROOT, 'dist/src/cli/test.js');
  const sources = Math.max(...['src/cli', 'src/templates', 'src/destinations', 'src/runtime'].map((d) => newestMtime(join(ROOT, d))));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
}

let dir: string;

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function sluiceTest(path: string) {
  const run = spawnSync(process.execPath, [CLI, 'test', path], { cwd: dir, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const HOG = `let res := fetch(inputs.url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json', 'Authorization': f'Bearer {inputs.token}'},
  'body': {'event': event.event, 'email': inputs.email}
})
if (res.status >= 400) {
  throw Error(f'Example API error (status {res.status})')
}
`;

const destination = {
  name: 'Example',
  hog: HOG,
  inputs_schema: [
    { key: 'url', type: 'string', required: true },
    { key: 'token', type: 'string', secret: true, templating: false, required: true },
    { key: 'email', type: 'string', default: '{person.properties.email}' },
  ],
  inputs: { url: { value: 'https://api.example.com/track' }, token: 'tok-secret-123' },
  filters: { events: [{ id: '$pageview', type: 'events' }] },
};

const request = (body: unknown) => ({
  method: 'POST',
  url: 'https://api.example.com/track',
  headers: { 'content-type': 'application/json', authorization: 'Bearer tok-secret-123' },
  body,
});

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sluice-test-command-'));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('sluice test DESTINATION.json', () => {
  it('prints a PASS line per fixture and exits 0 when every fixture passes', () => {
    const path = write('pass.json', {
      ...destination,
      fixtures: [
        {
          name: 'sends the event with the token',
          event: { event: '$pageview' },
          person: { properties: { email: 'max@example.com' } },
          inputs: {},
          expect: { requests: [request({ event: '$pageview', email: 'max@example.com' })], logsMustNotContain: ['tok-secret-123'] },
        },
        {
          name: 'fails on a 401',
          event: { event: '$pageview' },
          inputs: {},
          responses: [{ status: 401, body: { error: 'unauthorized' } }],
          expect: { status: 'failed', error: 'Example API error (status 401)', requests: [{ method: 'POST', url: 'https://api.example.com/track' }] },
        },
        { name: 'skips other events', event: { event: '$identify' }, inputs: {}, expect: { status: 'skipped', requests: [] } },
      ],
    });
    const { code, stdout } = sluiceTest(path);
    expect(stdout).toContain('PASS  sends the event with the token');
    expect(stdout).toContain('PASS  fails on a 401');
    expect(stdout).toContain('PASS  skips other events');
    expect(stdout).toContain('3 passed, 0 failed (3 fixtures)');
    expect(code).toBe(0);
  });

  it('prints FAIL with the differences and exits 1 when a fixture fails', () => {
    const path = write('fail.json', {
      ...destination,
      fixtures: [
        {
          name: 'expects another email',
          event: { event: '$pageview' },
          person: { properties: { email: 'max@example.com' } },
          inputs: {},
          expect: { requests: [request({ event: '$pageview', email: 'someone@example.com' })] },
        },
        { name: 'expects a skip that does not happen', event: { event: '$pageview' }, inputs: {}, expect: { status: 'skipped', requests: [] } },
      ],
    });
    const { code, stdout } = sluiceTest(path);
    expect(stdout).toContain('FAIL  expects another email');
    expect(stdout).toContain('request 1: body {"event":"$pageview","email":"max@example.com"}');
    expect(stdout).toContain('expected {"event":"$pageview","email":"someone@example.com"}');
    expect(stdout).toContain('FAIL  expects a skip that does not happen');
    expect(stdout).toContain('status succeeded, expected skipped');
    expect(stdout).toContain('0 passed, 2 failed (2 fixtures)');
    expect(code).toBe(1);
  });

  it('starts from a registered template with template_id and runs its own fixtures when the file has none', () => {
    const path = write('template.json', { template_id: 'template-discord' });
    const { code, stdout } = sluiceTest(path);
    expect(stdout).toMatch(/PASS {2}PostHog: posts the message with no mention pinging/);
    expect(stdout).not.toContain('FAIL');
    expect(code).toBe(0);
  });

  it('says so when the file is missing', () => {
    const { code, stderr } = sluiceTest(join(dir, 'nope.json'));
    expect(stderr).toContain(`Cannot read '${join(dir, 'nope.json')}': no such file`);
    expect(code).toBe(2);
  });

  it('gives the line and column of invalid JSON', () => {
    const path = write('broken.json', '{\n  "hog": "return 1",\n  "fixtures": [,]\n}');
    const { code, stderr } = sluiceTest(path);
    expect(stderr).toContain('is not valid JSON (line 3, column 16)');
    expect(code).toBe(2);
  });

  it('lists configuration errors with their field path and position, before running anything', () => {
    const path = write('invalid.json', {
      hog: "let x := 1\nfetch(inputs.url, {'method': 'POST'}",
      inputs_schema: [{ key: 'url', type: 'strng' }],
      filters: { events: [{ id: '$pageview', properties: [{ key: 'plan', type: 'event', operator: 'almost' }] }] },
      fixtures: [{ name: 'never runs', event: { event: '$pageview' }, inputs: {}, expect: { requests: [] } }],
    });
    const { code, stdout, stderr } = sluiceTest(path);
    expect(stderr).toContain('invalid configuration:');
    expect(stderr).toMatch(/hog: .*\(line 2, column \d+\)/);
    expect(stderr).toContain("inputs_schema[0].type: unknown input type 'strng'");
    expect(stderr).toContain('filters.events[0].properties[0].operator');
    expect(stdout).not.toContain('never runs');
    expect(code).toBe(2);
  });

  it('points at malformed fixtures by path', () => {
    const path = write('bad-fixtures.json', { ...destination, fixtures: [{ name: 'x', event: {}, expect: { requests: [{ url: 'u' }] } }] });
    const { code, stderr } = sluiceTest(path);
    expect(stderr).toContain('fixtures[0].event: must be an object with an "event" name');
    expect(stderr).toContain('fixtures[0].expect.requests[0]: must be an object with "method" and "url"');
    expect(code).toBe(2);
  });

  it('names an unknown template_id', () => {
    const path = write('unknown.json', { template_id: 'template-nope', fixtures: [] });
    const { code, stderr } = sluiceTest(path);
    expect(stderr).toContain('template_id: unknown template "template-nope"');
    expect(code).toBe(2);
  });
});
