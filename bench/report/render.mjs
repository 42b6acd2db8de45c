// BENCHMARKS.md from one run's results: targets first, then the tables, the machine, how to reproduce.
import { bytes, mib, ms, ratio, us } from "../lib/stats.mjs";
import { loadSoakResults, soakSection, soakTargetLines } from "./soak.mjs";
import { evaluateTargets, GZIP_LIMIT } from "./targets.mjs";

const measured = (part) => part && !part.skipped && !part.failed;
const why = (part) => `_${part?.skipped ?? (part?.failed ? `failed in this run: ${part.failed}` : "not measured")}_`;
const table = (head, rows) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const n = (value) => value.toLocaleString("en-US");

/** `results.soak` (a list of soak runs) overrides the checked-in bench/results/soak-*.json. */
export function renderReport(results) {
  const { machine, options } = results;
  const soaks = results.soak ?? loadSoakResults();
  const out = [];
  out.push("# edgeguard benchmarks", "");
  out.push(`Written by \`npm run bench\` (bench/run.mjs) on ${machine.date.slice(0, 10)}; every figure below comes from that one run${soaks.length ? " except the soak's, which come from a separate run of the example app (bench/results/, dated in its section)" : ""}${options.quick ? " — a **--quick** run (small samples: a harness check, not figures of record)" : ""}.`, "");
  out.push("## Targets (issue 8; soak: issue 9)", "");
  for (const line of [...evaluateTargets(results), ...soakTargetLines(soaks)]) {
    const verdict = line.met === null ? "**not measured**" : line.met ? "**met**" : "**not met**";
    out.push(`- ${line.target}: ${verdict} — ${line.figure}`);
  }
  out.push("");
  decisionsSection(out, results);
  routesSection(out, results);
  startupSection(out, results);
  sizeSection(out, results);
  profileSection(out, results);
  memorySection(out, results);
  soakSection(out, soaks);
  nativeSection(out, results);
  machineSection(out, results);
  return `${out.join("\n")}\n`;
}

function decisionsSection(out, { decisions, versions }) {
  out.push("## 1–2. Decisions: cold and warm", "");
  if (!measured(decisions)) return out.push(why(decisions), "");
  out.push(
    "The request: `GET https://app.example.com/admin/users` with `Authorization: Bearer <session token>` (RS256, RSA-2048, e = 65537, signed up front with node:crypto; `metadata.role` = `\"admin\"`).",
    "Every path returns allow for it (checked before timing).",
    "",
    `- **edgeguard**: \`guard.decide(request)\` of \`createGuard({ policy, jwtKey })\` from the Node entry — verifies the token itself (RS256's exponentiation by OpenSSL through \`crypto.publicDecrypt\`, everything else in the core), matches the route, evaluates the policy; synchronous. The edge entry's figure (the core's own wasm arithmetic) is a reference row below.`,
    `- **Clerk**: \`verifyToken(token, { jwtKey })\` of @clerk/backend ${versions?.["@clerk/backend"] ?? ""} + \`createRouteMatcher\` of @clerk/nextjs ${versions?.["@clerk/nextjs"] ?? ""} (CommonJS build) + \`sessionClaims.metadata.role === "admin"\`. verifyToken is async (WebCrypto; it also imports the key on every call): **awaited one call at a time**.`,
    `- **jose**: \`jwtVerify\` of jose ${versions?.jose ?? ""} (key imported once with \`importSPKI\`) + the same matchers and role check; async, awaited one at a time.`,
    "",
    "Passes are interleaved (each pass runs a slice of every path, in rotating order). Times are per decision, wall clock.",
    `Cold: a never-seen token each call (${n(decisions.cold.edgeguard.n)} per path). Warm: ${n(decisions.warm.edgeguard.n)} calls per path over 64 tokens already decided once (edgeguard's token cache hits; Clerk and jose have no cache and verify again).`,
    "",
  );
  const rows = [];
  for (const [label, key] of [["edgeguard `guard.decide`", "edgeguard"], ["Clerk JS path", "clerk"], ["jose path", "jose"]]) {
    const c = decisions.cold[key];
    const w = decisions.warm[key];
    rows.push([label, us(c.median), us(c.p99), ratio(c.median / decisions.cold.clerk.median), us(w.median), us(w.p99), ratio(w.median / decisions.warm.clerk.median)]);
  }
  out.push(table(["path", "cold median", "cold p99", "cold × Clerk", "warm median", "warm p99", "warm × Clerk"], rows), "");
  const v = decisions.cold["edgeguard-verifyToken"];
  const o = decisions.cold["node-crypto-verify"];
  const w = decisions.cold["edgeguard-wasm-arithmetic"];
  out.push(
    "Where a cold decision's time goes (reference rows, same run, same cold tokens):",
    "",
    table(["part", "median", "p99"], [
      ["edgeguard `verifyToken` alone (RS256 with OpenSSL's exponentiation, as the Node entry runs it, + claims; no route, no policy)", us(v.median), us(v.p99)],
      ["node:crypto `verify` RSA-SHA256 alone (OpenSSL, native; signature only)", us(o.median), us(o.p99)],
      ["edgeguard decision minus its verifyToken (request record, route, policy, cache insert)", us(decisions.cold.edgeguard.median - v.median), "–"],
      ...(w ? [[`edgeguard \`guard.decide\` with the core's wasm RS256 arithmetic (as the edge entry runs it; ${ratio(w.median / decisions.cold.clerk.median)} Clerk)`, us(w.median), us(w.p99)]] : []),
    ]),
    "",
    `Timer overhead around an empty call: ${us(decisions.timerOverheadUs)} (included in every figure). edgeguard outcomes seen: ${decisions.edgeguardOutcomes.join(", ")}.`,
    "",
  );
}

