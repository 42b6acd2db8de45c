// Forged and malformed Clerk session tokens for tests/js/attack-tokens.test.mjs. Every generator
// returns { name, token, jwks? } cases that must never be accepted; `genuine()` is the control that
// must be (so a verifier that rejects everything cannot pass the suite).
import { constants, createHash, createHmac, createSign, generateKeyPairSync, privateEncrypt } from "node:crypto";

const b64url = (value) => Buffer.from(value).toString("base64url");
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

export function makeKeys() {
  const real = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const jwk = real.publicKey.export({ format: "jwk" });
  const n = BigInt(`0x${Buffer.from(jwk.n, "base64url").toString("hex")}`);
  return {
    privateKey: real.privateKey,
    publicKey: real.publicKey,
    pem: real.publicKey.export({ type: "spki", format: "pem" }).toString(),
    jwks: { keys: [{ ...jwk, kid: "ins_real", alg: "RS256", use: "sig" }] },
    n,
    attacker,
  };
}

export function claimsAt(now, extra = {}) {
  return { sub: "user_victim", sid: "sess_victim", iat: now - 10, nbf: now - 10, exp: now + 600, iss: "https://clerk.example.com", v: 2, metadata: { role: "admin" }, ...extra };
}

/** header/payload given as objects or as raw JSON text (for duplicate keys). */
export function signingInput(header, payload) {
  const text = (v) => (typeof v === "string" ? v : JSON.stringify(v));
  return `${b64url(text(header))}.${b64url(text(payload))}`;
}

export function rs256(privateKey, input) {
  return createSign("RSA-SHA256").update(input).sign(privateKey);
}

export function genuine(keys, now) {
  const input = signingInput({ alg: "RS256", typ: "JWT", kid: "ins_real" }, claimsAt(now));
  return `${input}.${b64url(rs256(keys.privateKey, input))}`;
}

const toBytes = (big, length) => Buffer.from(big.toString(16).padStart(length * 2, "0"), "hex");
const toBig = (buf) => BigInt(`0x${buf.toString("hex") || "0"}`);

/** Raw RSA (m^d mod n) over an arbitrary encoded message: any PKCS#1 v1.5 layout can be signed. */
function rawSign(keys, em) {
  return privateEncrypt({ key: keys.privateKey, padding: constants.RSA_NO_PADDING }, em);
}

/** EMSA-PKCS1-v1_5 layout pieces for a 256-byte modulus. */
function encoded({ hash, prefix = Buffer.from([0, 1]), padByte = 0xff, separator = Buffer.from([0]), digestInfo = SHA256_DIGEST_INFO, trailer = Buffer.alloc(0), padLength }) {
  const tail = Buffer.concat([separator, digestInfo, hash, trailer]);
  const length = padLength ?? 256 - prefix.length - tail.length;
  const pad = typeof padByte === "function" ? Buffer.from(Array.from({ length }, padByte)) : Buffer.alloc(Math.max(0, length), padByte);
  const em = Buffer.concat([prefix, pad, tail]);
  return em.length === 256 ? em : Buffer.concat([em, Buffer.alloc(Math.max(0, 256 - em.length))]).subarray(0, 256);
}

