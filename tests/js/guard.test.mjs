// createGuard / decide / explain through the real wasm core, with RS256 tokens signed by Node crypto.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGuard, validatePolicy, GuardError } from "edgeguard";
import { generateSigningKey } from "../support/keys.mjs";
import { sessionToken, signJwt } from "../support/tokens.mjs";

const POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  unauthorizedUrl: "/unauthorized",
  routes: [
    { name: "public", match: ["/", "/sign-in(.*)", "/unauthorized"], public: true },
    { name: "admin", match: ["/admin(.*)", "/api/admin(.*)"], require: { role: "admin" }, log: true },
    { name: "app", match: ["/dashboard(.*)", "/api/(.*)"], require: {} },
  ],
  default: "deny",
  headers: { "X-Content-Type-Options": "nosniff" },
};

const key = generateSigningKey();
const other = generateSigningKey();
const ORIGIN = "https://app.example.com";
const nav = { "sec-fetch-dest": "document", accept: "text/html" };

function req(path, headers = {}, method = "GET") {
  return { method, url: `${ORIGIN}${path}`, headers };
}

test("standalone: the guard verifies Bearer and __session tokens itself", async () => {
  const audit = [];
  const guard = await createGuard({ policy: POLICY, jwtKey: key.publicKeyPem, onAudit: (e) => audit.push(e) });
  const now = Math.floor(Date.now() / 1000);
  const { token } = sessionToken(key, { userId: "user_admin", role: "admin", now });
  const admin = guard.decide(req("/admin", { ...nav, cookie: `__session=${token}` }));
  assert.equal(admin.action, "allow", JSON.stringify(admin));
  assert.equal(admin.auth.userId, "user_admin");
  assert.equal(admin.headers["X-Content-Type-Options"], "nosniff");
  assert.equal(audit.length, 1, "log: true rules emit one audit event");
  assert.deepEqual(
    { rule: audit[0].rule, userId: audit[0].userId, path: audit[0].path, method: audit[0].method },
    { rule: "admin", userId: "user_admin", path: "/admin", method: "GET" },
  );
  assert.ok(!JSON.stringify(audit[0]).includes(token.split(".")[2]), "audit events never carry the token");

  const { token: plain } = sessionToken(key, { userId: "user_plain", now });
  const denied = guard.decide(req("/api/admin/users", { authorization: `Bearer ${plain}` }));
  assert.deepEqual([denied.action, denied.status, denied.reason], ["deny", 403, "missing-role"]);

  const forged = sessionToken(other, { userId: "user_admin", role: "admin", now }).token;
  const bad = guard.decide(req("/api/me", { authorization: `Bearer ${forged}` }));
  assert.deepEqual([bad.status, bad.reason], [401, "token-invalid-signature"]);
  assert.equal(bad.headers["WWW-Authenticate"], 'Bearer error="invalid_token"');

  const expired = sessionToken(key, { userId: "u", now: now - 3600, ttlSeconds: 60 }).token;
  const late = guard.decide(req("/dashboard", { ...nav, cookie: `__session=${expired}` }));
  assert.deepEqual([late.action, late.reason], ["redirect", "token-expired"]);
  assert.equal(late.location, `${ORIGIN}/sign-in?redirect_url=${encodeURIComponent(`${ORIGIN}/dashboard`)}`);

  const none = signJwt({ privateKey: key.privateKey }, { sub: "user_admin", iat: now, exp: now + 60 }, { alg: "none" });
  assert.equal(guard.decide(req("/api/me", { authorization: `Bearer ${none}` })).status, 401);
});

test("the same token decided twice (cache hit) gives the same decision, and expiry still applies", async () => {
  const guard = await createGuard({ policy: POLICY, jwtKey: key.publicKeyPem });
  const now = Math.floor(Date.now() / 1000);
  const { token } = sessionToken(key, { userId: "user_c", now, ttlSeconds: 30 });
  const headers = { authorization: `Bearer ${token}` };
  const first = guard.decide(req("/api/me", headers), { now });
  const second = guard.decide(req("/api/me", headers), { now });
  assert.deepEqual(second, first);
  assert.equal(first.action, "allow");
  const later = guard.decide(req("/api/me", headers), { now: now + 30 + 6 });
  assert.deepEqual([later.status, later.reason], [401, "token-expired"], "a cached token is not accepted after it expired");
});

test("middleware mode: Clerk's claims are used as given (null = signed out)", async () => {
  const guard = await createGuard({ policy: POLICY });
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: "user_1", sid: "sess_1", iat: now, nbf: now, exp: now + 60, metadata: { role: "admin" } };
  assert.equal(guard.decide(req("/admin", nav), { claims }).action, "allow");
  const out = guard.decide(req("/admin", nav), { claims: null });
  assert.deepEqual([out.action, out.reason], ["redirect", "signed-out"]);
  const stale = guard.decide(req("/admin", nav), { claims: { ...claims, exp: now - 100 } });
  assert.equal(stale.reason, "token-expired", "claims are re-validated even when Clerk passed them");
});

test("explain shows the rule and each requirement", async () => {
  const guard = await createGuard({ policy: POLICY });
  const now = Math.floor(Date.now() / 1000);
  const { decision, trace } = guard.explain(req("/admin/x", nav), { claims: { sub: "u", iat: now, nbf: now, exp: now + 60 } });
  assert.equal(decision.reason, "missing-role");
  assert.ok(trace.some((l) => l.includes('rule: "admin"')), trace.join("\n"));
  assert.ok(trace.some((l) => l.includes("require role: NOT met")), trace.join("\n"));
});

test("invalid configuration is rejected at creation, listing every error", async () => {
  const bad = { ...POLICY, version: 3, routes: [...POLICY.routes, { name: "x", match: "/api/*", require: {} }] };
  await assert.rejects(createGuard({ policy: bad }), (error) => {
    assert.ok(error instanceof GuardError);
    const paths = error.errors.map((e) => e.path);
    assert.ok(paths.includes("$.version") && paths.includes("$.routes[3].match"), paths.join(", "));
    return true;
  });
  await assert.rejects(createGuard({ policy: POLICY, jwtKey: "not a pem" }), (error) => {
    assert.ok(error instanceof GuardError);
    assert.ok(error.errors.some((e) => e.path === "options.jwtKey"), JSON.stringify(error.errors));
    return true;
  });
  await assert.rejects(createGuard({ policy: POLICY, webhookSecrets: { clerk: "not-whsec" } }), GuardError);
  await assert.rejects(createGuard({ policy: POLICY, jwtKee: "typo" }), GuardError);
  const result = validatePolicy(bad);
  assert.equal(result.ok, false);
  assert.ok(result.errors.length >= 2);
  assert.equal(validatePolicy(POLICY).ok, true);
  assert.equal(validatePolicy("{").ok, false);
});

test("decide never throws on junk input and never allows it", async () => {
  const guard = await createGuard({ policy: POLICY });
  for (const junk of [null, undefined, 42, {}, { url: "not a url" }, { url: "/relative" }, { method: "GET", url: "ftp://x/" }]) {
    const decision = guard.decide(junk);
    assert.equal(decision.action, "deny", `input ${JSON.stringify(junk)} → ${JSON.stringify(decision)}`);
  }
  const weird = guard.decide(req("/dashboard", { "x-middleware-subrequest": "middleware" }), { claims: { sub: 5 } });
  assert.deepEqual([weird.status, weird.reason], [400, "subrequest-header"]);
});