function routesSection(out, { routes }) {
  out.push("## 3. Route matching only", "");
  if (!measured(routes)) return out.push(why(routes), "");
  out.push(
    `${routes.patterns} patterns (bench/lib/route-corpus.mjs) compiled into one matcher each, asked about ${n(routes.paths)} paths (seeded; ${n(routes.matchedByClerk)} match for Clerk), each request a \`{ nextUrl: URL }\` as on NextRequest. A sample is one sweep over every path; figures are per path.`,
    "",
    table(["matcher", "per path median", "per path p99", "× Clerk", "create (50 patterns) median"], ["edgeguard", "clerk"].map((name) => [
      name === "edgeguard" ? "edgeguard `createRouteMatcher`" : "Clerk `createRouteMatcher`",
      us(routes.perPath[name].median), us(routes.perPath[name].p99), ratio(routes.perPath[name].median / routes.perPath.clerk.median), us(routes.creation[name].median),
    ])),
    "",
    routes.mismatches.length === 0
      ? `Both matchers agree on all ${n(routes.paths)} paths.`
      : `**The matchers disagree on ${routes.mismatches.length} of ${n(routes.paths)} paths** (1 = match, 0 = no match, 2 = throws): ${routes.mismatches.slice(0, 8).map((m) => `\`${m.path}\` edgeguard ${m.edgeguard} / Clerk ${m.clerk}`).join("; ")}.`,
    "",
  );
}

function startupSection(out, { startup }) {
  out.push("## 4. Start-up", "");
  if (!measured(startup)) return out.push(why(startup), "");
  const cell = (mode, field) => (startup[mode]?.[field] ? `${ms(startup[mode][field].median)} (max ${ms(startup[mode][field].max)})` : "–");
  out.push(
    `Each sample is a fresh Node process (bench/children/startup.mjs), ${startup.edge.runs} per style, styles interleaved; medians (max).`,
    "- **node entry**: `import(\"edgeguard\")` (js/node.js), then `createGuard`, which reads the .wasm from its file, compiles, instantiates and builds the guard.",
    "- **edge style**: the .wasm compiled to a `WebAssembly.Module` first (on the edge runtime this happens when the isolate loads the `?module` import, before any request), then instantiated by hand as js/edge.js does, then `createGuard`.",
    "",
    table(["step", "node entry", "edge style"], [
      ["import the JS (glue + API)", cell("node-entry", "importMs"), cell("edge", "importMs")],
      ["read .wasm file", "in createGuard", cell("edge", "readMs")],
      ["compile (`new WebAssembly.Module`)", "in createGuard", cell("edge", "compileMs")],
      ["instantiate (`new WebAssembly.Instance` + start)", "in createGuard", cell("edge", "instantiateMs")],
      ["`createGuard`", `${cell("node-entry", "createGuardMs")} (read + compile + instantiate + guard)`, `${cell("edge", "createGuardMs")} (guard only)`],
      ["first decision (cold token, cold code)", cell("node-entry", "firstDecideMs"), cell("edge", "firstDecideMs")],
      ["second decision (another cold token)", cell("node-entry", "secondDecideMs"), cell("edge", "secondDecideMs")],
      ["third decision (the second token again: cache hit)", cell("node-entry", "firstWarmDecideMs"), cell("edge", "firstWarmDecideMs")],
    ]),
    "",
    "V8 compiles wasm lazily (Liftoff first, optimised tier later), so compile/instantiate are short and the first decisions carry the remaining compile cost.",
    "",
  );
}