export function paddingAttacks(keys, now, rng) {
  const input = signingInput({ alg: "RS256", typ: "JWT" }, claimsAt(now));
  const hash = createHash("sha256").update(input).digest();
  const token = (sig) => `${input}.${b64url(sig)}`;
  const cases = [];
  const add = (name, em) => cases.push({ name: `pkcs1: ${name}`, token: token(rawSign(keys, em)) });
  const nonFf = () => 1 + rng.int(254);
  add("short padding + trailing garbage", encoded({ hash, padLength: 8, trailer: rng.bytes(256 - 2 - 8 - 1 - 19 - 32) }));
  add("short padding + trailing zeros", encoded({ hash, padLength: 8, trailer: Buffer.alloc(256 - 2 - 8 - 1 - 19 - 32) }));
  add("missing NUL separator", encoded({ hash, separator: Buffer.alloc(0) }));
  add("NUL separator replaced by 0xff", encoded({ hash, separator: Buffer.from([0xff]) }));
  add("block type 02", encoded({ hash, prefix: Buffer.from([0, 2]) }));
  add("block type 00", encoded({ hash, prefix: Buffer.from([0, 0]) }));
  add("no leading zero byte", encoded({ hash, prefix: Buffer.from([1]) }));
  add("random non-ff padding", encoded({ hash, padByte: nonFf }));
  add("zero-length padding", encoded({ hash, padLength: 0, trailer: Buffer.alloc(256 - 2 - 1 - 19 - 32) }));
  add("DigestInfo without NULL parameters", encoded({ hash, digestInfo: Buffer.from("302f300b06096086480165030402010420", "hex") }));
  add("SHA-1 DigestInfo", encoded({ hash, digestInfo: Buffer.from("3021300906052b0e03021a05000414", "hex") }));
  add("SHA-512 DigestInfo", encoded({ hash, digestInfo: Buffer.from("3051300d060960864801650304020305000440", "hex") }));
  add("BER long-form lengths", encoded({ hash, digestInfo: Buffer.from("308131300d060960864801650304020105000420", "hex") }));
  add("DigestInfo with trailing garbage inside", encoded({ hash, digestInfo: Buffer.from("3033300f06096086480165030402010500ffff0420", "hex") }));
  add("hash of another message", encoded({ hash: createHash("sha256").update(`${input}x`).digest() }));
  add("truncated hash + garbage", encoded({ hash: Buffer.concat([hash.subarray(0, 16), rng.bytes(16)]) }));
  add("all-zero EM", Buffer.alloc(256));
  // Every single-byte change of the one valid encoding is an invalid encoding.
  const valid = encoded({ hash });
  for (let i = 0; i < 160; i += 1) {
    const em = Buffer.from(valid);
    const at = i < 40 ? i : rng.int(256);
    em[at] ^= 1 + rng.int(255);
    if (toBig(em) >= keys.n) continue;
    add(`EM byte ${at} changed`, em);
  }
  const s = toBig(rs256(keys.privateKey, input));
  const sig = (name, bytes) => cases.push({ name: `signature: ${name}`, token: token(bytes) });
  sig("s = 0", Buffer.alloc(256));
  sig("s = 1", toBytes(1n, 256));
  sig("s = n - 1", toBytes(keys.n - 1n, 256));
  sig("s = n", toBytes(keys.n, 256));
  sig("s = n + 1", toBytes(keys.n + 1n, 256));
  if (s + keys.n < 1n << 2048n) sig("s + n (same residue)", toBytes(s + keys.n, 256));
  sig("s + n as 257 bytes", toBytes(s + keys.n, 257));
  sig("leading zero byte added (257 bytes)", Buffer.concat([Buffer.alloc(1), toBytes(s, 256)]));
  sig("last byte dropped", toBytes(s, 256).subarray(0, 255));
  sig("first byte dropped", toBytes(s, 256).subarray(1));
  sig("empty", Buffer.alloc(0));
  sig("modulus-sized all-ff", Buffer.alloc(256, 0xff));
  for (let i = 0; i < 20; i += 1) sig(`modulus-sized garbage #${i}`, rng.bytes(256));
  for (let i = 0; i < 10; i += 1) sig(`garbage of ${1 + i * 37} bytes`, rng.bytes(1 + i * 37));
  return cases;
}

