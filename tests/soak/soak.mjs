#!/usr/bin/env node
// Soak: the example app (next build + next start; clerkMiddleware(edgeguardMiddleware({ policy })) in
// middleware.ts, or variants/node/proxy.ts with --runtime node) under a mixed workload — allowed,
// denied and redirected requests from several users and roles, webhooks — at the highest rate the
// machine gives, for a bounded time. Reports requests handled, errors (goal 0), decision mismatches
// against the policy's expected table (goal 0), latency and the server's RSS over time (goal flat).
// Opt-in (not part of scripts/test.sh):
//
//   node tests/soak/soak.mjs [--seconds 300] [--concurrency 16] [--runtime edge|node] [--json out.json]
//
// Latency is measured by the client, end to end (there is no in-server timing: the adapter exposes
// its reason and rule, not its time). It is split by who answered: the middleware itself (denials
// and redirects: nothing runs after it, so this bounds middleware time from above, Next's HTTP and
// routing included), the app behind it (pages, route handlers), and a static file outside the
// middleware's matcher (Next alone, no middleware: a baseline, though static files take their own path).
// Needs pkg/ built (bash scripts/build.sh); the example is packed/installed/built if its inputs changed.
import { readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { seededRandom } from "../js/attack-support.mjs";
import { appDirFor } from "../support/app-build.mjs";
import { DOCUMENT_HEADERS, startExample } from "../support/example-session.mjs";
import { signedWebhookHeaders } from "../support/webhooks.mjs";
import { processTreeRssMb } from "./rss.mjs";
import { percentile, summarize } from "./stats.mjs";
import { checkResponse, expectedTable, policyCsp, policyHeaders, USERS } from "./workload.mjs";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "300" },
    concurrency: { type: "string", default: "16" },
    runtime: { type: "string", default: "edge" },
    json: { type: "string" },
    "rss-every": { type: "string", default: "10" },
    "max-requests": { type: "string", default: "50000000" },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const maxRequests = Number(args["max-requests"]);
const rng = seededRandom(20250725);
const log = (message) => process.stderr.write(`[soak] ${message}\n`);
const loadAverageAtStart = os.loadavg();
log(`seed ${rng.seed}; ${seconds} s, ${concurrency} concurrent, ${args.runtime} runtime; load average ${loadAverageAtStart.map((l) => l.toFixed(2)).join(" ")}`);

const app = await startExample({ runtime: args.runtime, verbose: true });
log(`app on ${app.origin} (pid ${app.pid})`);

// Tokens live an hour; re-minted every 5 minutes so a long soak never sends an expired one by accident.
let users;
function mintUsers() {
  const now = Math.floor(Date.now() / 1000);
  users = Object.fromEntries(Object.entries(USERS).map(([key, u]) => [key, app.user({
    userId: u.userId,
    ...(u.role ? { role: u.role } : {}),
    ...(u.expiredSecondsAgo ? { now: now - u.expiredSecondsAgo - 600, ttlSeconds: 600 } : { ttlSeconds: 3600 }),
  })]));
}
mintUsers();
const table = expectedTable({ documentHeaders: DOCUMENT_HEADERS });
const securityHeaders = policyHeaders();
const csp = policyCsp();
const nonces = new Set();
// A static chunk of this build: outside the middleware's matcher, so Next answers it alone.
const chunksDir = path.join(appDirFor(args.runtime), ".next", "static", "chunks");
const staticChunk = readdirSync(chunksDir).find((name) => name.endsWith(".js"));
const staticKind = { name: "static chunk (outside the matcher)", path: `/_next/static/chunks/${staticChunk}`, static: true };
log(`${table.length} request kinds from the policy + 1 static file`);

const latencies = { all: [], middleware: [], app: [], static: [] };
const perKind = new Map([...table, staticKind].map((c) => [c.name, { count: 0, mismatches: 0, latencies: [] }]));
const mismatchSamples = [];
const errorSamples = [];
let handled = 0;
let errors = 0;
let mismatches = 0;
const rssSamples = [];
const started = performance.now();
const deadline = started + seconds * 1000;

