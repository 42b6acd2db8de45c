// The targets of issue 8, each judged from this run's figures: met / not met / not measured.
import { bytes, mib, ms, ratio, us } from "../lib/stats.mjs";

export const GZIP_LIMIT = 150_000; // "150 KB", read as 150,000 bytes (the stricter reading)

const measured = (part) => part && !part.skipped && !part.failed;
const why = (part) => part?.skipped ?? (part?.failed ? `failed: ${part.failed}` : "not measured");

export function evaluateTargets(results) {
  const { decisions, size, startup, memory } = results;
  const lines = [];

  if (measured(decisions)) {
    const ours = decisions.cold.edgeguard.median;
    const clerk = decisions.cold.clerk.median;
    const r = ours / clerk;
    lines.push({
      target: "cold decision ≤ 0.5× Clerk's JS path",
      met: r <= 0.5,
      figure: `${ratio(r)} (edgeguard ${us(ours)} vs Clerk ${us(clerk)}, medians)${r <= 0.5 ? "" : ` — ${ratio(r / 0.5)} over the target`}`,
    });
    const warm = decisions.warm.edgeguard.median;
    const warmClerk = decisions.warm.clerk.median;
    const wr = warm / warmClerk;
    const warmMet = warm <= 5 && wr <= 0.1;
    lines.push({
      target: "warm decision ≤ 5 µs and ≤ 0.1× Clerk's JS path",
      met: warmMet,
      figure: `${us(warm)}, ${ratio(wr)} of Clerk's ${us(warmClerk)}${warm > 5 ? ` — ${us(warm - 5)} over 5 µs` : ""}${wr > 0.1 ? ` — ratio ${ratio(wr / 0.1)} over 0.1×` : ""}`,
    });
  } else {
    lines.push({ target: "cold decision ≤ 0.5× Clerk's JS path", met: null, figure: why(decisions) });
    lines.push({ target: "warm decision ≤ 5 µs and ≤ 0.1× Clerk's JS path", met: null, figure: why(decisions) });
  }

  if (measured(size)) {
    const gz = size.wasm.gzip;
    lines.push({
      target: ".wasm ≤ 150 KB gzip",
      met: gz <= GZIP_LIMIT,
      figure: `${bytes(gz)} with ${size.wasm.gzipTool}${gz > GZIP_LIMIT ? ` — ${bytes(gz - GZIP_LIMIT)} over` : ""}`,
    });
  } else {
    lines.push({ target: ".wasm ≤ 150 KB gzip", met: null, figure: why(size) });
  }

  if (measured(startup) && startup.edge?.instantiateMs) {
    const inst = startup.edge.instantiateMs.median;
    const node = startup["node-entry"]?.createGuardMs?.median;
    lines.push({
      target: "instantiate ≤ 5 ms",
      met: inst <= 5,
      figure: `${ms(inst)} (precompiled module → instance, as js/edge.js; median of ${startup.edge.runs} fresh processes)` +
        (Number.isFinite(node) ? `; node entry read + compile + instantiate + createGuard: ${ms(node)}` : "") +
        (inst > 5 ? ` — ${ms(inst - 5)} over` : ""),
    });
  } else {
    lines.push({ target: "instantiate ≤ 5 ms", met: null, figure: why(startup) });
  }

  if (measured(memory)) {
    const first = memory.samples.find((s) => s.decisions === memory.settledAt);
    const last = memory.samples[memory.samples.length - 1];
    lines.push({
      target: `memory flat over the ${memory.decisions.toLocaleString("en-US")}-decision run, token cache bounded`,
      met: memory.flat,
      figure: `wasm memory ${mib(first.wasmMemory)} at ${first.decisions.toLocaleString("en-US")} → ${mib(last.wasmMemory)} at ${last.decisions.toLocaleString("en-US")}; ` +
        `RSS ${mib(first.rss)} → ${mib(last.rss)} (${memory.distinct.toLocaleString("en-US")} distinct tokens)`,
    });
  } else {
    lines.push({ target: "memory flat over the 1M-decision run, token cache bounded", met: null, figure: why(memory) });
  }
  return lines;
}
