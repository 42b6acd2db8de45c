// One fresh process = one cold start. argv: <mode: node-entry|edge> <pool.json>. Prints one JSON line.
//   node-entry: `import("edgeguard")` (js/node.js: bytes from file, compiled and instantiated on
//               first use) + createGuard, then the first decisions.
//   edge:       compile (done once per isolate before any request on edge), then instantiate the
//               precompiled module by hand as js/edge.js does, createGuard, first decisions.
import { compileWasm, instantiateAsEdge, loadJs } from "../lib/engine-probe.mjs";
import { decisionRequest, loadPool, POLICY } from "../lib/scenario.mjs";

const [mode, poolFile] = process.argv.slice(2);
const { jwtKey, tokens } = loadPool(poolFile);
const clock = process.hrtime.bigint;
const msSince = (started) => Number(clock() - started) / 1e6;
const out = { mode };

let guard;
if (mode === "node-entry") {
  let started = clock();
  const { createGuard } = await import("edgeguard");
  out.importMs = msSince(started);
  started = clock();
  guard = await createGuard({ policy: POLICY, jwtKey, onAudit: () => {} });
  out.createGuardMs = msSince(started); // read + compile + instantiate + guard
} else if (mode === "edge") {
  const js = await loadJs();
  out.importMs = js.importMs;
  const compiled = compileWasm();
  out.readMs = compiled.readMs;
  out.compileMs = compiled.compileMs;
  out.instantiateMs = instantiateAsEdge(js, compiled.module).instantiateMs;
  const started = clock();
  guard = await js.core.createGuard({ policy: POLICY, jwtKey, onAudit: () => {} });
  out.createGuardMs = msSince(started); // the guard only: the instance exists already
} else {
  throw new Error(`unknown mode ${mode}`);
}

// Requests are built before timing: a decision's cost, not Request construction, is measured.
const first = decisionRequest(tokens[0]);
const second = decisionRequest(tokens[1]);
const again = decisionRequest(tokens[1]);
let started = clock();
const d1 = guard.decide(first);
out.firstDecideMs = msSince(started);
started = clock();
const d2 = guard.decide(second);
out.secondDecideMs = msSince(started);
started = clock();
const d3 = guard.decide(again);
out.firstWarmDecideMs = msSince(started);
out.actions = [d1, d2, d3].map((d) => `${d.action}:${d.reason}`);
process.stdout.write(`${JSON.stringify(out)}\n`);
