// The shipped .wasm has no "name" section (scripts/strip-wasm.mjs), so profiles and the size
// anatomy would see only func[123]. This rebuilds the same module WITH names: wasm-bindgen over the
// cargo artifact, accepted only if stripping it gives pkg/edgeguard_bg.wasm byte for byte (and the
// same glue) — then every timing and every code byte is the shipped module's, only named.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { glueFile, repoRoot, wasmFile } from "./paths.mjs";
import { withoutCustomSections } from "./wasm-anatomy.mjs";

const CARGO_ARTIFACT = path.join(repoRoot, "target", "wasm32-unknown-unknown", "release", "edgeguard.wasm");

function hasNameSection(file) {
  return withoutCustomSections(file).length !== readFileSync(file).length && readFileSync(file).includes(Buffer.from("\u0004name"));
}

/** { wasm, glue, named: true, dispose() } or { wasm: pkg's, glue: pkg's, named: false, why, dispose() } */
export function namedWasm() {
  const shipped = { wasm: wasmFile, glue: glueFile, dispose: () => {} };
  if (hasNameSection(wasmFile)) return { ...shipped, named: true, source: "pkg/ (has its name section)" };
  if (!existsSync(CARGO_ARTIFACT)) return { ...shipped, named: false, why: "no cargo wasm32 artifact to rebuild names from" };
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgeguard-named-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync("wasm-bindgen", [CARGO_ARTIFACT, "--target", "bundler", "--out-dir", dir, "--out-name", "edgeguard"], {
      env: { ...process.env, PATH: `${os.homedir()}/.cargo/bin:${process.env.PATH}` },
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (error) {
    dispose();
    return { ...shipped, named: false, why: `wasm-bindgen failed: ${String(error.stderr ?? error.message).trim().split("\n")[0]}` };
  }
  const wasm = path.join(dir, "edgeguard_bg.wasm");
  const glue = path.join(dir, "edgeguard_bg.js");
  const sameModule = withoutCustomSections(wasm).equals(readFileSync(wasmFile));
  const sameGlue = readFileSync(glue).equals(readFileSync(glueFile));
  if (!sameModule || !sameGlue) {
    dispose();
    return { ...shipped, named: false, why: "the cargo artifact is not the build in pkg/ (run npm run build)" };
  }
  return { wasm, glue, dispose, named: true, source: "wasm-bindgen over the cargo artifact; stripped, it is pkg/edgeguard_bg.wasm byte for byte" };
}
