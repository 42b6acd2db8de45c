// Differential test: session claims → auth object and has(), edgeguard against Clerk's own
// `signedInAuthObject` (@clerk/backend/internal, built on @clerk/shared's JWT payload parser and
// createCheckAuthorization). Same claims, same queries: same fields, same has() answers.
//
// AUTH_DIFF_SEED=<n> replays a run; AUTH_DIFF_CASES=<n> sets the number of generated claim sets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authFromClaims, hasAuthorization } from "edgeguard";
import { prng, signedInAuthObject, claimsOutsideClerkTypes } from "./support/tokens.mjs";

const seed = Number(process.env.AUTH_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const caseCount = Number(process.env.AUTH_DIFF_CASES ?? 1500);
console.log(`auth-diff seed: ${seed} (AUTH_DIFF_SEED=${seed} to replay), ${caseCount} claim sets`);

const CONTEXT = { secretKey: "sk_test_edgeguard", apiUrl: "https://api.clerk.com", apiVersion: "v1" };
const FEATURES = ["reports", "invoices", "export", "sso", "billing", ""];
const PERMISSIONS = ["read", "write", "delete", "manage", ""];
const ROLES = ["admin", "member", "org:admin", "org:org:admin", "billing", "", "Admin"];

function clerkAuth(claims) {
  try {
    return { ok: true, auth: signedInAuthObject(CONTEXT, "token", claims) };
  } catch (error) {
    return { ok: false, error: error.message };
  }
}

const nullish = (v) => (v === undefined ? null : v);

/** Clerk's fields in the shape edgeguard's Auth gives them (undefined ↔ null, absent list ↔ []). */
function clerkFields(auth) {
  return {
    userId: auth.userId,
    sessionId: nullish(auth.sessionId),
    sessionStatus: nullish(auth.sessionStatus),
    orgId: nullish(auth.orgId),
    orgRole: nullish(auth.orgRole),
    orgSlug: nullish(auth.orgSlug),
    orgPermissions: auth.orgPermissions ?? [],
    factorVerificationAge: nullish(auth.factorVerificationAge),
  };
}

function ourFields(auth) {
  const { userId, sessionId, sessionStatus, orgId, orgRole, orgSlug, orgPermissions, factorVerificationAge } = auth;
  return { userId, sessionId, sessionStatus, orgId, orgRole, orgSlug, orgPermissions, factorVerificationAge };
}

// ---------------------------------------------------------------------------------------------
// Generators

function scopedList(r, names, scopes) {
  const n = r.int(0, 4);
  return Array.from({ length: n }, () => `${r.pick(scopes)}:${r.pick(names)}${r.chance(0.3) ? r.int(0, 2) : ""}`);
}

function joinList(r, list) {
  const sep = r.pick([",", ",", ", ", " ,", ",\u00a0", ",\ufeff"]);
  return list.join(sep);
}

function bitmask(r, permissionCount) {
  return r.pick([
    () => String(r.int(0, 2 ** permissionCount - 1)),
    () => String(r.int(0, 2 ** 20)),
    () => "18446744073709551617", // beyond 2^64: bits 0 and 64
    () => `00${r.int(0, 15)}`,
    () => r.pick(["", "x", "-1", "1.5", " 3", "３", "1e2"]),
  ])();
}

function claimsCase(r) {
  const claims = { sub: r.chance(0.97) ? `user_${r.int(1, 9)}` : r.pick(["", 5]), exp: 1_700_000_060, iat: 1_700_000_000 };
  if (r.chance(0.9)) claims.sid = `sess_${r.int(1, 9)}`;
  if (r.chance(0.3)) claims.sts = r.pick(["active", "pending", "pending", null]);
  if (r.chance(0.6)) {
    claims.fva = r.pick([
      () => [r.int(-1, 30), r.int(-1, 30)],
      () => [r.pick([-1, 0, 9, 10, 11, 59, 60, 61, 1439, 1440, 1441]), r.pick([-1, 0, 9, 10, 11, 59, 60, 1440])],
      () => [r.int(0, 2000) / 7, -1],
      () => r.pick([[-2, 5], [5, -3], [null, 1], [1], [], [-1, -1], [0, 0]]),
    ])();
  }
  const v2 = r.chance(0.6);
  if (v2) {
    claims.v = r.pick([2, 2, 2, 2.0]);
    const orgFeatures = scopedList(r, FEATURES, ["o", "u", "ou", "uo", "x", "org"]);
    if (r.chance(0.9)) claims.fea = joinList(r, orgFeatures);
    else claims.fea = r.pick(["nocolon", "o:a,bad", "", null]);
    if (r.chance(0.8)) {
      const per = Array.from({ length: r.int(0, 5) }, () => r.pick(PERMISSIONS));
      claims.o = { id: r.pick(["org_1", "org_2", ""]) };
      if (r.chance(0.9)) claims.o.rol = r.pick(ROLES);
      if (r.chance(0.7)) claims.o.slg = r.pick(["acme", "", "x-y"]);
      if (r.chance(0.85)) claims.o.per = joinList(r, per);
      if (r.chance(0.85)) claims.o.fpm = Array.from({ length: r.int(0, orgFeatures.length + 1) }, () => bitmask(r, per.length)).join(r.pick([",", ", "]));
      if (r.chance(0.03)) claims.o = r.pick([5, "org", [1], true]);
    }
  } else {
    if (r.chance(0.3)) claims.v = r.pick([1, "2", 3]);
    if (r.chance(0.6)) {
      claims.org_id = r.pick(["org_1", ""]);
      claims.org_role = r.pick(ROLES);
      claims.org_slug = r.pick(["acme", undefined]);
      claims.org_permissions = Array.from({ length: r.int(0, 4) }, () => `org:${r.pick(FEATURES)}:${r.pick(PERMISSIONS)}`);
    }
    if (r.chance(0.4)) claims.fea = joinList(r, scopedList(r, FEATURES, ["o", "u", "ou"]));
  }
  if (r.chance(0.4)) claims.pla = joinList(r, scopedList(r, ["free", "pro", "enterprise"], ["o", "u", "uo", "org"]));
  if (r.chance(0.03)) claims[r.pick(["sid", "sts", "pla", "fea", "org_id", "fva", "org_permissions"])] = r.pick([5, true, {}, ["x"]]);
  for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
  return claims;
}

/** Values the session probably holds (from Clerk's own auth object), to ask for them often. */
function likelyGranted(r, kind, clerk, claims) {
  const scoped = (claim) => (typeof claim === "string" ? claim.split(",").map((e) => e.trim()) : []);
  const pool = {
    role: clerk.orgRole ? [clerk.orgRole, String(clerk.orgRole).replace(/^org:/, "")] : [],
    permission: clerk.orgPermissions ?? [],
    feature: scoped(claims.fea).flatMap((e) => [e, e.split(":").slice(1).join(":")]),
    plan: scoped(claims.pla).flatMap((e) => [e, e.split(":").slice(1).join(":")]),
  }[kind];
  return pool && pool.length ? r.pick(pool) : undefined;
}

function queryValue(r, kind, claims, clerk) {
  if (kind !== "reverification" && r.chance(0.5)) {
    const granted = likelyGranted(r, kind, clerk, claims);
    if (granted !== undefined) return granted;
  }
  const granted = Array.isArray(claims.org_permissions) ? claims.org_permissions : [];
  switch (kind) {
    case "role":
      return r.pick([...ROLES, "org:member", "org:", "org:billing"]);
    case "permission":
      return r.pick([
        () => r.pick(granted.length ? granted : ["org:reports:read"]),
        () => `org:${r.pick(FEATURES)}${r.chance(0.3) ? r.int(0, 2) : ""}:${r.pick(PERMISSIONS)}`,
        () => `${r.pick(FEATURES)}:${r.pick(PERMISSIONS)}`, // without org: (Clerk adds it)
        () => `org:org:${r.pick(FEATURES)}:${r.pick(PERMISSIONS)}`,
      ])();
    case "feature":
    case "plan": {
      const names = kind === "feature" ? FEATURES : ["free", "pro", "enterprise"];
      const scope = r.pick(["", "o:", "u:", "org:", "organization:", "user:", "x:", "ou:"]);
      return `${scope}${r.pick(names)}${r.chance(0.3) ? r.int(0, 2) : ""}${r.chance(0.05) ? ":extra" : ""}`;
    }
    default:
      return r.pick([
        () => r.pick(["strict_mfa", "strict", "moderate", "lax", "none", "STRICT"]),
        () => ({ level: r.pick(["first_factor", "second_factor", "multi_factor", "third_factor"]), afterMinutes: r.pick([1, 10, 11, 59.5, 60, 1440, 0, -5, 100000]) }),
        () => r.pick([{}, { level: "first_factor" }, { afterMinutes: 10 }, ["strict"]]),
      ])();
  }
}

function query(r, claims, clerk) {
  const params = {};
  const kinds = ["role", "permission", "feature", "plan", "reverification"];
  const count = r.pick([0, 1, 1, 1, 1, 2, 2, 3]);
  for (let i = 0; i < count; i++) {
    const kind = r.pick(kinds);
    params[kind] = r.chance(0.04) ? r.pick([null, 5, true, ["x"], { a: 1 }]) : queryValue(r, kind, claims, clerk);
  }
  return params;
}

// ---------------------------------------------------------------------------------------------

test(`claims → auth and has() match Clerk's signedInAuthObject (seed ${seed})`, () => {
  const tally = { compared: 0, hasTrue: 0, hasFalse: 0, clerkThrew: 0, stricter: 0 };
  for (let i = 0; i < caseCount; i++) {
    const r = prng((seed ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
    const claims = claimsCase(r);
    const context = `case ${i} (seed ${seed}) claims ${JSON.stringify(claims)}`;
    const theirs = clerkAuth(claims);
    const ours = authFromClaims(claims);
    assert.notEqual(ours.reason, "engine-unavailable", ours.message);
    if (!theirs.ok) {
      tally.clerkThrew += 1;
      assert.equal(ours.ok, false, `${context}: Clerk's parser throws (${theirs.error}) but edgeguard decoded the claims`);
      continue;
    }
    if (!ours.ok) {
      // edgeguard's Auth is typed: a claim of another JSON type (or an empty sub) is refused.
      assert.ok(claimsOutsideClerkTypes(claims) || typeof claims.sub !== "string" || claims.sub === "", `${context}: edgeguard refused (${ours.message}) claims Clerk decodes`);
      tally.stricter += 1;
      continue;
    }
    assert.deepEqual(ourFields(ours.auth), clerkFields(theirs.auth), context);
    for (let q = 0; q < 12; q++) {
      const params = query(r, claims, theirs.auth);
      const expected = theirs.auth.has(params);
      assert.equal(hasAuthorization(ours.auth, params), expected, `${context}\n  has(${JSON.stringify(params)})`);
      tally.compared += 1;
      tally[expected ? "hasTrue" : "hasFalse"] += 1;
    }
  }
  console.log("auth-diff tally:", tally);
  // The generator must exercise both answers and Clerk's throwing parser.
  assert.ok(tally.hasTrue > caseCount / 4, "too few has() queries answered true");
  assert.ok(tally.hasFalse > caseCount, "too few has() queries answered false");
  assert.ok(tally.clerkThrew > 0, "Clerk's parser never threw");
});

test("v1 and v2 tokens for the same session decode to the same Auth and answers", () => {
  const v1 = { sub: "user_1", sid: "sess_1", exp: 2, iat: 1, org_id: "org_1", org_role: "org:admin", org_slug: "acme", org_permissions: ["org:invoices:read", "org:invoices:write"] };
  const v2 = { sub: "user_1", sid: "sess_1", exp: 2, iat: 1, v: 2, fea: "o:invoices,u:export", o: { id: "org_1", rol: "admin", slg: "acme", per: "read,write", fpm: "3" } };
  const a1 = authFromClaims(v1).auth;
  const a2 = authFromClaims(v2).auth;
  assert.deepEqual(ourFields(a1), ourFields(a2));
  for (const params of [{ role: "admin" }, { role: "org:admin" }, { permission: "org:invoices:write" }, { permission: "invoices:read" }, { role: "member" }]) {
    assert.equal(hasAuthorization(a1, params), hasAuthorization(a2, params), JSON.stringify(params));
  }
  assert.equal(hasAuthorization(a2, { feature: "export" }), true);
  assert.equal(hasAuthorization(a2, { feature: "o:export" }), false);
  assert.equal(hasAuthorization(a2, {}), false);
});

test("a pending session is exposed as sessionStatus 'pending'", () => {
  const { auth } = authFromClaims({ sub: "user_1", sid: "sess_1", exp: 2, v: 2, sts: "pending" });
  assert.equal(auth.sessionStatus, "pending");
});

test("hasAuthorization fails closed on what it cannot read", () => {
  const { auth } = authFromClaims({ sub: "user_1", exp: 2, org_id: "org_1", org_role: "org:admin" });
  assert.equal(hasAuthorization(auth, { role: "admin" }), true);
  assert.equal(hasAuthorization(null, { role: "admin" }), false);
  assert.equal(hasAuthorization({}, { role: "admin" }), false);
  assert.equal(hasAuthorization({ ...auth, userId: 5 }, { role: "admin" }), false);
  assert.equal(hasAuthorization(auth, null), false);
  assert.equal(hasAuthorization(auth, { role: () => "admin" }), false);
  assert.equal(hasAuthorization(auth, { role: "admin", permission: undefined }), true);
});