function sizeSection(out, { size }) {
  out.push("## 5. Size", "");
  if (!measured(size)) return out.push(why(size), "");
  const w = size.wasm;
  out.push(table(["artifact", "raw", "gzip -9", "brotli 11"], [
    ["pkg/edgeguard_bg.wasm", bytes(w.raw), `${bytes(w.gzip)}${w.gzip <= GZIP_LIMIT ? "" : " (over 150 KB)"}`, bytes(w.brotli)],
    ...(w.stripped ? [["the same without custom sections (\"name\", \"producers\", …)", bytes(w.stripped.raw), bytes(w.stripped.gzip), "–"]] : []),
  ]), "");
  out.push(
    `Where the bytes go (raw): ${Object.entries(w.sections).sort((a, b) => b[1] - a[1]).map(([name, b]) => `${name} ${bytes(b)}`).join(", ")}.`,
    w.names?.named
      ? `Code section by crate (function bodies named by the name section — ${w.names.source}; generic std/core code instantiated for a caller counts under std):`
      : `Code section by crate: _function names unavailable (${w.names?.why ?? "no name section"}), so the code cannot be attributed_:`,
    "",
    table(["crate / module", "code bytes", "functions"], w.crates.map((c) => [c.crate, bytes(c.bytes), n(c.functions)])),
    "",
    `Largest functions: ${w.functions.map((f) => `\`${f.name.replace(/::h[0-9a-f]{16}$/, "")}\` ${bytes(f.bytes)}`).join("; ")}.`,
    "",
  );
  const m = size.middleware;
  if (!measured(m)) {
    out.push(`Example app middleware bundle: ${why(m)}`, "");
  } else {
    out.push(
      `Example app (examples/nextjs-clerk) edge middleware as built on ${m.builtAt.slice(0, 16).replace("T", " ")} UTC: the ${m.files} JS files and ${m.wasmFiles} wasm file(s) .next/server/middleware-manifest.json lists for it — ${bytes(m.raw)} raw, ${bytes(m.gzip)} gzip -9 (file by file)${m.wasmFiles ? `, of which wasm ${bytes(m.wasmBytes)} raw` : "; **no wasm in it: this build's middleware does not load edgeguard**"}.${m.missing.length ? ` Missing files: ${m.missing.join(", ")}.` : ""}`,
      "",
    );
  }
}

function profileSection(out, { profile }) {
  out.push("## Where the time goes (V8 sampling profiler)", "");
  if (!measured(profile)) return out.push(why(profile), "");
  out.push(
    profile.module?.named ? `Wasm functions are named from ${profile.module.source}.` : `_Wasm function names were unavailable (${profile.module?.why}), so wasm stages cannot be attributed._`,
    "",
    "Each kind of work ran in a loop in a fresh process under V8's sampling profiler (100 µs interval; the profiler slows everything down, so the shares matter, not the absolute time). A stage's share counts every sample with that stage's function on the stack; nested stages (…) are part of the stage above. Reproduce with `node bench/profile.mjs warm|cold|route` (writes a .cpuprofile for Chrome DevTools).",
    "",
  );
  const titles = { warm: "Warm decision (token cache hit)", cold: "Cold decision (never-seen token)", route: "Route matching (50 patterns)" };
  for (const kind of ["warm", "cold", "route"]) {
    const p = profile[kind];
    if (!p) continue;
    out.push(
      `**${titles[kind]}** — ${n(p.calls)} calls, ${us(p.perCallUs)} per call with the profiler on, ${n(p.samples)} samples.`,
      "",
      table(["stage", "share"], p.stages.map((s) => [s.label, `${(100 * s.share).toFixed(1)}%`])),
      "",
      `Most self time: ${p.top.slice(0, 8).map((f) => `\`${f.name.slice(0, 90)}\` ${(100 * f.share).toFixed(1)}%`).join("; ")}.`,
      "",
    );
  }
}

function memorySection(out, { memory }) {
  out.push("## 6. Memory over a long run", "");
  if (!measured(memory)) return out.push(why(memory), "");
  out.push(
    `${n(memory.decisions)} decisions in a fresh process (bench/children/memory.mjs, \`--expose-gc\`, a GC before each sample) cycling through ${n(memory.distinct)} distinct valid tokens in order: each token comes back only after all the others, so a bounded token cache smaller than that misses on every decision and evicts on every insert — the worst case for growth. Outcomes: ${Object.entries(memory.outcomes).map(([k, v]) => `${k} × ${n(v)}`).join(", ")}; ${(memory.totalMs / 1000).toFixed(1)} s in all.`,
    "",
    table(["decisions", "RSS", "JS heap used", "external", "wasm memory", "elapsed"], memory.samples.map((s) => [
      n(s.decisions), mib(s.rss), mib(s.heapUsed), mib(s.external), mib(s.wasmMemory), `${(s.elapsedMs / 1000).toFixed(1)} s`,
    ])),
    "",
    `Verdict: ${memory.flat ? "**flat**" : "**not flat**"} — after ${n(memory.settledAt)} decisions wasm memory grew by ${mib(memory.wasmGrowthAfterSettle)} and RSS by ${mib(memory.rssGrowthAfterSettle)} (flat = no wasm memory growth and RSS within ${memory.rssTolerance * 100}%). WebAssembly memory never shrinks, so a cache without a bound would show here as steady growth.`,
    "",
  );
}

