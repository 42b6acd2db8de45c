// The Decision's text out of the core (src/decision/decision_text.rs) and its reader
// (js/decision-text.js): a cached session's auth crosses as a serial and is parsed once, then shared
// (frozen) by every decision of that token. The differential check that decide's text says what
// explain's serde JSON says is in guard-wire.test.mjs, over its whole corpus.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGuard } from "edgeguard";
import { DecisionReader } from "../../js/decision-text.js";
import { generateSigningKey } from "../support/keys.mjs";
import { sessionToken } from "../support/tokens.mjs";

const ORIGIN = "https://app.example.com";
const POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  routes: [
    { name: "public", match: ["/", "/sign-in(.*)"], public: true },
    { name: "admin", match: ["/admin(.*)"], require: { role: "admin" } },
  ],
  default: "signed-in",
  headers: { "X-Frame-Options": "DENY" },
};
const key = generateSigningKey();
const now = Math.floor(Date.now() / 1000);
const bearer = (token, path = "/admin") => ({ method: "GET", url: `${ORIGIN}${path}`, headers: { authorization: `Bearer ${token}` } });
const ENVELOPE = '{"action":"allow","status":200,"headers":{"A":"b"},"reason":"authorized","rule":"admin"}';

test("a cached session's auth is parsed once, shared by its decisions, and frozen all the way down", async () => {
  const guard = await createGuard({ policy: POLICY, jwtKey: key.publicKeyPem });
  const admin = sessionToken(key, { role: "admin", now, org: { id: "org_1", slug: "acme", role: "admin", permissions: ["read"] } });
  const first = guard.decide(bearer(admin.token), { now });
  const second = guard.decide(bearer(admin.token, "/admin/users"), { now });
  assert.equal(first.action, "allow", JSON.stringify(first));
  assert.equal(second.auth, first.auth, "one object for one session token");
  assert.equal(first.auth.userId, admin.claims.sub);
  for (const part of [first.auth, first.auth.claims, first.auth.claims.metadata, first.auth.orgPermissions, first.auth.factorVerificationAge]) {
    assert.ok(Object.isFrozen(part), JSON.stringify(part));
  }
  assert.throws(() => {
    first.auth.claims.metadata.role = "owner";
  }, TypeError);
  assert.notEqual(second.headers, first.headers, "each decision has its own headers");
  second.headers["X-Frame-Options"] = "SAMEORIGIN";
  assert.equal(guard.decide(bearer(admin.token), { now }).headers["X-Frame-Options"], "DENY");
  const other = sessionToken(key, { now });
  const denied = guard.decide(bearer(other.token), { now });
  assert.deepEqual([denied.reason, denied.auth.userId], ["missing-role", other.claims.sub]);
  // Claims handed in by Clerk's middleware are not cached: their auth crosses whole, frozen too.
  const viaClerk = guard.decide(bearer("unused"), { now, claims: admin.claims });
  assert.deepEqual(viaClerk.auth, first.auth);
  assert.notEqual(viaClerk.auth, first.auth);
  assert.ok(Object.isFrozen(viaClerk.auth.claims));
  assert.deepEqual(Object.keys(first), ["action", "status", "headers", "reason", "rule", "auth"]);
});

test("the reader asks the core for a serial's auth once, and again only after forgetting it (1,024 kept)", () => {
  const reader = new DecisionReader();
  const asked = [];
  const authOf = (serial) => () => {
    asked.push(serial);
    return JSON.stringify({ userId: `user_${serial}`, claims: { sub: `user_${serial}` } });
  };
  const read = (serial) => reader.read(`${ENVELOPE}\n${serial}`, authOf(serial));
  assert.equal(read(1).auth.userId, "user_1");
  assert.equal(read(1).auth.userId, "user_1");
  assert.deepEqual(asked, [1]);
  for (let serial = 2; serial <= 1024; serial++) read(serial);
  read(1);
  assert.equal(asked.length, 1024, "1,024 serials kept");
  read(1025); // the oldest (1) goes
  read(1);
  assert.deepEqual(asked.slice(-2), [1025, 1]);
});

test("text that is not a decision reads as null (the guard answers 503), never as a partial decision", () => {
  const reader = new DecisionReader();
  const good = () => JSON.stringify({ userId: "user_1" });
  assert.equal(reader.read(`${ENVELOPE}\n`, good).auth, null);
  for (const [text, lastAuth] of [
    [ENVELOPE, good], // no separator
    [null, good],
    ["null\n", good],
    ['{"action":1,"headers":{}}\n', good],
    ['{"action":"allow"}\n', good], // no headers
    ["[]\n", good],
    [`${ENVELOPE.slice(1)}\n`, good],
    [`${ENVELOPE}\n7`, () => "not json"],
    [`${ENVELOPE}\n8`, () => "null"],
    [`${ENVELOPE}\n9`, () => '{"userId":1}'],
    [`${ENVELOPE}\n{"userId":`, good],
    [`${ENVELOPE}\n{"claims":{}}`, good],
  ]) {
    assert.equal(reader.read(text, lastAuth), null, String(text));
  }
  assert.throws(() => reader.read(`${ENVELOPE}\n10`, () => {
    throw new Error("trap");
  }), /trap/, "a trap in lastAuth reaches the guard, which discards the instance");
});
