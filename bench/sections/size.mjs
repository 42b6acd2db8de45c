// Section 5: the .wasm's size (raw, gzip -9) and the example app's middleware bundle, from the
// files Next's middleware-manifest.json lists for it (what the edge runtime loads).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { exampleDir, wasmFile } from "../lib/paths.mjs";
import { namedWasm } from "../lib/named-wasm.mjs";
import { wasmAnatomy, withoutCustomSections } from "../lib/wasm-anatomy.mjs";

function gzip9(buffer) {
  try {
    return { bytes: execFileSync("gzip", ["-9c"], { input: buffer, maxBuffer: 1 << 28 }).length, tool: "gzip -9" };
  } catch {
    return { bytes: gzipSync(buffer, { level: 9 }).length, tool: "zlib level 9 (no gzip binary)" };
  }
}

function brotli(buffer) {
  return brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

export function wasmSize() {
  const raw = statSync(wasmFile).size;
  const gz = gzip9(readFileSync(wasmFile));
  const named = namedWasm();
  const anatomy = wasmAnatomy(named.wasm);
  named.dispose();
  const shipped = wasmAnatomy(wasmFile);
  const stripped = withoutCustomSections(wasmFile);
  return {
    raw,
    gzip: gz.bytes,
    gzipTool: gz.tool,
    brotli: brotli(readFileSync(wasmFile)),
    // What a build without the "name"/"producers" custom sections would ship (null: pkg has none).
    stripped: stripped.length === raw ? null : { raw: stripped.length, gzip: gzip9(stripped).bytes },
    sections: shipped.sections,
    names: { named: named.named, source: named.source ?? null, why: named.why ?? null },
    crates: anatomy.crates.slice(0, 16),
    functions: anatomy.functions.slice(0, 10),
  };
}

/** The edge middleware of examples/nextjs-clerk as built; null when there is no build. */
export function middlewareSize(appDir = exampleDir) {
  const nextDir = path.join(appDir, ".next");
  const manifestFile = path.join(nextDir, "server", "middleware-manifest.json");
  if (!existsSync(manifestFile)) return null;
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  const entries = Object.values(manifest.middleware ?? {});
  if (entries.length === 0) return { builtAt: statSync(manifestFile).mtime.toISOString(), entries: 0 };
  const files = new Set();
  const wasm = [];
  for (const entry of entries) {
    for (const file of entry.files ?? []) files.add(file);
    for (const item of entry.wasm ?? []) wasm.push(item.filePath);
  }
  let raw = 0;
  let gzip = 0;
  const missing = [];
  for (const file of [...files, ...wasm]) {
    const full = path.join(nextDir, file);
    if (!existsSync(full)) {
      missing.push(file);
      continue;
    }
    const buffer = readFileSync(full);
    raw += buffer.length;
    gzip += gzipSync(buffer, { level: 9 }).length;
  }
  const wasmBytes = wasm.filter((file) => existsSync(path.join(nextDir, file)))
    .reduce((sum, file) => sum + statSync(path.join(nextDir, file)).size, 0);
  return {
    builtAt: statSync(manifestFile).mtime.toISOString(),
    runtime: "edge (middleware.ts)",
    files: files.size,
    wasmFiles: wasm.length,
    wasmBytes,
    raw,
    gzip,
    missing,
  };
}
