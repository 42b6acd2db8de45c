// The edgeguard CLI as a user runs it: `check` and `explain` on real files, exit codes and output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSigningKey } from "../support/keys.mjs";
import { sessionToken } from "../support/tokens.mjs";

const CLI = fileURLToPath(new URL("../../js/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "edgeguard-cli-"));
const write = (name, value) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
};
const run = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

const POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  routes: [
    { name: "public", match: ["/", "/sign-in(.*)"], public: true },
    { name: "admin", match: ["/admin(.*)"], require: { role: "admin", mfa: true } },
    { name: "app", match: ["/dashboard(.*)", "/api/(.*)"], require: {} },
  ],
};
const policyFile = write("policy.json", POLICY);

test("check: a valid policy exits 0, an invalid one exits 1 and names every error", () => {
  const ok = run("check", policyFile);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /valid/);
  const broken = write("broken.json", { ...POLICY, version: 2, routes: [...POLICY.routes, { name: "x", match: "admin" }] });
  const bad = run("check", broken);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /error\s+\$\.version/);
  assert.match(bad.stdout, /error\s+\$\.routes\[3\]\.match/);
  const json = JSON.parse(run("check", broken, "--json").stdout);
  assert.equal(json.ok, false);
  assert.ok(json.errors.length >= 2);
  assert.equal(run("check", join(dir, "missing.json")).status, 2);
});

test("explain: claims file and a verified token, readable and --json", () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = write("claims.json", { sub: "user_1", iat: now, nbf: now, exp: now + 300, metadata: { role: "admin" }, fva: [1, -1] });
  const readable = run("explain", policyFile, "/admin/users", "--claims", claims, "--document");
  assert.equal(readable.status, 1, "a denial exits 1");
  assert.match(readable.stdout, /rule: "admin"/);
  assert.match(readable.stdout, /require role: met/);
  assert.match(readable.stdout, /require mfa: NOT met/);
  assert.match(readable.stdout, /mfa-required/);

  const key = generateSigningKey();
  const pem = write("key.pem", key.publicKeyPem);
  const { token } = sessionToken(key, { userId: "user_2", now });
  const verified = JSON.parse(run("explain", policyFile, "https://app.example.com/api/me", "--token", token, "--jwt-key", pem, "--json").stdout);
  assert.equal(verified.decision.action, "allow");
  assert.equal(verified.decision.auth.userId, "user_2");
  assert.ok(verified.notes.some((n) => n.includes("verified")));

  const out = JSON.parse(run("explain", policyFile, "/dashboard", "--json").stdout);
  assert.equal(out.decision.status, 401, "no session, not a document: 401");
  const usage = run("explain", policyFile);
  assert.equal(usage.status, 2);
});