export function algorithmConfusion(keys, now) {
  const payload = claimsAt(now);
  const cases = [];
  const spkiDer = keys.publicKey.export({ type: "spki", format: "der" });
  const pkcs1Der = keys.publicKey.export({ type: "pkcs1", format: "der" });
  const pkcs1Pem = keys.publicKey.export({ type: "pkcs1", format: "pem" }).toString();
  const hmacKeys = {
    "SPKI PEM": keys.pem,
    "SPKI PEM trimmed": keys.pem.trim(),
    "SPKI DER": spkiDer,
    "PKCS#1 PEM": pkcs1Pem,
    "PKCS#1 DER": pkcs1Der,
    "JWK JSON": JSON.stringify(keys.jwks.keys[0]),
    "modulus bytes": toBytes(keys.n, 256),
    "empty key": "",
  };
  for (const [alg, hash] of [["HS256", "sha256"], ["HS384", "sha384"], ["HS512", "sha512"], ["RS256", "sha256"]]) {
    for (const [label, secret] of Object.entries(hmacKeys)) {
      const input = signingInput({ alg, typ: "JWT", kid: "ins_real" }, payload);
      cases.push({ name: `alg ${alg} HMAC-signed with the ${label}`, token: `${input}.${b64url(createHmac(hash, secret).update(input).digest())}` });
    }
  }
  for (const alg of ["none", "None", "NONE", "nOnE", "", "rs256", "RS256 ", " RS256", "RS257", "PS256", "ES256", "EdDSA", null, 256, ["RS256"], { RS256: true }]) {
    const input = signingInput({ alg, typ: "JWT" }, payload);
    cases.push({ name: `alg ${JSON.stringify(alg)} with no signature`, token: `${input}.` });
    cases.push({ name: `alg ${JSON.stringify(alg)} with the RS256 signature`, token: `${input}.${b64url(rs256(keys.privateKey, input))}` });
  }
  const noAlg = signingInput({ typ: "JWT" }, payload);
  cases.push({ name: "no alg, valid RS256 signature", token: `${noAlg}.${b64url(rs256(keys.privateKey, noAlg))}` });
  // RS256 header, but the signature made with another hash of the same key.
  for (const hash of ["RSA-SHA1", "RSA-SHA384", "RSA-SHA512"]) {
    const input = signingInput({ alg: "RS256", typ: "JWT" }, payload);
    cases.push({ name: `RS256 header, ${hash} signature`, token: `${input}.${b64url(createSign(hash).update(input).sign(keys.privateKey))}` });
  }
  return cases;
}

export function headerInjection(keys, now) {
  const payload = claimsAt(now);
  const attackerJwk = keys.attacker.publicKey.export({ format: "jwk" });
  const injected = [
    ["jwk (attacker key embedded)", { jwk: { ...attackerJwk, kid: "ins_real" } }],
    ["jku", { jku: "https://evil.example/jwks.json" }],
    ["x5u", { x5u: "https://evil.example/cert.pem" }],
    ["x5c", { x5c: [keys.attacker.publicKey.export({ type: "spki", format: "der" }).toString("base64")] }],
    ["kid ins_real", { kid: "ins_real" }],
    ["kid path traversal", { kid: "../../../../dev/null" }],
    ["kid absolute path", { kid: "/etc/passwd" }],
    ["kid SQL", { kid: "' OR '1'='1" }],
    ["kid empty", { kid: "" }],
    ["kid NUL", { kid: "ins_real\u0000" }],
    ["kid number", { kid: 0 }],
    ["kid array", { kid: ["ins_real"] }],
    ["crit unknown", { crit: ["exp"], kid: "ins_real" }],
    ["cat m2m", { cat: "cl_B7d4PD333AAA", kid: "ins_real" }],
    ["typ at+jwt", { typ: "at+jwt", kid: "ins_real" }],
  ];
  const cases = [];
  for (const [label, extra] of injected) {
    const header = { alg: "RS256", typ: "JWT", ...extra };
    const input = signingInput(header, payload);
    cases.push({ name: `header ${label}, signed by the attacker`, token: `${input}.${b64url(rs256(keys.attacker.privateKey, input))}` });
    cases.push({ name: `header ${label}, signed by the attacker (JWKS)`, token: `${input}.${b64url(rs256(keys.attacker.privateKey, input))}`, jwks: true });
  }
  // Correctly signed, but the header makes it a token edgeguard must not accept.
  for (const [label, extra] of [["crit unknown", { crit: ["b64"], b64: false }], ["cat m2m", { cat: "cl_B7d4PD333AAA" }], ["typ at+jwt", { typ: "at+jwt" }]]) {
    const input = signingInput({ alg: "RS256", typ: "JWT", kid: "ins_real", ...extra }, payload);
    cases.push({ name: `header ${label}, genuinely signed`, token: `${input}.${b64url(rs256(keys.privateKey, input))}` });
  }
  return cases;
}

