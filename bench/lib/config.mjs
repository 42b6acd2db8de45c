// Command line and sample sizes. Full: the figures of record (< ~10 min on 2 busy cores);
// --quick: the same sections with small samples, to check the harness end to end.
const SECTIONS = ["size", "startup", "routes", "decisions", "profile", "memory", "native"];

const FULL = {
  poolTokens: 13_000,
  decisions: { warmupCalls: 300, cold: { passes: 20, perPass: 150 }, warm: { passes: 20, perPass: 1000 } },
  routes: { paths: 1000, creations: 20, passes: 40, perPass: 5 },
  startup: { runs: 15 },
  memory: { decisions: 1_000_000, distinct: 10_000, sampleEvery: 100_000 },
  profileSeconds: 4,
};

const QUICK = {
  poolTokens: 2_500,
  decisions: { warmupCalls: 100, cold: { passes: 10, perPass: 50 }, warm: { passes: 10, perPass: 200 } },
  routes: { paths: 1000, creations: 5, passes: 10, perPass: 2 },
  startup: { runs: 3 },
  memory: { decisions: 100_000, distinct: 2_000, sampleEvery: 10_000 },
  profileSeconds: 1,
};

const USAGE = `usage: npm run bench -- [--quick] [--with-next-build] [--with-cargo-bench] [--only a,b] [--seed N] [--out FILE]
  --quick             small samples (a harness check, not figures of record)
  --with-next-build   build examples/nextjs-clerk (npm pack + install + next build) to measure its middleware
  --with-cargo-bench  run \`cargo bench --bench decide\` first and quote it
  --only a,b          run only these sections: ${SECTIONS.join(", ")}
  --seed N            seed of the route-path corpus (default: random, printed)
  --out FILE          write the report there instead of BENCHMARKS.md
  --render-from FILE  measure nothing: re-render the report from a saved run (.cache/bench-results.json)`;

export function parseArgs(argv) {
  const options = { quick: false, withNextBuild: false, withCargoBench: false, only: null, seed: null, out: null, renderFrom: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--quick") options.quick = true;
    else if (flag === "--with-next-build") options.withNextBuild = true;
    else if (flag === "--with-cargo-bench") options.withCargoBench = true;
    else if (flag === "--only") options.only = value().split(",").map((s) => s.trim()).filter(Boolean);
    else if (flag === "--seed") options.seed = Number(value());
    else if (flag === "--out") options.out = value();
    else if (flag === "--render-from") options.renderFrom = value();
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown option ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
  }
  for (const name of options.only ?? []) {
    if (!SECTIONS.includes(name)) {
      console.error(`unknown section ${name} (sections: ${SECTIONS.join(", ")})`);
      process.exit(2);
    }
  }
  if (options.seed !== null && !Number.isSafeInteger(options.seed)) {
    console.error("--seed needs an integer");
    process.exit(2);
  }
  options.seed ??= Math.floor(Math.random() * 2 ** 31);
  options.sections = options.only ?? SECTIONS;
  options.config = options.quick ? QUICK : FULL;
  return options;
}
