// Packs the edgeguard package, installs the tarball into the example app and runs `next build`,
// each only when its inputs changed (stamps), so a second run of the demo or the tests is fast.
//
// Runtime variants: "edge" builds the app as committed (middleware.ts, edge runtime). "node" builds a
// generated copy under examples/nextjs-clerk/.variants/node/ where variants/node/proxy.ts replaces
// middleware.ts (Next 16 refuses both files at once); the copy shares the example's node_modules
// (resolved from the parent directory, which Turbopack accepts because it is inside its root).
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheDir, exampleDir, repoRoot } from "./paths.mjs";
import { run } from "./run.mjs";

const log = (message) => process.stderr.write(`[app] ${message}\n`);

function hashTree(hash, target) {
  if (!existsSync(target)) return;
  const stat = statSync(target);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(target).sort()) hashTree(hash, path.join(target, entry));
  } else {
    hash.update(path.relative(exampleDir, target)).update("\0").update(readFileSync(target)).update("\0");
  }
}

function sha256File(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** `npm pack` of the repository root into .cache/; returns the tarball path. Needs pkg/ built. */
export async function packEdgeguard({ verbose = true } = {}) {
  if (!existsSync(path.join(repoRoot, "pkg", "edgeguard_bg.wasm"))) {
    throw new Error("pkg/edgeguard_bg.wasm is missing: run `bash scripts/build.sh` first");
  }
  mkdirSync(cacheDir, { recursive: true });
  const out = await run("npm", ["pack", "--json", "--pack-destination", cacheDir], { cwd: repoRoot, label: "npm pack" });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf("[")));
  const tarball = path.join(cacheDir, filename);
  if (verbose) log(`packed ${path.relative(repoRoot, tarball)}`);
  return tarball;
}

/** Installs the tarball into the example unless that exact tarball is already installed. */
export async function installEdgeguardIntoExample(tarball, { verbose = true } = {}) {
  const stampFile = path.join(exampleDir, "node_modules", ".edgeguard-tarball.sha256");
  const sha = sha256File(tarball);
  const installed = existsSync(path.join(exampleDir, "node_modules", "edgeguard", "package.json"));
  if (installed && existsSync(stampFile) && readFileSync(stampFile, "utf8") === sha) {
    if (verbose) log("example already has this edgeguard tarball installed");
    return false;
  }
  if (verbose) log("installing the edgeguard tarball into examples/nextjs-clerk (npm install --no-save)");
  await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
    cwd: exampleDir,
    label: "npm install",
  });
  writeFileSync(stampFile, sha);
  return true;
}

const SOURCES = ["app", "lib", "variants", "middleware.ts", "next.config.ts", "tsconfig.json", "edgeguard.policy.json",
  ".env.production", "package.json", "package-lock.json", "node_modules/.edgeguard-tarball.sha256"];

function sourceStamp(runtime) {
  const hash = createHash("sha256").update(`runtime=${runtime}\0`);
  for (const entry of SOURCES) hashTree(hash, path.join(exampleDir, entry));
  return hash.digest("hex");
}

/** The directory `next build`/`next start` run in for a runtime variant (see the header). */
export function appDirFor(runtime = "edge") {
  if (runtime === "edge") return exampleDir;
  if (runtime === "node") return path.join(exampleDir, ".variants", "node");
  throw new Error(`unknown runtime variant ${JSON.stringify(runtime)} (expected "edge" or "node")`);
}

function prepareNodeVariant() {
  const dir = appDirFor("node");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of ["app", "lib", "next.config.ts", "tsconfig.json", "edgeguard.policy.json", ".env.production"]) {
    cpSync(path.join(exampleDir, entry), path.join(dir, entry), { recursive: true });
  }
  cpSync(path.join(exampleDir, "variants", "node", "proxy.ts"), path.join(dir, "proxy.ts"));
  return dir;
}

/** `next build` for a runtime variant unless the build on disk came from the same inputs. */
export async function buildExample({ runtime = "edge", force = process.env.EDGEGUARD_FORCE_BUILD === "1", verbose = true } = {}) {
  const stamp = sourceStamp(runtime);
  let dir = appDirFor(runtime);
  const stampFile = path.join(dir, ".next", "edgeguard-build-stamp");
  if (!force && existsSync(path.join(dir, ".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
    if (verbose) log(`${runtime} build is up to date (${path.relative(repoRoot, dir)}/.next)`);
    return dir;
  }
  if (runtime === "node") dir = prepareNodeVariant();
  if (verbose) log(`next build (${runtime} runtime) in ${path.relative(repoRoot, dir)} — about 20-40 s`);
  const started = Date.now();
  await run(process.execPath, [path.join(exampleDir, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: dir,
    env: { NEXT_TELEMETRY_DISABLED: "1", EDGEGUARD_APP_ROOT: exampleDir },
    verbose,
    label: "next build",
  });
  writeFileSync(stampFile, stamp);
  if (verbose) log(`next build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

/** Everything between a built pkg/ and a runnable example: pack, install, build. */
export async function prepareExample({ runtime = "edge", verbose = true } = {}) {
  const tarball = await packEdgeguard({ verbose });
  await installEdgeguardIntoExample(tarball, { verbose });
  return buildExample({ runtime, verbose });
}