/** Genuinely signed tokens whose claims or encoding must fail: time edges, duplicates, shapes. */
export function signedButInvalid(keys, now, skewSeconds = 5) {
  const cases = [];
  const sign = (name, header, payload) => {
    const input = signingInput(header, payload);
    cases.push({ name, token: `${input}.${b64url(rs256(keys.privateKey, input))}` });
  };
  const h = { alg: "RS256", typ: "JWT", kid: "ins_real" };
  const base = claimsAt(now);
  sign("expired beyond the skew", h, { ...base, exp: now - skewSeconds - 1 });
  sign("expired long ago", h, { ...base, exp: now - 86400 });
  sign("not yet valid beyond the skew", h, { ...base, nbf: now + skewSeconds + 2 });
  sign("issued in the future beyond the skew", h, { ...base, iat: now + skewSeconds + 2 });
  sign("exp missing", h, { ...base, exp: undefined });
  sign("exp as a string", h, { ...base, exp: String(now + 600) });
  sign("exp negative huge (Clerk accepts)", h, { ...base, exp: -1e13 });
  sign("exp 1e300", h, `{"sub":"user_victim","iat":${now - 10},"exp":1e300}`);
  sign("sub missing", h, { ...base, sub: undefined });
  sign("sub empty", h, { ...base, sub: "" });
  sign("sub a number", h, { ...base, sub: 42 });
  sign("payload an array", h, "[]");
  sign("payload a string", h, '"user_victim"');
  sign("payload null", h, "null");
  sign("duplicate sub", h, `{"sub":"user_a","sub":"user_victim","iat":${now - 10},"nbf":${now - 10},"exp":${now + 600}}`);
  sign("duplicate exp (expired first)", h, `{"sub":"user_victim","exp":${now - 1000},"iat":${now - 10},"exp":${now + 600}}`);
  sign("duplicate role in metadata", h, `{"sub":"user_victim","iat":${now - 10},"exp":${now + 600},"metadata":{"role":"user","role":"admin"}}`);
  sign("duplicate alg in header", `{"alg":"none","typ":"JWT","alg":"RS256"}`, base);
  sign("duplicate kid in header", `{"alg":"RS256","kid":"x","kid":"ins_real"}`, base);
  sign("lone surrogate in sub", h, `{"sub":"user_\\ud800","iat":${now - 10},"exp":${now + 600}}`);
  sign("BOM before the payload", h, `\ufeff${JSON.stringify(base)}`);
  // Encoding malleability of a genuine token.
  const input = signingInput(h, base);
  const sig = b64url(rs256(keys.privateKey, input));
  const [head, body] = input.split(".");
  cases.push({ name: "'=' padding on the signature", token: `${input}.${sig}==` });
  cases.push({ name: "'=' padding on the payload", token: `${head}.${body}=.${sig}` });
  cases.push({ name: "standard base64 alphabet in the signature", token: `${input}.${Buffer.from(sig, "base64url").toString("base64").replace(/=+$/, "")}`, onlyIfChanged: sig });
  cases.push({ name: "whitespace inside the token", token: `${head}. ${body}.${sig}` });
  cases.push({ name: "four segments", token: `${input}.${sig}.` });
  cases.push({ name: "two segments", token: input });
  cases.push({ name: "invalid UTF-8 in the payload", token: `${head}.${Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]).toString("base64url")}.${sig}` });
  return cases.filter((c) => c.onlyIfChanged === undefined || !c.token.endsWith(c.onlyIfChanged));
}

export function oversized(keys, now) {
  const h = { alg: "RS256", typ: "JWT", kid: "ins_real" };
  const huge = "A".repeat(1 << 20);
  const headerMembers = Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`h${i}`, i]));
  const deep = `${"[".repeat(100000)}${"]".repeat(100000)}`;
  const unsigned = (header, payload) => `${signingInput(header, payload)}.${"A".repeat(342)}`;
  return [
    { name: "1 MB garbage token", token: `${huge}.${huge}.${huge}`.slice(0, 1 << 20) },
    { name: "1 MB payload, bad signature", token: unsigned(h, { ...claimsAt(now), pad: huge }) },
    { name: "20000 header members, bad signature", token: unsigned({ ...h, ...headerMembers }, claimsAt(now)) },
    { name: "100000-deep nested payload", token: unsigned(h, deep) },
    { name: "100000-deep nested header", token: unsigned(deep, claimsAt(now)) },
    { name: "1 MB of dots", token: ".".repeat(1 << 20) },
  ];
}
