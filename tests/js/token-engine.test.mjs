// Fail-closed behaviour of js/token.js when the wasm engine cannot be loaded or traps: every
// verification is a rejection ("engine-unavailable"), has() is false, nothing throws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyToken, hasAuthorization, authFromClaims } from "edgeguard";
import { registerInstantiator } from "../../js/engine.js";
import { makeKeys, signToken } from "./support/tokens.mjs";

const keys = makeKeys();
const now = 1_700_000_000;
const token = signToken({ header: { alg: "RS256", typ: "JWT" }, payload: { sub: "user_1", exp: now + 60 }, key: keys.main });
const options = { jwtKey: keys.main.pem, now };

test("a working engine accepts the token (the baseline the other cases break)", () => {
  const result = verifyToken(token, options);
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(hasAuthorization(result.auth, { reverification: "lax" }), false);
});

test("an engine that cannot load rejects with engine-unavailable", () => {
  const auth = verifyToken(token, options).auth;
  const original = console.error;
  console.error = () => {};
  try {
    registerInstantiator(() => {
      throw new Error("no wasm here");
    });
    const result = verifyToken(token, options);
    assert.equal(result.ok, false);
    assert.equal(result.reason, "engine-unavailable");
    assert.match(result.message, /no wasm here/);
    assert.equal(authFromClaims({ sub: "user_1", exp: 1 }).reason, "engine-unavailable");
    assert.equal(hasAuthorization(auth, { role: "admin" }), false);
  } finally {
    console.error = original;
  }
});

test("a trap inside the engine rejects, and the next call gets a fresh instance", () => {
  let instances = 0;
  const trapping = () => {
    throw new WebAssembly.RuntimeError("unreachable");
  };
  const original = console.error;
  console.error = () => {};
  try {
    registerInstantiator(() => {
      instances += 1;
      return { tokenKeysFromPem: trapping, tokenKeysFromJwks: trapping, verifySessionToken: trapping, authFromClaims: trapping, hasAuthorization: trapping };
    });
    const first = verifyToken(token, { ...options, jwtKey: `${keys.main.pem}\n` });
    assert.deepEqual([first.ok, first.reason], [false, "engine-unavailable"]);
    const second = verifyToken(token, { ...options, jwtKey: `${keys.main.pem}\n\n` });
    assert.deepEqual([second.ok, second.reason], [false, "engine-unavailable"]);
    assert.equal(instances, 2, "the trapped instance was reused");
  } finally {
    console.error = original;
  }
});
