// The bench harness's own logic (statistics, corpora, wasm anatomy, verdicts) — no timings asserted.
// Run: node --test bench/test/
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { namedWasm } from "../lib/named-wasm.mjs";
import { wasmFile } from "../lib/paths.mjs";
import { createRng } from "../lib/rng.mjs";
import { ROUTE_PATTERNS, routePaths } from "../lib/route-corpus.mjs";
import { summarize } from "../lib/stats.mjs";
import { wasmAnatomy, withoutCustomSections } from "../lib/wasm-anatomy.mjs";
import { evaluateTargets, GZIP_LIMIT } from "../report/targets.mjs";

test("summarize: median of odd and even counts, p99 as the nearest rank, order-independent", () => {
  assert.equal(summarize([3, 1, 2]).median, 2);
  assert.equal(summarize([4, 1, 3, 2]).median, 2.5);
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  const s = summarize(hundred);
  assert.equal(s.p99, 99);
  assert.equal(s.min, 1);
  assert.equal(s.max, 100);
  assert.equal(s.mean, 50.5);
  assert.ok(Number.isNaN(summarize([]).median));
});

test("route corpus: 50 patterns, deterministic per seed, different across seeds, every path absolute", () => {
  assert.equal(ROUTE_PATTERNS.length, 50);
  const a = routePaths(7);
  assert.equal(a.length, 1000);
  assert.deepEqual(routePaths(7), a);
  assert.notDeepEqual(routePaths(8), a);
  for (const path of a) assert.ok(path.startsWith("/"), path);
  const rng = createRng(1);
  const draws = Array.from({ length: 1000 }, () => rng.next());
  assert.ok(draws.every((x) => x >= 0 && x < 1));
});

test("wasm anatomy: sections add up to the file; stripping custom sections leaves a valid module", { skip: !existsSync(wasmFile) && "pkg/ not built" }, () => {
  const anatomy = wasmAnatomy(wasmFile);
  const sectionBytes = Object.values(anatomy.sections).reduce((sum, b) => sum + b, 0);
  assert.ok(sectionBytes < anatomy.total && anatomy.total - sectionBytes < 8 + 5 * 20, "section headers are the only rest");
  const codeBytes = anatomy.crates.reduce((sum, c) => sum + c.bytes, 0);
  assert.ok(codeBytes <= anatomy.sections.code);
  const stripped = withoutCustomSections(wasmFile);
  assert.ok(stripped.length <= anatomy.total);
  assert.equal(withoutCustomSections(wasmFile).length, stripped.length, "stripping is idempotent");
  assert.doesNotThrow(() => new WebAssembly.Module(stripped));
});

test("named twin: when available it is pkg's module plus names, and its functions carry Rust paths", { skip: !existsSync(wasmFile) && "pkg/ not built" }, () => {
  const twin = namedWasm();
  if (!twin.named) {
    assert.equal(twin.wasm, wasmFile, `falls back to the shipped module (${twin.why})`);
    twin.dispose();
    return;
  }
  assert.ok(withoutCustomSections(twin.wasm).equals(withoutCustomSections(wasmFile)));
  const crates = wasmAnatomy(twin.wasm).crates.map((c) => c.crate);
  twin.dispose();
  assert.ok(crates.includes("edgeguard::token") && crates.includes("edgeguard::decision"), crates.join(", "));
});

test("verdicts: met / not met from the figures, not measured when a section is missing", () => {
  const stats = (median) => ({ median, p99: median * 2 });
  const results = {
    decisions: { cold: { edgeguard: stats(100), clerk: stats(400) }, warm: { edgeguard: stats(6), clerk: stats(300) } },
    size: { wasm: { gzip: GZIP_LIMIT + 1, gzipTool: "gzip -9" } },
    startup: { edge: { runs: 3, instantiateMs: stats(1) }, "node-entry": { createGuardMs: stats(50) } },
    memory: { skipped: "not run (--only)" },
  };
  const [cold, warm, size, instantiate, memory] = evaluateTargets(results);
  assert.equal(cold.met, true);
  assert.equal(warm.met, false, "6 µs is over 5 µs although 0.02× Clerk");
  assert.equal(size.met, false);
  assert.equal(instantiate.met, true);
  assert.equal(memory.met, null);
  assert.match(memory.figure, /not run/);
});
