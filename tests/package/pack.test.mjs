// What users install: the npm tarball holds only what they need, passes publint and
// arethetypeswrong, and a scratch project that installs it can import the package in Node.
// (The example app's `next build` proves the edge import: edge-light → js/edge.js → ?module wasm.)
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { publint } from "publint";
import { packEdgeguard } from "../support/app-build.mjs";
import { repoRoot } from "../support/paths.mjs";

const exec = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8"));

// Everything a user needs, and the only things allowed in the tarball.
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^js\/(audit\/)?[\w.-]+\.(js|d\.ts)$/,
  /^pkg\/edgeguard_bg\.wasm$/,
  /^pkg\/edgeguard_bg\.js$/,
  /^pkg\/edgeguard_bg\.wasm\.d\.ts$/,
  /^pkg\/edgeguard\.d\.ts$/,
];
const REQUIRED = ["package.json", "README.md", "LICENSE", "pkg/edgeguard_bg.wasm", "pkg/edgeguard_bg.js",
  "js/node.js", "js/edge.js", "js/core.js", "js/engine.js", "js/index.d.ts"];

/** Every file path that package.json's exports / types / bin point at. */
function referencedFiles() {
  const files = new Set();
  const walk = (target) => {
    if (typeof target === "string") files.add(path.posix.normalize(target));
    else if (target && typeof target === "object") Object.values(target).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.types);
  walk(pkg.bin);
  return [...files];
}

let packedFiles;
let tarball;
const scratch = mkdtempSync(path.join(tmpdir(), "edgeguard-pack-"));

before(async () => {
  const { stdout } = await exec("npm", ["pack", "--dry-run", "--json"], { cwd: repoRoot });
  packedFiles = JSON.parse(stdout)[0].files.map((file) => file.path);
  tarball = await packEdgeguard({ verbose: false });
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test("npm pack lists only what users need", () => {
  const unexpected = packedFiles.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
  assert.deepEqual(unexpected, [], "files that must not be published");
  assert.ok(!packedFiles.some((file) => /\.test\.|\.map$|\.tgz$/.test(file)));
});

test("npm pack contains the runtime entries, the wasm and its glue, README and LICENSE", () => {
  const missing = REQUIRED.filter((file) => !packedFiles.includes(file));
  assert.deepEqual(missing, [], "required files missing from the tarball");
});

test("every file package.json points at (exports, types, bin) is in the tarball", () => {
  const missing = referencedFiles().filter((file) => file !== "package.json" && !packedFiles.includes(file));
  assert.deepEqual(missing, []);
});

test("package.json keeps the runtime entries' side effect (registering the wasm instantiator)", () => {
  // With "sideEffects": false a bundler (Turbopack) may skip evaluating js/node.js / js/edge.js,
  // whose only job is registerInstantiator(): every call then fails closed with 503.
  const entries = ["./js/node.js", "./js/edge.js"];
  assert.ok(Array.isArray(pkg.sideEffects) || pkg.sideEffects === undefined || pkg.sideEffects === true,
    `sideEffects is ${JSON.stringify(pkg.sideEffects)}`);
  if (Array.isArray(pkg.sideEffects)) {
    for (const entry of entries) assert.ok(pkg.sideEffects.includes(entry), `${entry} listed in sideEffects`);
  }
});

test("publint (strict) reports no errors", async () => {
  const { messages } = await publint({ pkgDir: repoRoot, strict: true });
  const errors = messages.filter((message) => message.type === "error");
  for (const message of messages.filter((m) => m.type !== "error")) {
    console.log(`publint ${message.type}: ${message.code} at ${message.path.join(".")}`);
  }
  assert.deepEqual(errors.map((e) => `${e.code} at ${e.path.join(".")}`), []);
});

test("arethetypeswrong (attw --pack, esm-only profile) reports no problems", async () => {
  // The package is ESM-only ("type": "module", no require condition): the esm-only profile drops the
  // node10 and node16-cjs resolutions, exactly as `attw --profile esm-only` does.
  const attw = path.join(repoRoot, "node_modules", ".bin", "attw");
  const run = await exec(attw, ["--pack", ".", "--profile", "esm-only", "--format", "json"], { cwd: repoRoot })
    .then((r) => ({ ...r, code: 0 }), (error) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }));
  const report = JSON.parse(run.stdout);
  const ignored = new Set(["node10", "node16-cjs"]);
  const problems = Object.values(report.problems ?? {}).flat().filter((p) => !ignored.has(p.resolutionKind));
  assert.deepEqual(problems, []);
  assert.equal(run.code, 0, run.stderr);
});

test("a scratch project installs the tarball and imports createRouteMatcher in Node", async () => {
    writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    await exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: scratch });
    assert.ok(existsSync(path.join(scratch, "node_modules", "edgeguard", "pkg", "edgeguard_bg.wasm")));
    // Peer dependencies are optional: plain Node users get no Next.js or Clerk.
    assert.ok(!existsSync(path.join(scratch, "node_modules", "next")));
    writeFileSync(path.join(scratch, "check.mjs"), [
      'import { createRouteMatcher } from "edgeguard";',
      'const isApp = createRouteMatcher(["/dashboard(.*)"]);',
      'console.log(JSON.stringify([typeof createRouteMatcher, isApp("/dashboard/x"), isApp("/other")]));',
    ].join("\n"));
    const { stdout } = await exec(process.execPath, ["check.mjs"], { cwd: scratch });
    assert.deepEqual(JSON.parse(stdout), ["function", true, false]);
  });
