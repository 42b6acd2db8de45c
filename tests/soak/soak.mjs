#!/usr/bin/env node
// Soak: the example app (next build + next start, edgeguard in its middleware) under a mixed
// workload — allowed, denied and redirected requests from several users and roles — at the highest
// rate the machine gives, for a bounded time. Reports requests handled, errors (goal 0), decision
// mismatches against the expected table (goal 0), p50/p99 latency and the server's RSS over time.
// Opt-in (not part of scripts/test.sh):
//
//   node tests/soak/soak.mjs [--seconds 300] [--concurrency 16] [--runtime edge|node] [--json out.json]
//
// Needs pkg/ built (bash scripts/build.sh); the example is packed/installed/built if its inputs changed.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DOCUMENT_HEADERS, exampleUsesAdapter, startExample } from "../support/example-session.mjs";
import { seededRandom } from "../js/attack-support.mjs";
import { expectedTable } from "./workload.mjs";
import { processTreeRssMb } from "./rss.mjs";
import { percentile } from "./stats.mjs";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "300" },
    concurrency: { type: "string", default: "16" },
    runtime: { type: "string", default: "edge" },
    json: { type: "string" },
    "max-requests": { type: "string", default: "50000000" },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const maxRequests = Number(args["max-requests"]);
const rng = seededRandom(20250725);
const log = (message) => process.stderr.write(`[soak] ${message}\n`);
log(`seed ${rng.seed}; ${seconds} s, ${concurrency} concurrent, ${args.runtime} runtime`);

const app = await startExample({ runtime: args.runtime, verbose: true });
log(`app on ${app.origin} (pid ${app.pid}); adapter in middleware: ${exampleUsesAdapter()}`);

// Tokens live an hour; re-minted every 5 minutes so a long soak never sends an expired one by accident.
let users;
function mintUsers() {
  users = {
    member: app.user({ userId: "user_soakMember", role: "member", ttlSeconds: 3600 }),
    admin: app.user({ userId: "user_soakAdmin", role: "admin", ttlSeconds: 3600 }),
    other: app.user({ userId: "user_soakOther", ttlSeconds: 3600 }),
    expired: app.user({ userId: "user_soakExpired", now: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 600 }),
  };
}
mintUsers();
const table = expectedTable({ adapter: exampleUsesAdapter(), documentHeaders: DOCUMENT_HEADERS });
log(`${table.length} request kinds in the workload`);

const latencies = [];
const perKind = new Map(table.map((c) => [c.name, { count: 0, mismatches: 0 }]));
const mismatchSamples = [];
const errorSamples = [];
let handled = 0;
let errors = 0;
let mismatches = 0;
const rssSamples = [];
const started = performance.now();
const deadline = started + seconds * 1000;

async function sampleRss() {
  const mb = processTreeRssMb(app.pid);
  rssSamples.push({ t: Math.round((performance.now() - started) / 1000), rssMb: mb });
}
await sampleRss();
const rssTimer = setInterval(sampleRss, 10_000);
const mintTimer = setInterval(mintUsers, 300_000);

async function worker() {
  while (performance.now() < deadline && handled + errors < maxRequests) {
    const kind = rng.pick(table);
    const user = kind.user ? users[kind.user] : null;
    const headers = { ...kind.headers };
    if (user && kind.via === "bearer") headers.authorization = `Bearer ${user.token}`;
    else if (user) headers.cookie = user.cookie;
    const t0 = performance.now();
    try {
      const response = await fetch(app.origin + kind.path, { method: kind.method ?? "GET", headers, redirect: "manual", body: kind.body });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      handled += 1;
      const stats = perKind.get(kind.name);
      stats.count += 1;
      const problem = kind.check(response, app.origin);
      if (problem) {
        mismatches += 1;
        stats.mismatches += 1;
        if (mismatchSamples.length < 20) mismatchSamples.push(`${kind.name}: ${problem}`);
      }
    } catch (error) {
      errors += 1;
      if (errorSamples.length < 20) errorSamples.push(`${kind.name}: ${error?.cause?.code ?? error?.message ?? error}`);
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
clearInterval(rssTimer);
clearInterval(mintTimer);
await sampleRss();
const elapsed = (performance.now() - started) / 1000;
await app.stop();

latencies.sort((a, b) => a - b);
const report = {
  seed: rng.seed,
  runtime: args.runtime,
  adapter: exampleUsesAdapter(),
  seconds: Number(elapsed.toFixed(1)),
  concurrency,
  handled,
  requestsPerSecond: Number((handled / elapsed).toFixed(1)),
  errors,
  mismatches,
  latencyMs: { p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? null },
  rss: rssSamples,
  perKind: Object.fromEntries(perKind),
  mismatchSamples,
  errorSamples,
};
if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify({ ...report, rss: undefined, perKind: undefined }, null, 2));
const first = rssSamples[0]?.rssMb;
const last = rssSamples.at(-1)?.rssMb;
const peak = Math.max(...rssSamples.map((s) => s.rssMb));
console.log(`RSS: start ${first} MB, end ${last} MB, peak ${peak} MB over ${rssSamples.length} samples`);
console.log(`rss over time (s:MB): ${rssSamples.map((s) => `${s.t}:${s.rssMb}`).join(" ")}`);
process.exitCode = errors === 0 && mismatches === 0 ? 0 : 1;
