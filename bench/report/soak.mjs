// The soak section (issue 9) of BENCHMARKS.md. The soak is a separate, long run of the example app
// (tests/soak/soak.mjs --json bench/results/soak-<runtime>.json); its results are checked in, so
// `npm run bench` and `--render-from` re-render them instead of losing them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { benchDir } from "../lib/paths.mjs";

export const soakResultsDir = path.join(benchDir, "results");

/** RSS is flat when its last sample is within this share of the sample that ends the warm-up. */
export const RSS_TOLERANCE = 0.1;
const RUNTIME_ORDER = ["edge", "node"];
const n = (value) => value.toLocaleString("en-US");
const msFig = (value) => (value === null || value === undefined ? "–" : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);
const table = (head, rows) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

/** Every checked-in soak result (bench/results/soak-*.json), edge first. */
export function loadSoakResults(dir = soakResultsDir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^soak-.*\.json$/.test(name))
    .map((name) => ({ ...JSON.parse(readFileSync(path.join(dir, name), "utf8")), file: `bench/results/${name}` }))
    .filter((soak) => soak.kind === "edgeguard-soak")
    .sort((a, b) => rank(a.runtime) - rank(b.runtime));
}

const rank = (runtime) => (RUNTIME_ORDER.includes(runtime) ? RUNTIME_ORDER.indexOf(runtime) : RUNTIME_ORDER.length);

/**
 * RSS verdict: the first third of the run is warm-up (JIT tiers, Next's caches, the token cache
 * filling); flat = the last sample is within RSS_TOLERANCE of the first sample after it.
 */
export function rssTrend(samples, seconds) {
  if (!samples?.length) return { flat: null, why: "no RSS samples" };
  const first = samples[0];
  const last = samples[samples.length - 1];
  const settled = samples.find((s) => s.t >= seconds / 3) ?? last;
  const peak = samples.reduce((max, s) => Math.max(max, s.rssMb), 0);
  if (settled === last) return { flat: null, first, settled, last, peak, why: "no sample after the warm-up" };
  const growth = (last.rssMb - settled.rssMb) / settled.rssMb;
  return { flat: growth <= RSS_TOLERANCE, growth, first, settled, last, peak };
}

/** One verdict per goal of issue 9: { errors, mismatches, rss } each true / false / null. */
export function soakVerdicts(soak) {
  const trend = rssTrend(soak.rss, soak.seconds);
  return { errors: soak.errors === 0, mismatches: soak.mismatches === 0, rss: trend.flat, trend };
}

const runtimeLabel = (soak) => (soak.runtime === "node" ? "Node proxy.ts" : "edge middleware.ts");
const verdictWord = (value) => (value === null ? "not measured" : value ? "met" : "not met");

/** The lines for the Targets list at the top of BENCHMARKS.md, one per soak run. */
export function soakTargetLines(soaks) {
  if (!soaks.length) {
    return [{ target: "soak (issue 9): 0 errors, 0 decision mismatches, RSS flat", met: null, figure: "no soak results in bench/results/ (run `node tests/soak/soak.mjs --json bench/results/soak-edge.json`)" }];
  }
  return soaks.map((soak) => {
    const v = soakVerdicts(soak);
    const met = v.errors && v.mismatches && v.rss;
    const t = v.trend;
    return {
      target: `soak (issue 9), ${runtimeLabel(soak)}: 0 errors, 0 decision mismatches, RSS flat`,
      met: v.rss === null && v.errors && v.mismatches ? null : met,
      figure: `${n(soak.handled)} requests in ${soak.seconds.toFixed(0)} s (${soak.requestsPerSecond.toFixed(0)}/s), ${n(soak.errors)} errors, ${n(soak.mismatches)} mismatches; ` +
        `end-to-end p50 / p99 ${msFig(soak.latencyMs.all.p50)} / ${msFig(soak.latencyMs.all.p99)} (answered by the middleware: ${msFig(soak.latencyMs.middleware.p50)} / ${msFig(soak.latencyMs.middleware.p99)}); ` +
        (t.settled ? `RSS ${t.first.rssMb} → ${t.settled.rssMb} (after warm-up) → ${t.last.rssMb} MB` : t.why) +
        ` (${soak.date.slice(0, 10)}, load average ${soak.machine.loadAverageAtStart[0].toFixed(1)} → ${soak.machine.loadAverageAtEnd[0].toFixed(1)} on ${soak.machine.nproc} cores)`,
    };
  });
}

