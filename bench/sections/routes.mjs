// Section 3: route matching only — the same 50 patterns compiled by edgeguard's createRouteMatcher
// and by Clerk's, each asked about the same 1,000 request paths. A sample is one sweep over all
// paths (per-path timing would be dominated by the timer); the report divides by the path count.
import { interleave } from "../lib/timing.mjs";
import { summarize } from "../lib/stats.mjs";
import { ROUTE_PATTERNS, routePaths } from "../lib/route-corpus.mjs";

export async function runRoutes({ refs, config, seed, log }) {
  const { createRouteMatcher: edgeguardMatcher } = await import("edgeguard");
  const clerkMatcher = refs.createRouteMatcher;
  const paths = routePaths(seed, config.routes.paths);
  // The pathname arrives parsed, as on NextRequest.nextUrl; both matchers read `req.nextUrl.pathname`.
  const requests = paths.map((path) => ({ nextUrl: new URL(`https://app.example.com${path}`) }));

  const creation = { edgeguard: [], clerk: [] };
  let matchers;
  const quiet = console.warn;
  console.warn = () => {}; // Clerk's deprecation notice
  try {
    for (let i = 0; i < config.routes.creations; i++) {
      for (const [name, create] of [["edgeguard", edgeguardMatcher], ["clerk", clerkMatcher]]) {
        const started = process.hrtime.bigint();
        const matcher = create(ROUTE_PATTERNS);
        creation[name].push(Number(process.hrtime.bigint() - started) / 1000);
        matchers = { ...matchers, [name]: matcher };
      }
    }
  } finally {
    console.warn = quiet;
  }

  const answer = (matcher, request) => {
    try {
      return matcher(request) ? 1 : 0;
    } catch {
      return 2; // malformed encoding: both throw a MalformedURLError
    }
  };
  const mismatches = [];
  let matched = 0;
  for (let i = 0; i < requests.length; i++) {
    const ours = answer(matchers.edgeguard, requests[i]);
    const theirs = answer(matchers.clerk, requests[i]);
    if (theirs === 1) matched++;
    if (ours !== theirs) mismatches.push({ path: requests[i].nextUrl.pathname, edgeguard: ours, clerk: theirs });
  }

  const sweep = (matcher) => () => {
    let hits = 0;
    for (const request of requests) hits += answer(matcher, request);
    return hits;
  };
  const variants = Object.entries(matchers).map(([name, matcher]) => ({ name, call: sweep(matcher), input: () => null }));
  for (const variant of variants) for (let i = 0; i < 20; i++) variant.call(); // warm-up
  log(`routes: ${config.routes.passes} interleaved passes × ${config.routes.perPass} sweeps of ${requests.length} paths`);
  const samples = await interleave(variants, { passes: config.routes.passes, perPass: config.routes.perPass });
  const perPath = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, summarize(list.map((v) => v / requests.length))]));
  return {
    patterns: ROUTE_PATTERNS.length,
    paths: requests.length,
    matchedByClerk: matched,
    mismatches,
    perPath,
    creation: Object.fromEntries(Object.entries(creation).map(([name, list]) => [name, summarize(list)])),
  };
}
