// Path attack corpus through guard.decide: encoding tricks, dot segments, slashes, case, unicode,
// `;` parameters, control bytes, backslashes, very long paths — 0 bypasses, where a bypass is an
// allow of a path Next.js would route to a page the user may not see (oracle: nextRoute in
// attack-path-forge.mjs). And CVE-2025-29927: any x-middleware-subrequest header is a 400.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGuard } from "edgeguard";
import * as glue from "../../pkg/edgeguard_bg.js";
import { seededRandom } from "./attack-support.mjs";
import { hostilePath, nextRoute, TRANSFORMS } from "./attack-path-forge.mjs";

// The guard (WasmGuard) lands in the engine separately; until a build has it, these are skipped by name.
const guardMissing = typeof glue.WasmGuard !== "function" ? { skip: "this pkg/ build has no WasmGuard yet" } : {};
const rng = seededRandom(20250726);
console.log(`attack-paths: seed ${rng.seed} (EDGEGUARD_SEED=${rng.seed} replays it)`);
const ORIGIN = "https://app.example.com";
const now = Math.floor(Date.now() / 1000);

// DESIGN.md's example policy, with `default: "signed-in"` (the laxer default, where a path that
// slips past its rule still reaches a page): the hardest case for the canonicaliser.
const POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  unauthorizedUrl: "/unauthorized",
  routes: [
    { name: "public", match: ["/", "/about", "/blog(.*)", "/sign-in(.*)", "/sign-up(.*)", "/unauthorized"], public: true },
    { name: "admin", match: ["/admin(.*)", "/api/admin(.*)"], require: { role: "admin" } },
    { name: "org", match: ["/org/:slug(.*)"], require: { org: true, permission: "org:invoices:read" } },
    { name: "billing", match: ["/api/billing(.*)"], require: { plan: ["pro", "enterprise"] } },
    { name: "app", match: ["/dashboard(.*)", "/settings(.*)", "/api/(.*)"], require: {} },
  ],
  default: "signed-in",
};
const ADMIN_ONLY = [/^\/admin(\/|$)/, /^\/api\/admin(\/|$)/, /^\/org\//, /^\/api\/billing(\/|$)/];
const SIGNED_IN_ONLY = [...ADMIN_ONLY, /^\/dashboard(\/|$)/, /^\/settings(\/|$)/, /^\/api\//];
const BASES = ["/admin", "/admin/users", "/admin/users/42/edit", "/api/admin", "/api/admin/stats", "/org/acme/invoices", "/api/billing/charge",
  "/dashboard", "/dashboard/reports", "/settings", "/settings/security", "/api/me", "/api/private/data"];

const member = { sub: "user_member", sid: "sess_m", iat: now - 10, nbf: now - 10, exp: now + 600, v: 2, metadata: { role: "member" } };
const admin = { ...member, sub: "user_admin", metadata: { role: "admin" } };

/** The Next.js route of a request URL (null: no page), after the WHATWG parser Next also uses. */
function routeOf(url) {
  return nextRoute(new URL(url).pathname);
}

function decide(guard, path, claims, headers = {}) {
  return guard.decide({ method: "GET", url: `${ORIGIN}${path}`, headers }, { now, claims });
}

test("controls: plain protected paths are allowed for the right user and denied for the others", guardMissing, async () => {
  const guard = await createGuard({ policy: POLICY });
  assert.equal(decide(guard, "/admin/users", admin).action, "allow");
  assert.equal(decide(guard, "/dashboard", member).action, "allow");
  assert.notEqual(decide(guard, "/admin/users", member).action, "allow");
  assert.notEqual(decide(guard, "/dashboard", null).action, "allow");
});

for (const [who, claims, forbidden] of [["signed-out", null, SIGNED_IN_ONLY], ["member", member, ADMIN_ONLY]]) {
  test(`0 bypasses for a ${who} user over random hostile spellings`, guardMissing, async () => {
    const guard = await createGuard({ policy: POLICY });
    const bypasses = [];
    let total = 0;
    const check = (path, applied) => {
      let url;
      try {
        url = new URL(`${ORIGIN}${path}`);
      } catch {
        return; // not a URL a client can send
      }
      const route = routeOf(url.href);
      if (route === null || !forbidden.some((re) => re.test(route))) return;
      total += 1;
      const decision = decide(guard, path, claims);
      assert.ok(["allow", "redirect", "deny"].includes(decision.action));
      if (decision.action === "allow") bypasses.push(`${applied.join("+")}: ${path.slice(0, 120)} → ${route.slice(0, 80)}`);
    };
    for (const base of BASES) {
      // Every transformation alone, then random compositions.
      for (const [name, transform] of Object.entries(TRANSFORMS)) check(transform(base, rng), [name]);
      for (let i = 0; i < 300; i += 1) {
        const { path, applied } = hostilePath(base, rng);
        check(path, applied);
      }
    }
    console.log(`  ${who}: ${total} hostile spellings that Next routes to a forbidden page`);
    assert.ok(total > 500, "the generator must reach protected routes");
    assert.deepEqual(bypasses.slice(0, 30), [], `${bypasses.length} bypasses`);
  });
}

test("malformed percent-encoding and control bytes: 400 bad-path, never allow", guardMissing, async () => {
  const guard = await createGuard({ policy: POLICY });
  for (const path of ["/dashboard/%E0%A4%A", "/admin/%", "/admin/%zz", "/%c0%af", "/admin%00", "/dashboard/%ff", "/api/%0a/x"]) {
    const decision = decide(guard, path, admin);
    assert.notEqual(decision.action, "allow", path);
  }
  const bad = decide(guard, "/dashboard/%E0%A4%A", member);
  assert.equal(bad.status, 400);
  assert.equal(bad.reason, "bad-path");
});

test("very long paths (64 KB) are rejected quickly with a reason", guardMissing, async () => {
  const guard = await createGuard({ policy: POLICY });
  for (const path of [`/dashboard/${"a".repeat(64 * 1024)}`, `${"/a/..".repeat(13000)}/admin`, `/admin${"/.".repeat(32000)}`]) {
    const started = performance.now();
    const decision = decide(guard, path, member);
    const ms = performance.now() - started;
    assert.notEqual(decision.action, "allow");
    assert.match(decision.reason, /^[a-z-]+$/);
    assert.ok(ms < 100, `${ms.toFixed(1)} ms`);
  }
});

test("CVE-2025-29927: x-middleware-subrequest in any form is a 400, even on public pages", guardMissing, async () => {
  const guard = await createGuard({ policy: { ...POLICY, rejectSubrequestHeader: true } });
  const values = ["middleware", "middleware:middleware:middleware:middleware:middleware", "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
    "pages/_middleware", "", " ", "middleware, middleware", "a,b,c", "x".repeat(8000)];
  const names = ["x-middleware-subrequest", "X-Middleware-Subrequest", "X-MIDDLEWARE-SUBREQUEST", "x-Middleware-subRequest"];
  for (const path of ["/", "/admin", "/dashboard", "/api/me", "/about"]) {
    for (let i = 0; i < 12; i += 1) {
      const name = rng.pick(names);
      const value = rng.pick(values);
      for (const headers of [{ [name]: value }, new Headers([[name, value]]), new Headers([[name, value], [name, rng.pick(values)]])]) {
        const decision = decide(guard, path, admin, headers);
        assert.equal(decision.status, 400, `${path} ${name}: ${JSON.stringify(value).slice(0, 40)}`);
        assert.equal(decision.action, "deny");
      }
    }
    // Through a real Request object too.
    const request = new Request(`${ORIGIN}${path}`, { headers: { "x-middleware-subrequest": "middleware" } });
    assert.equal(guard.decide(request, { now, claims: admin }).status, 400);
  }
});