function nativeSection(out, { native, decisions, routes }) {
  out.push("## Native core (criterion, `cargo bench --bench decide`)", "");
  if (!measured(native)) {
    out.push(why(native), "");
    return;
  }
  out.push(
    `Native (x86-64, release profile) figures of benches/decide.rs, read from target/criterion; criterion ran at ${native[0].at.slice(0, 16).replace("T", " ")} UTC — a separate process at another moment than the JS figures above; on a shared machine the load differs between the two, so compare with care.`,
    "",
    table(["benchmark", "median", "95% CI of the median"], native.map((b) => [b.id, us(b.medianNs / 1000), `${us(b.lowNs / 1000)} – ${us(b.highNs / 1000)}`])),
    "",
  );
  const nativeOf = (id) => native.find((b) => b.id === id)?.medianNs / 1000;
  const pairs = [
    ["full decide, cold token", nativeOf("full decide (cold token)"), measured(decisions) ? decisions.cold.edgeguard.median : NaN, "`guard.decide` cold"],
    ["full decide, warm (cache hit)", nativeOf("full decide (warm: cache hit)"), measured(decisions) ? decisions.warm.edgeguard.median : NaN, "`guard.decide` warm"],
    ["token verify, cold", nativeOf("token verify (cold: RS256 + claims, no cache)"), measured(decisions) ? decisions.cold["edgeguard-verifyToken"].median : NaN, "`verifyToken`"],
    ["route match, 50 patterns, per path", nativeOf("route match (50 patterns, per path)"), measured(routes) ? routes.perPath.edgeguard.median : NaN, "`createRouteMatcher`"],
  ].filter(([, a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pairs.length) {
    out.push(
      "Native core vs the same work through wasm + the JS API (this run's medians; the JS side includes building the request record, crossing the boundary and building the result object):",
      "",
      table(["work", "native (criterion)", "wasm via JS", "JS API", "wasm ÷ native"], pairs.map(([label, a, b, api]) => [label, us(a), us(b), api, ratio(b / a)])),
      "",
    );
  }
}

function machineSection(out, { machine, options, versions, signing, durationSeconds }) {
  out.push(
    "## Machine and run",
    "",
    `- Date: ${machine.date}; run time ${durationSeconds.toFixed(0)} s${signing ? ` (of which ${signing.seconds.toFixed(0)} s signing ${n(signing.tokens)} tokens)` : ""}`,
    `- CPU: ${machine.cpu}, nproc ${machine.nproc}; memory ${mib(machine.memory)}; ${machine.os}`,
    `- Load average (1/5/15 min) at start ${machine.loadAverage.map((l) => l.toFixed(2)).join(" / ")}, at end ${machine.loadAverageAfter.map((l) => l.toFixed(2)).join(" / ")} — a shared machine: other processes ran during the benchmark`,
    `- Node ${machine.node} (V8 ${machine.v8}); ${versions ? Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(", ") : ""}`,
    `- Commit ${machine.commit ?? "?"}${machine.dirty ? " (with uncommitted changes)" : ""}; route corpus seed ${options.seed}; sections: ${options.sections.join(", ")}`,
    "",
    "## Reproduce",
    "",
    "```sh",
    "npm run build                     # pkg/: wasm32 release (wasm-opt when binaryen >= 116), custom sections stripped",
    "npm run bench                     # this file (5–10 min on 2 cores); --quick for a short check (~1 min)",
    "npm run bench -- --with-next-build     # also build examples/nextjs-clerk to size its middleware",
    "npm run bench -- --with-cargo-bench    # also run the native criterion bench first",
    "cargo bench --bench decide        # the native figures alone",
    `npm run bench -- --seed ${options.seed}   # the same route-path corpus`,
    "```",
    "",
    "No test asserts on timings; these figures are measurements, not checks.",
  );
}
