// verifyWebhook never throws and fails closed; replay stores (the core's memory store, async
// adapters, broken stores); behaviour after the wasm engine is lost. No engine at all:
// webhook-engine.test.mjs (its own process).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "svix";
import { admitWebhook, createReplayStore, verifyWebhook } from "edgeguard";
import { discardEngine } from "../../js/engine.js";

const SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const NOW = 1_750_000_000;
const body = JSON.stringify({ type: "user.created", object: "event", data: { id: "user_1" } });
const signed = (id = "msg_1", t = NOW) => ({
  "svix-id": id,
  "svix-timestamp": String(t),
  "svix-signature": new Webhook(SECRET).sign(id, new Date(t * 1000), body),
});

test("a genuine delivery verifies and returns the parsed event", () => {
  const result = verifyWebhook(SECRET, signed(), body, { now: NOW });
  assert.deepEqual(result, { ok: true, event: JSON.parse(body), id: "msg_1", timestamp: NOW });
  const fromBytes = verifyWebhook(SECRET, new Headers(signed()), new TextEncoder().encode(body).buffer, { now: NOW + 0.9 });
  assert.equal(fromBytes.ok, true);
});

test("verifyWebhook never throws, whatever it is given", () => {
  const throwingGetter = Object.defineProperty({}, "svix-id", { enumerable: true, get() { throw new Error("boom"); } });
  const hostileProxy = new Proxy({}, { ownKeys() { throw new Error("no keys"); } });
  const inputs = [
    [undefined, signed(), body],
    [42, signed(), body],
    [SECRET, null, body],
    [SECRET, "svix-id: x", body],
    [SECRET, throwingGetter, body],
    [SECRET, hostileProxy, body],
    [SECRET, signed(), undefined],
    [SECRET, signed(), 12],
    [SECRET, signed(), { length: 3 }],
    [SECRET, signed(), new Uint16Array([1, 2])],
    [SECRET, { ...signed(), "svix-id": Symbol("x") }, body],
    [SECRET, signed(), body, { now: Number.NaN }],
    [SECRET, signed(), body, { now: "1750000000" }],
    [SECRET, signed(), body, { toleranceSeconds: -1 }],
    [SECRET, signed(), body, { toleranceSeconds: Infinity }],
    [SECRET, signed(), body, null],
  ];
  for (const args of inputs) {
    let result;
    assert.doesNotThrow(() => {
      result = verifyWebhook(...args);
    }, `args ${String(args[1])}`);
    assert.equal(result.ok, false, `accepted ${JSON.stringify(args.slice(3))}`);
    assert.match(result.reason, /^webhook-/);
    assert.equal(typeof result.message, "string");
  }
});

test("the memory store: first time fresh, then seen until expiry; full means refuse", () => {
  const store = createReplayStore({ capacity: 2 });
  assert.equal(store.remember("a", NOW + 300, NOW), true);
  assert.equal(store.remember("a", NOW + 300, NOW + 10), false);
  assert.equal(store.admit("b", NOW + 100, NOW), "fresh");
  assert.equal(store.admit("c", NOW + 300, NOW), "full");
  assert.equal(store.size, 2);
  assert.equal(store.admit("c", NOW + 300, NOW + 100), "fresh", "b expired and made room");
  assert.equal(store.admit("a", NOW + 300, NOW + 299), "seen");
  assert.equal(store.admit("a", NOW + 600, NOW + 300), "fresh", "a expired at NOW + 300");
  assert.throws(() => createReplayStore({ capacity: -1 }), RangeError);
});

test("admitWebhook: replay, async adapters (SET NX EX), broken stores fail closed", async () => {
  const verified = verifyWebhook(SECRET, signed("msg_r"), body, { now: NOW });
  assert.equal(verified.ok, true);
  const memory = createReplayStore();
  assert.deepEqual(await admitWebhook(memory, verified, { now: NOW }), { ok: true });
  const again = await admitWebhook(memory, verified, { now: NOW + 1 });
  assert.equal(again.reason, "webhook-replay");

  // The documented Redis/Upstash adapter, over a stand-in with SET NX EX semantics.
  const redis = new Map();
  const fakeRedis = {
    async set(key, value, { nx, ex }) {
      const entry = redis.get(key);
      if (nx && entry && entry.until > NOW) return null;
      redis.set(key, { value, until: NOW + ex });
      return "OK";
    },
  };
  const seenTtls = [];
  const adapter = {
    async remember(id, expiresAt, now) {
      const ttl = Math.max(1, Math.ceil(expiresAt - now));
      seenTtls.push(ttl);
      return (await fakeRedis.set(`svix:${id}`, "1", { nx: true, ex: ttl })) === "OK";
    },
  };
  assert.deepEqual(await admitWebhook(adapter, verified, { now: NOW }), { ok: true });
  assert.equal((await admitWebhook(adapter, verified, { now: NOW })).reason, "webhook-replay");
  assert.deepEqual(seenTtls, [300, 300], "kept until signed timestamp + tolerance");

  const throwing = { remember() { throw new Error("redis down"); } };
  assert.equal((await admitWebhook(throwing, verified, { now: NOW })).reason, "webhook-replay-store-unavailable");
  const rejecting = { remember: () => Promise.reject(new Error("timeout")) };
  assert.equal((await admitWebhook(rejecting, verified, { now: NOW })).reason, "webhook-replay-store-unavailable");
  const sloppy = { remember: () => "yes" };
  assert.equal((await admitWebhook(sloppy, verified, { now: NOW })).reason, "webhook-replay", "only `true` admits");
  const full = createReplayStore({ capacity: 1 });
  full.remember("other", NOW + 300, NOW);
  assert.equal((await admitWebhook(full, verified, { now: NOW })).reason, "webhook-replay-store-full");
});

test("after the engine is lost, the memory store refuses until every accepted id has expired", () => {
  const store = createReplayStore();
  assert.equal(store.admit("before-trap", NOW + 300, NOW), "fresh");
  discardEngine(new Error("simulated trap (test)"));
  assert.equal(store.admit("after-trap", NOW + 400, NOW + 10), "unavailable", "quarantined: old ids are gone");
  assert.equal(store.admit("before-trap", NOW + 300, NOW + 299), "unavailable", "the replay is not accepted");
  assert.equal(store.admit("after-trap", NOW + 400, NOW + 300), "fresh", "the window of every lost id has passed");
});
