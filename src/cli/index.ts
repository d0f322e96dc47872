#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `sluice` command. Each subcommand lives in its own module and is loaded on demand, so
 * `sluice hog run` does not pay for the server's dependencies.
 */
const USAGE = `Usage:
  sluice start [--role all|capture|worker|api]   start the server (SQLite in SLUICE_DATA_DIR by default)
  sluice hog run FILE.hog [--globals FILE.json]   compile and run a Hog program
  sluice hog compile FILE.hog                     print the program's bytecode as JSON
  sluice hog exec FILE.hoge [--globals FILE.json] run a bytecode JSON file
  sluice test DESTINATION.json                    run a destination's fixtures (events in, expected requests out)
  sluice import posthog --file EXPORT.json        import PostHog hog functions (docs/import.md; --dry-run)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return (await import('./start.js')).startCommand(rest);
    case 'hog':
      return (await import('./hog.js')).hogCommand(rest);
    case 'test':
      return (await import('./test.js')).testCommand(rest);
    case 'import':
      return (await import('./import.js')).importCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command '${command}'.\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