export function soakSection(out, soaks) {
  out.push("## Soak: the example app under load (issue 9)", "");
  if (!soaks.length) {
    out.push("_No soak results checked in (bench/results/soak-*.json). Run `node tests/soak/soak.mjs --seconds 180 --json bench/results/soak-edge.json`._", "");
    return;
  }
  out.push(
    "`next start` of examples/nextjs-clerk on localhost with the real adapter — `clerkMiddleware(edgeguardMiddleware({ policy }))` in middleware.ts (edge runtime) or variants/node/proxy.ts (Node runtime) — driven by `node tests/soak/soak.mjs` from the same machine: a fixed number of concurrent clients, each sending its next request as soon as the last one is answered, for a bounded time. " +
      "The mix (seeded) spreads evenly over the request kinds below — allowed, denied and redirected, documents and API calls, cookie and Bearer sessions of several users and roles, an expired token, CVE-2025-29927's header, a malformed path, signed / forged / unsigned webhooks — plus one request in 20 for a static file outside the middleware's matcher.",
    "",
    "A **mismatch** is any answer that differs from the expected table: status, `X-Edgeguard-Reason`, `X-Edgeguard-Rule`, redirect target (and `redirect_url`), the policy's security headers, `Cache-Control: no-store` on denials, and on allowed pages and `/api/me` the requesting user's own id (no cross-talk between concurrent users). " +
      "The decision part of the table is derived from the policy file's semantics (tests/soak/policy-model.mjs, rules matched with Clerk's own `createRouteMatcher`), not recorded from a server. An **error** is a request that got no HTTP answer.",
    "",
    "**Latency is end to end, measured by the client** (Node `fetch` on the same 2-core machine, so client work and queueing under the chosen concurrency are included). The adapter exposes its reason and rule, not its own time, so the middleware's time is not observed directly; the split below bounds it: " +
      "*answered by the middleware* = denials and redirects (nothing runs after the middleware: Next's HTTP handling + Clerk + edgeguard), *answered by the app* = allowed requests (the middleware, then the page or route handler), *outside the matcher* = a static file Next serves without running the middleware (a baseline for Next alone; static files take their own path through Next, so it is no exact floor). " +
      "The decision alone, in process, is in sections 1–2 above.",
    "",
  );
  const columns = soaks.map((soak) => `${soak.runtime} (${runtimeLabel(soak).split(" ")[1]})`);
  const row = (label, cell) => [label, ...soaks.map(cell)];
  const lat = (key) => (soak) => {
    const l = soak.latencyMs[key];
    return l?.n ? `${msFig(l.p50)} / ${msFig(l.p99)} (n = ${n(l.n)})` : "–";
  };
  const verdicts = soaks.map(soakVerdicts);
  out.push(
    table(["", ...columns], [
      row("run", (s) => `${s.date.slice(0, 16).replace("T", " ")} UTC, ${s.seconds.toFixed(0)} s, ${s.concurrency} concurrent clients, seed ${s.seed}`),
      row("machine", (s) => `${s.machine.cpu}, ${s.machine.nproc} cores, Node ${s.machine.node}; load average (1/5/15 min) ${s.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(" / ")} at start, ${s.machine.loadAverageAtEnd.map((l) => l.toFixed(2)).join(" / ")} at end`),
      row("requests handled", (s) => `${n(s.handled)} (${s.requestsPerSecond.toFixed(1)}/s) over ${s.requestKinds} request kinds`),
      row("errors (goal 0)", (s, i) => `${n(s.errors)} — **${verdictWord(verdicts[i].errors)}**`),
      row("decision mismatches (goal 0)", (s, i) => `${n(s.mismatches)} — **${verdictWord(verdicts[i].mismatches)}**`),
      row("latency p50 / p99, all requests", lat("all")),
      row("… answered by the middleware (deny, redirect)", lat("middleware")),
      row("… answered by the app (allowed)", lat("app")),
      row("… static file outside the matcher (no middleware)", lat("static")),
      row("server RSS (process tree) first → after warm-up → last, peak", (s, i) => {
        const t = verdicts[i].trend;
        return t.settled ? `${t.first.rssMb} → ${t.settled.rssMb} (at ${t.settled.t} s) → ${t.last.rssMb} MB, peak ${t.peak} MB` : t.why;
      }),
      row(`RSS flat (goal: last within ${RSS_TOLERANCE * 100}% of the after-warm-up sample)`, (s, i) => {
        const t = verdicts[i].trend;
        return `${Number.isFinite(t.growth) ? `${t.growth >= 0 ? "+" : ""}${(100 * t.growth).toFixed(1)}% — ` : ""}**${verdictWord(t.flat)}**`;
      }),
    ]),
    "",
  );
  for (const soak of soaks) {
    // The closing sample can fall on the last timer tick's second: show each second once.
    const samples = soak.rss.filter((s, i) => i === 0 || s.t !== soak.rss[i - 1].t || s.rssMb !== soak.rss[i - 1].rssMb);
    out.push(`RSS over time, ${runtimeLabel(soak)} (s: MB): ${samples.map((s) => `${s.t}: ${s.rssMb}`).join(", ")}.`, "");
  }
  const kinds = [...new Set(soaks.flatMap((s) => Object.keys(s.perKind ?? {})))];
  out.push(
    "Per request kind (count, mismatches, end-to-end p50):",
    "",
    table(["request kind", ...columns], kinds.map((kind) => [kind, ...soaks.map((s) => {
      const k = s.perKind?.[kind];
      return k ? `${n(k.count)}, ${n(k.mismatches)}, ${msFig(k.p50Ms)}` : "–";
    })])),
    "",
  );
  const samples = soaks.flatMap((s) => [...s.mismatchSamples.map((m) => `${s.runtime}: mismatch — ${m}`), ...s.errorSamples.map((e) => `${s.runtime}: error — ${e}`)]);
  if (samples.length) out.push("First mismatches and errors:", "", ...samples.slice(0, 12).map((line) => `- ${line}`), "");
  out.push(`Results: ${soaks.map((s) => `\`${s.file}\``).join(", ")}. Reproduce: \`node tests/soak/soak.mjs --seconds 180 --runtime edge --json bench/results/soak-edge.json\` (\`--runtime node\` for proxy.ts; needs \`npm run build\` and the example's dependencies).`, "");
}
