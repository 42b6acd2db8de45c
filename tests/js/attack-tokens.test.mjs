// Token attack corpus: forged, confused, malleated, malformed and oversized Clerk session tokens.
// 0 accepts through verifyToken (PEM and JWKS key sources). The genuine token is the control:
// it must be accepted, so a verifier that rejects everything fails this suite.
// Clerk's own verdict is recorded for every case and the cases Clerk accepts are printed (those
// are edgeguard's deliberate strictness, listed in docs/security.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyToken as clerkVerifyToken } from "@clerk/backend";
import { createGuard, verifyToken } from "edgeguard";
import { seededRandom } from "./attack-support.mjs";
import { algorithmConfusion, genuine, headerInjection, makeKeys, oversized, paddingAttacks, signedButInvalid } from "./attack-token-forge.mjs";

const rng = seededRandom(20250722);
console.log(`attack-tokens: seed ${rng.seed} (EDGEGUARD_SEED=${rng.seed} replays it)`);
// Real time, so Clerk's verifier (which reads the clock itself) judges the same tokens.
const now = Math.floor(Date.now() / 1000);
const keys = makeKeys();
const options = (c) => (c.jwks ? { jwks: keys.jwks, now } : { jwtKey: keys.pem, now });

test("control: the genuine token is accepted with a PEM key and with a JWKS", () => {
  const token = genuine(keys, now);
  assert.equal(verifyToken(token, { jwtKey: keys.pem, now }).ok, true);
  assert.equal(verifyToken(token, { jwks: keys.jwks, now }).ok, true);
});

const families = {
  "PKCS#1 v1.5 padding and signature values": () => paddingAttacks(keys, now, rng),
  "algorithm confusion": () => algorithmConfusion(keys, now),
  "header injection (jwk, jku, x5u, x5c, kid, crit)": () => headerInjection(keys, now),
  "signed but invalid (time edges, duplicate keys, shapes, encodings)": () => signedButInvalid(keys, now),
};

for (const [family, generate] of Object.entries(families)) {
  test(`0 accepts: ${family}`, async () => {
    const cases = generate();
    assert.ok(cases.length > 0);
    const accepted = [];
    const clerkAccepted = [];
    for (const c of cases) {
      const verdict = verifyToken(c.token, options(c));
      if (verdict.ok !== false || typeof verdict.reason !== "string" || !verdict.reason) accepted.push(c.name);
      if (!c.jwks) {
        // The package export resolves to the claims and throws on a rejection.
        const clerk = await clerkVerifyToken(c.token, { jwtKey: keys.pem, clockSkewInMs: 5000 }).then((data) => ({ data }), (e) => ({ errors: [e] }));
        // Clerk reads the clock itself: only its verdict on time-independent cases is meaningful.
        if (clerk.data && !/expired|valid|future|exp /.test(c.name)) clerkAccepted.push(c.name);
      }
    }
    if (clerkAccepted.length) console.log(`  accepted by Clerk, rejected by edgeguard (${family}):\n    ${clerkAccepted.join("\n    ")}`);
    assert.deepEqual(accepted, [], `${accepted.length} of ${cases.length} attack tokens accepted`);
  });
}

test("oversized tokens are rejected quickly, with a reason", () => {
  for (const c of oversized(keys, now)) {
    const started = performance.now();
    const verdict = verifyToken(c.token, { jwtKey: keys.pem, now });
    const ms = performance.now() - started;
    assert.equal(verdict.ok, false, c.name);
    assert.match(verdict.reason, /^[a-z-]+$/, c.name);
    assert.ok(ms < 250, `${c.name}: ${ms.toFixed(1)} ms`);
  }
});

// The same corpus through guard.decide: the guard verifies the token itself (no Clerk claims in
// the context), from the Authorization header and from the __session cookie.
const GUARD_POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  routes: [
    { name: "public", match: ["/", "/sign-in(.*)"], public: true },
    { name: "admin", match: ["/admin(.*)"], require: { role: "admin" } },
    { name: "app", match: ["/dashboard(.*)", "/api/(.*)"], require: {} },
  ],
  default: "deny",
};

test("0 allows through guard.decide (bearer and cookie), every family, PEM and JWKS guards", async () => {
  const guards = { pem: await createGuard({ policy: GUARD_POLICY, jwtKey: keys.pem }), jwks: await createGuard({ policy: GUARD_POLICY, jwks: keys.jwks }) };
  const ask = (guard, token, path, via) => guard.decide(
    { method: "GET", url: `https://app.example.com${path}`, headers: via === "bearer" ? { authorization: `Bearer ${token}` } : { cookie: `__session=${token}; __client_uat=${now - 10}` } },
    { now },
  );
  const control = genuine(keys, now);
  for (const via of ["bearer", "cookie"]) {
    assert.equal(ask(guards.pem, control, "/admin", via).action, "allow", `control (${via})`);
    assert.equal(ask(guards.jwks, control, "/admin", via).action, "allow", `control jwks (${via})`);
  }
  const allowed = [];
  let total = 0;
  const cases = [...Object.values(families).flatMap((generate) => generate()), ...oversized(keys, now)];
  for (const c of cases) {
    for (const via of ["bearer", "cookie"]) {
      for (const path of ["/admin", "/api/me"]) {
        total += 1;
        const decision = ask(c.jwks ? guards.jwks : guards.pem, c.token, path, via);
        if (decision.action === "allow") allowed.push(`${c.name} (${via} ${path})`);
        else assert.ok(decision.status >= 300 && decision.status < 500, `${c.name}: ${decision.status}`);
      }
    }
  }
  console.log(`  guard.decide: ${total} attack requests`);
  assert.deepEqual(allowed, [], `${allowed.length} of ${total} attack requests allowed`);
});
