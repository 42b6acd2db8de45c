// Runs one kind of edgeguard work in a loop under V8's sampling profiler and says where the time
// goes: self time per function (wasm functions carry their Rust names) and inclusive time per stage
// of the pipeline (a sample counts for a stage when the stage's function is on its stack).
import { Session } from "node:inspector/promises";
import { compileWasm, instantiateAsEdge, loadJs } from "./engine-probe.mjs";
import { ROUTE_PATTERNS, routePaths } from "./route-corpus.mjs";
import { decisionRequest, POLICY } from "./scenario.mjs";
import { rsaPublicOp } from "../../js/node-rsa.js";

export const STAGES = [
  ["JS: request → record (toRequestRecord, wireRecord)", /^toRequestRecord$|^headerPairs$|^wireRecord$/],
  ["JS→wasm: reading the record (wire::read_input, passArray8ToWasm0)", /read_inputs|wire::read_input|^passArray8ToWasm0$/],
  ["core: the pipeline (Guard::decide_traced)", /Guard::decide_traced/],
  ["… canonical path", /canonicalize_path/],
  ["… route matching (RouteMatcher, regex_lite)", /RouteMatcher::/],
  ["… token cache lookup/insert (TokenCache::verify)", /TokenCache::verify/],
  ["… … SHA-256 of the token (the cache key)", /^sha2::/],
  ["… … RS256 signature check", /rs256|Rs256|verify_pkcs1v15|montgomery|^rsaPublicOp$/i],
  ["… … … its exponentiation by OpenSSL (publicDecrypt, as the Node entry)", /^rsaPublicOp$/],
  ["… session → Auth (auth_from_claims)", /auth_from_claims/],
  ["wasm: writing the Decision (decision_text: number or text)", /decision_text::|Serialize for edgeguard::decision/],
  ["wasm: the auth's JSON text, once per session token (lastAuth)", /WasmGuard::last_auth/],
  ["JS: Decision → object (DecisionReader.readCode / read)", /^readCode$|^read$|^#sharedEnvelope$|^#sharedAuth$|^decisionFrom$/],
  ["wasm→JS string copies (getStringFromWasm0)", /^getStringFromWasm0$/],
  ["route matcher: Clerk-style normalizePath in JS", /^normalizePath$/],
  ["garbage collector", /^\(garbage collector\)$/],
];

let engineReady = null;

/** The API over the given module (the named twin of pkg's, see named-wasm.mjs), instantiated once. */
async function api(module) {
  engineReady ??= (async () => {
    const js = await loadJs(module.glue);
    instantiateAsEdge(js, compileWasm(module.wasm).module);
    // As js/node.js does: the measured decisions run under Node, with OpenSSL's exponentiation.
    js.glue.setRsaPublicOp(rsaPublicOp);
    return js.core;
  })();
  return engineReady;
}

/**
 * kind: "warm" | "cold" | "route"; pool: { jwtKey, tokens } (cold needs more tokens than the cache
 * holds); module: { wasm, glue } files.
 */
export async function profileWork(kind, { pool, seconds, module }) {
  const { createGuard, createRouteMatcher } = await api(module);
  let work;
  if (kind === "route") {
    const matcher = createRouteMatcher(ROUTE_PATTERNS);
    const paths = routePaths(1).map((p) => ({ nextUrl: new URL(`https://app.example.com${p}`) }));
    let i = 0;
    work = () => matcher(paths[i++ % paths.length]);
  } else {
    const guard = await createGuard({ policy: POLICY, jwtKey: pool.jwtKey, onAudit: () => {} });
    const requests = (kind === "warm" ? pool.tokens.slice(0, 64) : pool.tokens).map((token) => decisionRequest(token));
    if (kind === "warm") for (const request of requests) guard.decide(request);
    let i = 0;
    work = () => guard.decide(requests[i++ % requests.length]);
  }
  for (let i = 0; i < 2000; i++) work();

  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const until = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) work();
    calls += 50;
  }
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  return { kind, calls, seconds, perCallUs: (seconds * 1e6) / calls, ...summarizeProfile(profile), profile };
}

export function summarizeProfile(profile) {
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const stageSamples = STAGES.map(() => 0);
  for (const [id, n] of counts) {
    const frame = byId.get(id).callFrame;
    const name = frame.functionName || `(${frame.url.split("/").pop() || "anonymous"})`;
    self.set(name, (self.get(name) ?? 0) + n);
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at).callFrame.functionName);
    STAGES.forEach(([, pattern, mode], i) => {
      if ((mode === "self" ? stack.slice(0, 1) : stack).some((fn) => pattern.test(fn))) stageSamples[i] += n;
    });
  }
  return {
    samples: total,
    stages: STAGES.map(([label], i) => ({ label, share: stageSamples[i] / total })).filter((s) => s.share > 0),
    top: [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOPN ?? 12)).map(([name, n]) => ({ name: name.replace(/::h[0-9a-f]{16}$/, ""), share: n / total })),
  };
}
