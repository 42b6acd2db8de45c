// The long run: `decisions` decisions cycling through `distinct` tokens in order, so each token
// returns only after all the others — with a bounded token cache smaller than `distinct`, every
// decision is a miss that inserts one entry and evicts another (the worst case for growth).
// argv: <pool.json> <decisions> <distinct> <sampleEvery>. Prints one JSON line; progress on stderr.
import { instantiateAsEdge, compileWasm, loadJs } from "../lib/engine-probe.mjs";
import { decisionRecord, loadPool, POLICY } from "../lib/scenario.mjs";

const [poolFile, decisionsArg, distinctArg, everyArg] = process.argv.slice(2);
const decisions = Number(decisionsArg);
const distinct = Number(distinctArg);
const every = Number(everyArg);
const { jwtKey, tokens } = loadPool(poolFile);
if (tokens.length < distinct) throw new Error(`pool has ${tokens.length} tokens, ${distinct} needed`);

const js = await loadJs();
const { memory } = instantiateAsEdge(js, compileWasm().module);
const guard = await js.core.createGuard({ policy: POLICY, jwtKey, onAudit: () => {} });
// Plain records, built once: the JS side allocates as little as possible besides the decisions.
const records = tokens.slice(0, distinct).map((token) => decisionRecord(token));

const gc = globalThis.gc ?? (() => {});
const samples = [];
const sample = (done, elapsedMs) => {
  gc();
  const usage = process.memoryUsage();
  samples.push({ decisions: done, rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external,
    wasmMemory: memory.buffer.byteLength, elapsedMs });
};

const outcomes = new Map();
const started = performance.now();
sample(0, 0);
for (let i = 0; i < decisions; i++) {
  const decision = guard.decide(records[i % distinct]);
  const key = `${decision.action}:${decision.reason}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  if ((i + 1) % every === 0) {
    sample(i + 1, performance.now() - started);
    process.stderr.write(`[bench] memory run: ${(i + 1).toLocaleString("en-US")} decisions\n`);
  }
}
process.stdout.write(`${JSON.stringify({ samples, outcomes: Object.fromEntries(outcomes), gcForced: Boolean(globalThis.gc),
  totalMs: performance.now() - started })}\n`);
