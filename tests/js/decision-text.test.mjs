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

/** A stand-in for the WasmGuard that wrote a text: its lastEnvelope / lastAuth, counted. */
function source({ envelope = ENVELOPE, auth = (serial) => JSON.stringify({ userId: `user_${serial}` }) } = {}) {
  const asked = { envelopes: [], auths: [] };
  let last = { envelope: null, serial: null };
  return {
    asked,
    text(envelopeId, serial) {
      last = { envelope: envelopeId, serial };
      return `${envelopeId}\n${serial ?? ""}`;
    },
    lastEnvelope() {
      asked.envelopes.push(last.envelope);
      return typeof envelope === "function" ? envelope(last.envelope) : envelope;
    },
    lastAuth() {
      asked.auths.push(last.serial);
      return auth(last.serial);
    },
  };
}

test("the reader asks the core for an envelope or auth once, and again only after forgetting it", () => {
  const reader = new DecisionReader();
  const core = source({ envelope: (id) => ENVELOPE.replace('"authorized"', `"r${id}"`) });
  const read = (id, serial) => reader.read(core.text(id, serial), core);
  assert.deepEqual([read(0, 1).reason, read(0, 1).auth.userId], ["r0", "user_1"]);
  assert.equal(read(1).reason, "r1");
  assert.deepEqual([core.asked.envelopes, core.asked.auths], [[0, 1], [1]]);
  // 1,024 auths kept; the 1,025th pushes out the oldest.
  for (let serial = 2; serial <= 1024; serial++) read(0, serial);
  read(0, 1);
  assert.equal(core.asked.auths.length, 1024);
  read(0, 1025);
  read(0, 1);
  assert.deepEqual(core.asked.auths.slice(-2), [1025, 1]);
  // 256 envelopes kept, the same way.
  for (let id = 2; id < 256; id++) read(id);
  read(0);
  assert.equal(core.asked.envelopes.length, 256);
  read(256);
  read(0);
  assert.deepEqual(core.asked.envelopes.slice(-2), [256, 0]);
});

test("the number form: envelope id × 2^32 + auth serial; -1 means the text; anything else is no decision", () => {
  const reader = new DecisionReader();
  const core = source({ envelope: (id) => ENVELOPE.replace('"authorized"', `"r${id}"`) });
  const read = (id, serial) => {
    core.text(id, serial); // what lastEnvelope / lastAuth answer for
    return reader.readCode(id * 2 ** 32 + (serial ?? 0), core);
  };
  assert.deepEqual([read(3, 7).reason, read(3, 7).auth.userId], ["r3", "user_7"]);
  assert.equal(read(2 ** 21 - 1).auth, null);
  assert.equal(read(2 ** 21 - 1).reason, `r${2 ** 21 - 1}`);
  assert.equal(read(0, 2 ** 32 - 1).auth.userId, `user_${2 ** 32 - 1}`);
  // The text and number forms share what they keep: id 3 and serial 7 are not asked for again.
  assert.equal(reader.read("3\n7", core).auth.userId, "user_7");
  assert.deepEqual([core.asked.envelopes.filter((id) => id === 3).length, core.asked.auths.filter((s) => s === 7).length], [1, 1]);
  const texts = { lastText: () => `${ENVELOPE}\n`, lastEnvelope: () => ENVELOPE, lastAuth: () => "{}" };
  assert.equal(reader.readCode(-1, texts).reason, "authorized");
  for (const junk of [-2, 0.5, NaN, Infinity, 2 ** 53, "0", null, undefined]) assert.equal(reader.readCode(junk, texts), null, String(junk));
});

test("text that is not a decision reads as null (the guard answers 503), never as a partial decision", () => {
  const reader = new DecisionReader();
  const good = source();
  assert.equal(reader.read(`${ENVELOPE}\n`, good).auth, null);
  const lastAuthSays = (text) => source({ auth: () => text });
  for (const [text, core] of [
    [ENVELOPE, good], // no separator
    [null, good],
    ["\n", good], // no envelope id
    ["x\n", good],
    ["1.5\n", good],
    ["null\n", good],
    ['{"action":1,"headers":{}}\n', good],
    ['{"action":"allow"}\n', good], // no headers
    ["[]\n", good],
    [`${ENVELOPE.slice(1)}\n`, good],
    ["3\n", source({ envelope: "not json" })],
    ["4\n", source({ envelope: '{"action":"allow"}' })],
    [`${ENVELOPE}\n7`, lastAuthSays("not json")],
    [`${ENVELOPE}\n8`, lastAuthSays("null")],
    [`${ENVELOPE}\n9`, lastAuthSays('{"userId":1}')],
    [`${ENVELOPE}\n-9`, good],
    [`${ENVELOPE}\n9 `, good],
    [`${ENVELOPE}\n{"userId":`, good],
    [`${ENVELOPE}\n{"claims":{}}`, good],
  ]) {
    assert.equal(reader.read(text, core), null, String(text));
  }
  const trapping = { lastAuth() { throw new Error("trap"); } };
  assert.throws(() => reader.read(`${ENVELOPE}\n10`, trapping), /trap/, "a trap in lastAuth reaches the guard, which discards the instance");
});
