// edgeguard audit on fixtures: a deliberately leaky app (negative-lookahead matcher that skips
// /api, a route no rule covers) and a clean one; route-tree rules (groups, slots, intercepting,
// private folders, catch-alls); the CLI's exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { audit } from "../../js/audit.js";
import { middlewareCoverage } from "../../js/audit/middleware.js";
import { samplePaths } from "../../js/audit/routes.js";

const fixture = (name) => fileURLToPath(new URL(`../fixtures/audit/${name}`, import.meta.url));
const cli = fileURLToPath(new URL("../../js/cli.js", import.meta.url));
const require = createRequire(import.meta.url);

test("leaky app: the API routes outside the matcher and the uncovered page are reported", async () => {
  const report = await audit(fixture("gaps"));
  const byRoute = Object.fromEntries(report.routes.map((r) => [`${r.route} ${r.kind}`, r]));
  assert.equal(byRoute["/api/admin/do-thing pages API route"].runsMiddleware, "no");
  assert.equal(byRoute["/api/admin/do-thing pages API route"].rule, "admin");
  assert.equal(byRoute["/api/users app route handler"].runsMiddleware, "no");
  assert.equal(byRoute["/reports app page"].rule, "default");
  assert.equal(byRoute["/dashboard app page"].runsMiddleware, "yes");
  assert.deepEqual(
    report.problems.map((p) => p.route).sort(),
    ["/api/admin/do-thing", "/api/users", "/reports"],
  );
});

test("route tree: groups and slots vanish, interception re-roots, private folders are skipped", async () => {
  const routes = (await audit(fixture("gaps"))).routes.map((r) => `${r.route} | ${r.kind}`);
  assert.ok(routes.includes("/about | app page"), "(marketing) group dropped");
  assert.ok(routes.includes("/settings | app page"), "@modal slot dropped");
  assert.ok(routes.includes("/photo/[id] | app page (intercepting)"), "feed/(..)photo intercepts /photo");
  assert.ok(!routes.some((r) => r.includes("_private")), "private folder is not routable");
  assert.deepEqual(samplePaths("/blog/[[...slug]]"), ["/blog", "/blog/a/b"]);
  assert.deepEqual(samplePaths("/"), ["/"]);
});

test("clean app: every route runs the middleware and has a rule", async () => {
  const report = await audit(fixture("clean"));
  assert.deepEqual(report.problems, []);
  assert.ok(report.routes.every((r) => r.runsMiddleware === "yes" && r.rule !== "default"));
});

test("matcher semantics are Next's: compiled by next/dist, tested raw and decoded", () => {
  const { getMiddlewareMatchers } = require("next/dist/build/analysis/get-page-static-info.js");
  const { getMiddlewareRouteMatcher } = require("next/dist/shared/lib/router/utils/middleware-route-matcher.js");
  const matchers = getMiddlewareMatchers(["/((?!api|_next/static).*)", "/admin/:path*"], {});
  const next = getMiddlewareRouteMatcher(matchers);
  for (const path of ["/", "/api/x", "/apix", "/admin/a", "/_next/static/x.js", "/_next/data/b/page.json", "/%61pi/x", "/x.rsc"]) {
    const expected = next(path, {}, {}) || next(decodeURIComponent(path), {}, {}) ? "yes" : "no";
    assert.equal(middlewareCoverage(matchers, path), expected, path);
  }
  assert.equal(middlewareCoverage(null, "/"), "no");
  const conditional = getMiddlewareMatchers([{ source: "/x", has: [{ type: "header", key: "a" }] }], {});
  assert.equal(middlewareCoverage(conditional, "/x"), "conditional");
});

test("CLI: exit 1 with problems, 0 when clean, 2 on bad usage; --json is machine-readable", () => {
  const run = (...args) => spawnSync(process.execPath, [cli, "audit", ...args], { encoding: "utf8" });
  const leaky = run(fixture("gaps"));
  assert.equal(leaky.status, 1, leaky.stderr);
  assert.match(leaky.stdout, /\/api\/admin\/do-thing \(pages\/api\/admin\/do-thing\.ts\): escapes the middleware/);
  assert.equal(run(fixture("clean")).status, 0);
  const json = run(fixture("clean"), "--json");
  assert.equal(JSON.parse(json.stdout).problems.length, 0);
  assert.equal(run(fixture("gaps"), "--bogus").status, 2);
  assert.equal(run("/no/such/dir").status, 2);
});
