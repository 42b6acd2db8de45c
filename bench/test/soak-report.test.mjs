// The soak section of BENCHMARKS.md: verdicts from the figures, the checked-in results survive a
// re-render, and a missing soak says so instead of vanishing. Run: node --test bench/test/
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { renderReport } from "../report/render.mjs";
import { loadSoakResults, rssTrend, soakSection, soakTargetLines, soakVerdicts } from "../report/soak.mjs";

function soakRun({ runtime = "edge", errors = 0, mismatches = 0, rss = [100, 180, 182, 185] } = {}) {
  const seconds = 180;
  const latency = (p50, p99, count) => ({ n: count, p50, p90: p99 / 2, p99, max: p99 * 2 });
  return {
    kind: "edgeguard-soak",
    date: "2026-11-23T12:45:00.000Z",
    machine: { cpu: "Test CPU", nproc: 2, memoryBytes: 1 << 30, node: "v20.0.0", loadAverageAtStart: [4.5, 4, 3], loadAverageAtEnd: [5.25, 4.5, 3.5] },
    seed: 1,
    runtime,
    middleware: runtime,
    seconds,
    concurrency: 16,
    requestKinds: 3,
    handled: 12345,
    requestsPerSecond: 68.6,
    errors,
    mismatches,
    latencyMs: { all: latency(120, 900, 12345), middleware: latency(80, 700, 6000), app: latency(200, 1000, 5800), static: latency(90, 400, 545) },
    rss: rss.map((rssMb, i) => ({ t: Math.round((i * seconds) / (rss.length - 1)), handled: i * 1000, rssMb })),
    perKind: { "admin (doc, member)": { count: 400, mismatches, p50Ms: 75 }, "me (API, member cookie)": { count: 380, mismatches: 0, p50Ms: 150 } },
    mismatchSamples: mismatches ? ["admin (doc, member): status 200, expected 307"] : [],
    errorSamples: errors ? ["ping (public API): ECONNRESET"] : [],
    file: `bench/results/soak-${runtime}.json`,
  };
}

const benchRun = {
  machine: { date: "2026-11-23T12:00:00.000Z", cpu: "Test CPU", nproc: 2, memory: 1 << 30, os: "Linux", loadAverage: [1, 1, 1], loadAverageAfter: [1, 1, 1], node: "v20", v8: "12" },
  options: { quick: false, seed: 7, sections: [] },
  durationSeconds: 1,
};

test("RSS trend: warm-up is the first third; flat within 10% of the sample after it", () => {
  const flat = rssTrend(soakRun().rss, 180);
  assert.equal(flat.settled.rssMb, 180, "the sample at 60 s ends the warm-up");
  assert.equal(flat.flat, true);
  assert.equal(flat.peak, 185);
  assert.equal(rssTrend(soakRun({ rss: [100, 180, 200, 220] }).rss, 180).flat, false, "+22% after warm-up is growth");
  assert.equal(rssTrend([{ t: 0, rssMb: 100 }], 180).flat, null, "one sample cannot judge");
  assert.equal(rssTrend([], 180).flat, null);
});

test("verdicts: each goal of issue 9 is judged on its own", () => {
  assert.deepEqual(Object.values(soakVerdicts(soakRun())).slice(0, 3), [true, true, true]);
  const bad = soakVerdicts(soakRun({ errors: 2, mismatches: 1, rss: [100, 180, 260, 300] }));
  assert.deepEqual([bad.errors, bad.mismatches, bad.rss], [false, false, false]);
  const [line] = soakTargetLines([soakRun({ mismatches: 3 })]);
  assert.equal(line.met, false);
  assert.match(line.figure, /3 mismatches/);
  assert.match(line.figure, /load average 4\.5 → 5\.3 on 2 cores/);
  const [none] = soakTargetLines([]);
  assert.equal(none.met, null, "no soak results: not measured, not met");
});

test("soak section: the figures of every run, labelled end to end, with the RSS samples first → last", () => {
  const out = [];
  const edge = soakRun();
  edge.rss.push({ ...edge.rss.at(-1) }); // the closing sample on the last tick's second
  soakSection(out, [edge, soakRun({ runtime: "node", mismatches: 1 })]);
  const text = out.join("\n");
  assert.match(text, /## Soak: the example app under load \(issue 9\)/);
  assert.match(text, /\*\*Latency is end to end, measured by the client\*\*/);
  assert.match(text, /\| edge \(middleware\.ts\) \| node \(proxy\.ts\) \|/);
  assert.match(text, /\| requests handled \| 12,345 \(68\.6\/s\)/);
  assert.match(text, /\| decision mismatches \(goal 0\) \| 0 — \*\*met\*\* \| 1 — \*\*not met\*\* \|/);
  assert.match(text, /\| … answered by the middleware \(deny, redirect\) \| 80\.0 ms \/ 700 ms \(n = 6,000\)/);
  assert.match(text, /100 → 180 \(at 60 s\) → 185 MB, peak 185 MB/);
  assert.match(text, /load average \(1\/5\/15 min\) 4\.50 \/ 4\.00 \/ 3\.00 at start, 5\.25 \/ 4\.50 \/ 3\.50 at end/);
  assert.match(text, /RSS over time, edge middleware\.ts \(s: MB\): 0: 100, 60: 180, 120: 182, 180: 185\./);
  assert.match(text, /node: mismatch — admin \(doc, member\): status 200, expected 307/);
});

test("the report: soak lines join the targets, the section sits in the file, and a re-render keeps them", () => {
  const report = renderReport({ ...benchRun, soak: [soakRun()] });
  const targets = report.slice(report.indexOf("## Targets"), report.indexOf("## 1–2."));
  assert.match(targets, /- soak \(issue 9\), edge middleware\.ts: 0 errors, 0 decision mismatches, RSS flat: \*\*met\*\* — 12,345 requests in 180 s/);
  assert.match(report, /except the soak's, which come from a separate run/);
  assert.ok(report.indexOf("## Soak") > report.indexOf("## 6. Memory") && report.indexOf("## Soak") < report.indexOf("## Machine and run"));
  assert.equal(renderReport({ ...benchRun, soak: [soakRun()] }), report, "rendering is a pure function of the results");
  const empty = renderReport({ ...benchRun, soak: [] });
  assert.match(empty, /soak \(issue 9\): 0 errors, 0 decision mismatches, RSS flat: \*\*not measured\*\*/);
  assert.match(empty, /_No soak results checked in/);
});

test("loadSoakResults reads bench/results-style files, edge before node, and ignores other JSON", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "soak-results-"));
  try {
    writeFileSync(path.join(dir, "soak-node.json"), JSON.stringify(soakRun({ runtime: "node" })));
    writeFileSync(path.join(dir, "soak-edge.json"), JSON.stringify(soakRun({ runtime: "edge" })));
    writeFileSync(path.join(dir, "soak-other.json"), JSON.stringify({ kind: "something else" }));
    writeFileSync(path.join(dir, "bench.json"), JSON.stringify(soakRun()));
    const soaks = loadSoakResults(dir);
    assert.deepEqual(soaks.map((s) => s.runtime), ["edge", "node"]);
    assert.equal(soaks[0].file, "bench/results/soak-edge.json");
    assert.deepEqual(loadSoakResults(path.join(dir, "missing")), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the checked-in soak results (if any) render without throwing", () => {
  const out = [];
  soakSection(out, loadSoakResults());
  assert.match(out.join("\n"), /## Soak/);
});