function sampleRss() {
  rssSamples.push({ t: Math.round((performance.now() - started) / 1000), handled, rssMb: processTreeRssMb(app.pid) });
}
sampleRss();
const rssTimer = setInterval(sampleRss, Number(args["rss-every"]) * 1000);
const mintTimer = setInterval(mintUsers, 300_000);

function requestFor(kind) {
  const user = kind.user ? users[kind.user] : null;
  const headers = { ...kind.headers };
  if (user && kind.via === "bearer") headers.authorization = `Bearer ${user.token}`;
  else if (user) headers.cookie = user.cookie;
  let body;
  if (kind.webhook) {
    body = JSON.stringify({ type: "user.updated", object: "event", data: { id: `user_soak${rng.int(1e9)}` } });
    headers["content-type"] = "application/json";
    if (kind.webhook !== "unsigned") Object.assign(headers, signedWebhookHeaders(app.webhookSecret, body));
    if (kind.webhook === "forged") headers["svix-signature"] = `v1,${Buffer.alloc(32, 7).toString("base64")}`;
  }
  return { init: { method: kind.method ?? "GET", headers, body, redirect: "manual" }, userId: user?.claims.sub ?? null };
}

function checkStatic(response) {
  if (response.status !== 200) return `status ${response.status}, expected 200`;
  // The matcher excludes /_next: the middleware must not have run (no decision headers).
  const reason = response.headers.get("x-edgeguard-reason");
  return reason === null ? null : `middleware ran for a path outside its matcher (reason ${reason})`;
}

async function worker() {
  while (performance.now() < deadline && handled + errors < maxRequests) {
    // One request in 20 is the static baseline; the rest are spread evenly over the policy's kinds.
    const kind = rng.int(20) === 0 ? staticKind : rng.pick(table);
    const { init, userId } = kind.static ? { init: {}, userId: null } : requestFor(kind);
    const t0 = performance.now();
    try {
      const response = await fetch(app.origin + kind.path, init);
      const body = await response.text();
      const elapsed = performance.now() - t0;
      handled += 1;
      const stats = perKind.get(kind.name);
      stats.count += 1;
      stats.latencies.push(elapsed);
      latencies.all.push(elapsed);
      latencies[kind.static ? "static" : kind.expected.action === "allow" ? "app" : "middleware"].push(elapsed);
      const problem = kind.static ? checkStatic(response) : checkResponse(kind, response, body, { origin: app.origin, userId, securityHeaders, csp, nonces });
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
sampleRss();
const elapsed = (performance.now() - started) / 1000;
const loadAverageAtEnd = os.loadavg();
await app.stop();

const report = {
  kind: "edgeguard-soak",
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model?.trim() ?? "unknown", nproc: os.availableParallelism(), memoryBytes: os.totalmem(), node: process.version, loadAverageAtStart, loadAverageAtEnd },
  seed: rng.seed,
  runtime: args.runtime,
  middleware: args.runtime === "node" ? "variants/node/proxy.ts (Node runtime)" : "middleware.ts (edge runtime)",
  seconds: Number(elapsed.toFixed(1)),
  concurrency,
  requestKinds: table.length + 1,
  handled,
  requestsPerSecond: Number((handled / elapsed).toFixed(1)),
  errors,
  mismatches,
  latencyMs: Object.fromEntries(Object.entries(latencies).map(([key, values]) => [key, summarize(values)])),
  rss: rssSamples,
  perKind: Object.fromEntries([...perKind].map(([name, s]) => [name, { count: s.count, mismatches: s.mismatches, p50Ms: percentile(s.latencies.sort((a, b) => a - b), 0.5) }])),
  mismatchSamples,
  errorSamples,
};
if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify({ ...report, rss: undefined, perKind: undefined }, null, 2));
const rss = rssSamples.map((s) => s.rssMb);
console.log(`RSS: start ${rss[0]} MB, end ${rss.at(-1)} MB, peak ${Math.max(...rss)} MB over ${rss.length} samples`);
console.log(`rss over time (s:MB): ${rssSamples.map((s) => `${s.t}:${s.rssMb}`).join(" ")}`);
process.exitCode = errors === 0 && mismatches === 0 ? 0 : 1;
