// The Node entry hands RS256's modular exponentiation to OpenSSL (js/node-rsa.js → setRsaPublicOp);
// the core keeps the signature's range check and the comparison of the whole PKCS#1 v1.5 block
// (src/token/public_op.rs). Checked here: the operation against BigInt arithmetic, every verdict of
// the token attack corpus with and without it, and that a broken operation only ever rejects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { verifyToken } from "edgeguard";
import * as glue from "../../pkg/edgeguard_bg.js";
import { rsaPublicOp } from "../../js/node-rsa.js";
import { algorithmConfusion, genuine, headerInjection, makeKeys, paddingAttacks, signedButInvalid } from "./attack-token-forge.mjs";
import { seededRandom } from "./attack-support.mjs";

const rng = seededRandom(Math.floor(Math.random() * 2 ** 31));
console.log(`rsa-public-op: seed ${rng.seed} (EDGEGUARD_SEED=${rng.seed} replays it)`);
const keys = makeKeys();
const now = Math.floor(Date.now() / 1000);

const toBig = (bytes) => BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
const toBytes = (big, length) => Buffer.from(big.toString(16).padStart(length * 2, "0"), "hex");
function modPow(base, exponent, modulus) {
  let result = 1n;
  for (let b = base % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus) if (e & 1n) result = (result * b) % modulus;
  return result;
}

/** Runs `fn` with the engine's host operation replaced by `op` (null: the wasm arithmetic), then restores OpenSSL's. */
function withOp(op, fn) {
  verifyToken("x", { jwtKey: keys.pem }); // make sure an instance is live
  glue.setRsaPublicOp(op);
  try {
    return fn();
  } finally {
    glue.setRsaPublicOp(rsaPublicOp);
  }
}

test("OpenSSL's s^e mod n = BigInt's, for edge and random s, moduli of 2048..4096 bits, exponents of 1..4 bytes", () => {
  for (const bits of [2048, 3072, 4096]) {
    for (const exponent of [3, 65537, 0x1000001, 0xfffffffb]) {
      let n;
      try {
        n = toBig(Buffer.from(generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: exponent }).publicKey.export({ format: "jwk" }).n, "base64url"));
      } catch {
        continue; // OpenSSL refuses some exponents for key generation; the others still cover the byte lengths
      }
      const k = bits / 8;
      const samples = [0n, 1n, 2n, n - 1n, n - 2n, toBig(randomBytes(k)) % n, toBig(randomBytes(k - 1)), toBig(randomBytes(k)) % n];
      for (const s of samples) {
        const got = rsaPublicOp(toBytes(n, k), exponent, toBytes(s, k));
        assert.equal(Buffer.from(got).toString("hex"), toBytes(modPow(s, BigInt(exponent), n), k).toString("hex"), `${bits} bits, e=${exponent}, s=${s}`);
      }
    }
  }
});

test("keys taken in turn, and one modulus under two exponents, each get their own answer", () => {
  const moduli = [0, 1].map(() => toBig(Buffer.from(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }).n, "base64url")));
  // Consecutive calls with the same modulus and another exponent, and with another modulus and the same exponent.
  const schedule = [[0, 65537], [0, 3], [0, 65537], [1, 65537], [1, 3], [0, 3], [1, 3], [0, 65537], [1, 65537]];
  for (const [i, [which, exponent]] of schedule.entries()) {
    const n = moduli[which];
    const s = toBig(randomBytes(256)) % n;
    const got = Buffer.from(rsaPublicOp(toBytes(n, 256), exponent, toBytes(s, 256))).toString("hex");
    assert.equal(got, toBytes(modPow(s, BigInt(exponent), n), 256).toString("hex"), `call ${i}`);
  }
});

test("every verdict of the token attack corpus is the same with OpenSSL's operation and with the wasm arithmetic", () => {
  const cases = [
    { name: "genuine", token: genuine(keys, now) },
    ...paddingAttacks(keys, now, rng),
    ...algorithmConfusion(keys, now),
    ...headerInjection(keys, now),
    ...signedButInvalid(keys, now),
  ];
  let calls = 0;
  const counted = (...args) => {
    calls += 1;
    return rsaPublicOp(...args);
  };
  const verdicts = (op) => withOp(op, () => cases.map((c) => JSON.stringify(verifyToken(c.token, { jwtKey: keys.pem, now }))));
  const viaOpenSsl = verdicts(counted);
  const viaWasm = verdicts(null);
  for (const [i, c] of cases.entries()) assert.equal(viaOpenSsl[i], viaWasm[i], c.name);
  assert.ok(JSON.parse(viaOpenSsl[0]).ok, "the genuine token is accepted");
  assert.ok(calls > 50, `OpenSSL's operation ran ${calls} times`);
});

test("a broken operation only rejects: throws, junk, wrong length, the block of another message; never asked out of range", () => {
  const token = genuine(keys, now);
  const rightAnswer = withOp(null, () => verifyToken(token, { jwtKey: keys.pem, now }));
  assert.equal(rightAnswer.ok, true);
  const otherMessage = genuine(keys, now + 1).split(".")[2];
  const broken = {
    throws: () => {
      throw new Error("host failure");
    },
    "returns null": () => null,
    "returns a string": () => "00",
    "returns the signature": (n, e, s) => s,
    "returns k - 1 bytes": (n, e, s) => rsaPublicOp(n, e, s).subarray(1),
    "returns k + 1 bytes": (n, e, s) => Buffer.concat([Buffer.alloc(1), rsaPublicOp(n, e, s)]),
    "answers for another signature": (n, e) => rsaPublicOp(n, e, Buffer.from(otherMessage, "base64url")),
  };
  for (const [name, op] of Object.entries(broken)) {
    const verdict = withOp(op, () => verifyToken(token, { jwtKey: keys.pem, now }));
    assert.deepEqual([verdict.ok, verdict.reason], [false, "token-invalid-signature"], name);
  }
  // Out-of-range signatures (s ≥ n, wrong length) are refused before the operation is asked.
  const input = token.split(".").slice(0, 2).join(".");
  let asked = 0;
  const spy = (...args) => {
    asked += 1;
    return rsaPublicOp(...args);
  };
  for (const signature of [toBytes(keys.n, 256), Buffer.alloc(256, 0xff), Buffer.alloc(255, 1), Buffer.alloc(257, 0)]) {
    const verdict = withOp(spy, () => verifyToken(`${input}.${signature.toString("base64url")}`, { jwtKey: keys.pem, now }));
    assert.equal(verdict.ok, false);
  }
  assert.equal(asked, 0, "the operation was asked about an out-of-range signature");
});
