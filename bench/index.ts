/**
 * `npm run bench`: every benchmark, each printing its own numbers and its ratio against a baseline
 * measured in the same run. Pass names to run a subset: `npm run bench -- hog`.
 */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  hog: async () => (await import('./hog.js')).runHogBench(),
  intake: async () => (await import('./intake.js')).runIntakeBench(),
  e2e: async () => (await import('./e2e.js')).runE2eBench(),
  'e2e-postgres': async () => (await import('./e2e-postgres.js')).runE2ePostgresBench(),
};

async function main(names: string[]): Promise<void> {
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
  for (const name of selected) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`Unknown benchmark '${name}'. Known: ${Object.keys(BENCHMARKS).join(', ')}`);
    console.log(`\n=== ${name} ===`);
    await bench();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
