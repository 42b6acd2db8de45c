// Cases for the token differential test: hand-written (each naming the Clerk verdict it exists
// for) and a seeded generator of honest tokens, hostile mutations and option sets.
import { prng, signToken, signature, segment, b64url } from "./tokens.mjs";

export const NOW = 1_700_000_000;
export const ISSUER = "https://clerk.example.com";
export const PARTY = "https://app.example.com";
const KID = "ins_2abc";

export function baseClaims(now = NOW) {
  return { azp: PARTY, exp: now + 60, fva: [0, -1], iat: now - 1, iss: ISSUER, nbf: now - 6, sid: "sess_1", sts: "active", sub: "user_1", v: 2 };
}

const pem = (keys, extra = {}) => ({ jwtKey: keys.main.pem, now: NOW, ...extra });
const jwksOf = (keys, list, extra = {}) => ({ jwks: { keys: list }, now: NOW, ...extra });
const mainJwk = (keys, extra = {}) => ({ ...keys.main.jwk, kid: KID, alg: "RS256", use: "sig", ...extra });

function token(keys, { header = {}, claims = {}, how = "RS256", key = keys.main, drop = [], dropHeader = [] } = {}) {
  const h = { alg: how === "none" ? "none" : how, typ: "JWT", kid: KID, ...header };
  for (const name of dropHeader) delete h[name];
  const p = { ...baseClaims(), ...claims };
  for (const name of drop) delete p[name];
  return signToken({ header: h, payload: p, how, key, hmacSecret: keys.main.pem });
}

/** Signs raw header/payload JSON text (or bytes) as given. */
function rawToken(keys, headerText, payloadText, key = keys.main) {
  const enc = (v) => (Buffer.isBuffer(v) ? b64url(v) : segment(v));
  const input = `${enc(headerText)}.${enc(payloadText)}`;
  return `${input}.${signature(input, "RS256", key)}`;
}

const HEADER = JSON.stringify({ alg: "RS256", typ: "JWT", kid: KID });
const PAYLOAD = JSON.stringify(baseClaims());

export function handWrittenCases(keys) {
  const t = (spec) => token(keys, spec);
  const valid = t();
  const [vh, vp, vs] = valid.split(".");
  const cases = [
    { name: "valid RS256 (PEM)", token: valid, options: pem(keys), clerk: "ok" },
    { name: "valid without typ", token: t({ dropHeader: ["typ"] }), options: pem(keys), clerk: "ok" },
    { name: "valid without kid (PEM ignores kid)", token: t({ dropHeader: ["kid"] }), options: pem(keys), clerk: "ok" },
    { name: "alg none", token: t({ how: "none" }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "HS256 signed with the public key", token: t({ how: "HS256" }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "RS384 (PEM key pins RS256)", token: t({ how: "RS384" }), options: pem(keys), clerk: "token-verification-failed" },
    { name: "RS512 (PEM key pins RS256)", token: t({ how: "RS512" }), options: pem(keys), clerk: "token-verification-failed" },
    { name: "PS256", token: t({ how: "PS256" }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "ES256", token: t({ how: "ES256", key: keys.ec }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "alg missing", token: t({ dropHeader: ["alg"] }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "alg lower case", token: t({ header: { alg: "rs256" } }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "alg as array", token: t({ header: { alg: ["RS256"] } }), options: pem(keys), clerk: "token-invalid-algorithm" },
    { name: "signed by another key", token: t({ key: keys.other }), options: pem(keys), clerk: "token-invalid-signature" },
    { name: "payload swapped after signing", token: `${vh}.${segment({ ...baseClaims(), sub: "user_admin" })}.${vs}`, options: pem(keys), clerk: "token-invalid-signature" },
    { name: "signature truncated", token: `${vh}.${vp}.${b64url(Buffer.from(vs, "base64url").subarray(0, -3))}`, options: pem(keys), clerk: "token-invalid-signature" },
    { name: "signature empty", token: `${vh}.${vp}.`, options: pem(keys), clerk: "token-invalid-signature" },
    { name: "signature all 0xff (≥ n)", token: `${vh}.${vp}.${b64url(Buffer.alloc(256, 0xff))}`, options: pem(keys), clerk: "token-invalid-signature" },
    { name: "signature one byte longer", token: `${vh}.${vp}.${b64url(Buffer.concat([Buffer.from(vs, "base64url"), Buffer.from([0])]))}`, options: pem(keys), clerk: "token-invalid-signature" },
    { name: "M2M token category", token: t({ header: { cat: "cl_B7d4PD333AAA" } }), options: pem(keys), clerk: "token-invalid" },
    { name: "typ jwt (lower case)", token: t({ header: { typ: "jwt" } }), options: pem(keys), clerk: "token-invalid" },
    { name: "typ missing, headerType given", token: t({ dropHeader: ["typ"] }), options: pem(keys, { headerType: "JWT" }), clerk: "token-invalid" },
    { name: "typ in headerType list", token: t({ header: { typ: "at+jwt" } }), options: pem(keys, { headerType: ["JWT", "at+jwt"] }), clerk: "ok" },
    { name: "headerType empty list", token: t(), options: pem(keys, { headerType: [] }), clerk: "token-invalid" },
    { name: "typ before alg", token: t({ header: { typ: "x", alg: "none" } }), options: pem(keys), clerk: "token-invalid" },
    { name: "crit header", token: t({ header: { crit: ["exp"] } }), options: pem(keys), clerk: "ok", ours: "token-invalid", strictness: "crit-header" },
    // Time boundaries: now = NOW + 0.25 s, skew 5 s.
    ...timeBoundaryCases(keys),
    // sub
    { name: "sub missing", token: t({ drop: ["sub"] }), options: pem(keys), clerk: "token-verification-failed" },
    { name: "sub number", token: t({ claims: { sub: 42 } }), options: pem(keys), clerk: "token-verification-failed" },
    { name: "sub null", token: t({ claims: { sub: null } }), options: pem(keys), clerk: "token-verification-failed" },
    { name: "sub empty", token: t({ claims: { sub: "" } }), options: pem(keys), clerk: "ok", ours: "token-verification-failed", strictness: "empty-sub" },
    { name: "sub before exp", token: t({ claims: { sub: 1, exp: NOW - 100 } }), options: pem(keys), clerk: "token-verification-failed" },
    // azp
    { name: "azp matches", token: t(), options: pem(keys, { authorizedParties: [PARTY] }), clerk: "ok" },
    { name: "azp mismatch", token: t(), options: pem(keys, { authorizedParties: ["https://evil.example.com"] }), clerk: "token-invalid-authorized-parties" },
    { name: "azp missing with parties", token: t({ drop: ["azp"] }), options: pem(keys, { authorizedParties: [PARTY] }), clerk: "token-invalid-authorized-parties" },
    { name: "azp empty with parties incl. empty", token: t({ claims: { azp: "" } }), options: pem(keys, { authorizedParties: [""] }), clerk: "token-invalid-authorized-parties" },
    { name: "azp anything without parties", token: t({ claims: { azp: "https://evil.example.com" } }), options: pem(keys), clerk: "ok" },
    { name: "azp with empty parties list", token: t({ claims: { azp: 5 } }), options: pem(keys, { authorizedParties: [] }), clerk: "ok" },
    { name: "azp before iss", token: t({ claims: { azp: "x", iss: "y" } }), options: pem(keys, { authorizedParties: [PARTY], issuer: ISSUER }), clerk: "token-invalid-authorized-parties" },
    // iss
    { name: "issuer string matches", token: t(), options: pem(keys, { issuer: ISSUER }), clerk: "ok" },
    { name: "issuer string mismatch", token: t({ claims: { iss: "https://evil.example.com" } }), options: pem(keys, { issuer: ISSUER }), clerk: "token-invalid-issuer" },
    { name: "issuer array", token: t(), options: pem(keys, { issuer: ["https://a.example.com", ISSUER] }), clerk: "ok" },
    { name: "issuer empty string ignored", token: t({ claims: { iss: 7 } }), options: pem(keys, { issuer: "" }), clerk: "ok" },
    { name: "iss missing with issuer", token: t({ drop: ["iss"] }), options: pem(keys, { issuer: ISSUER }), clerk: "token-invalid-issuer" },
    { name: "iss before exp", token: t({ claims: { iss: "x", exp: NOW - 100 } }), options: pem(keys, { issuer: ISSUER }), clerk: "token-invalid-issuer" },
    // aud
    { name: "aud string in audience", token: t({ claims: { aud: "api" } }), options: pem(keys, { audience: ["x", "api"] }), clerk: "ok" },
    { name: "aud string not in audience", token: t({ claims: { aud: "api" } }), options: pem(keys, { audience: "web" }), clerk: "token-verification-failed" },
    { name: "aud array intersects", token: t({ claims: { aud: ["a", "api"] } }), options: pem(keys, { audience: "api" }), clerk: "ok" },
    { name: "aud array disjoint", token: t({ claims: { aud: ["a", "b"] } }), options: pem(keys, { audience: "api" }), clerk: "token-verification-failed" },
    { name: "aud missing with audience", token: t(), options: pem(keys, { audience: "api" }), clerk: "ok" },
    { name: "aud number with audience", token: t({ claims: { aud: 5 } }), options: pem(keys, { audience: "api" }), clerk: "ok", ours: "token-verification-failed", strictness: "malformed-aud" },
    { name: "aud mixed array with audience", token: t({ claims: { aud: ["api", 1] } }), options: pem(keys, { audience: "api" }), clerk: "ok", ours: "token-verification-failed", strictness: "malformed-aud" },
    { name: "aud anything without audience", token: t({ claims: { aud: { x: 1 } } }), options: pem(keys), clerk: "ok" },
    { name: "aud before azp", token: t({ claims: { aud: "x", azp: "y" } }), options: pem(keys, { audience: "api", authorizedParties: [PARTY] }), clerk: "token-verification-failed" },
    ...jwksCases(keys),
    ...malformedCases(keys, vh, vp, vs),
  ];
  return cases;
}

function timeBoundaryCases(keys) {
  const t = (claims) => token(keys, { claims });
  const at = (extra = {}) => pem(keys, { now: NOW + 0.25, ...extra });
  return [
    { name: "exp = now - 5 s (skew 5 s): expired", token: t({ exp: NOW - 5 }), options: at(), clerk: "token-expired" },
    { name: "exp = now - 4 s: valid", token: t({ exp: NOW - 4 }), options: at(), clerk: "ok" },
    { name: "exp fractional truncates", token: t({ exp: NOW - 4.9 }), options: at(), clerk: "token-expired" },
    { name: "exp = now, skew 0: expired", token: t({ exp: NOW }), options: at({ clockSkewInMs: 0 }), clerk: "token-expired" },
    { name: "exp = now + 1, skew 0: valid", token: t({ exp: NOW + 1 }), options: at({ clockSkewInMs: 0 }), clerk: "ok" },
    { name: "exp = now - 59, skew 60 s: valid", token: t({ exp: NOW - 59 }), options: at({ clockSkewInMs: 60000 }), clerk: "ok" },
    { name: "exp = now exactly (ms 0), skew 0", token: t({ exp: NOW }), options: pem(keys, { clockSkewInMs: 0 }), clerk: "token-expired" },
    { name: "exp = now, skew 1 ms", token: t({ exp: NOW }), options: pem(keys, { clockSkewInMs: 1 }), clerk: "ok" },
    { name: "exp missing", token: token(keys, { drop: ["exp"] }), options: at(), clerk: "token-verification-failed" },
    { name: "exp string", token: t({ exp: String(NOW + 60) }), options: at(), clerk: "token-verification-failed" },
    { name: "exp null", token: t({ exp: null }), options: at(), clerk: "token-verification-failed" },
    { name: "nbf = now + 5 s: valid", token: t({ nbf: NOW + 5 }), options: at(), clerk: "ok" },
    { name: "nbf = now + 6 s: not active", token: t({ nbf: NOW + 6 }), options: at(), clerk: "token-not-active-yet" },
    { name: "nbf = now + 5, skew 4999 ms, now ms 250", token: t({ nbf: NOW + 5 }), options: at({ clockSkewInMs: 4749 }), clerk: "token-not-active-yet" },
    { name: "nbf = now + 5, skew 4750 ms, now ms 250", token: t({ nbf: NOW + 5 }), options: at({ clockSkewInMs: 4750 }), clerk: "ok" },
    { name: "nbf null", token: t({ nbf: null }), options: at(), clerk: "token-verification-failed" },
    { name: "iat = now + 6 s", token: t({ iat: NOW + 6 }), options: at(), clerk: "token-iat-in-the-future" },
    { name: "iat = now + 5 s", token: t({ iat: NOW + 5 }), options: at(), clerk: "ok" },
    { name: "iat string", token: t({ iat: "1" }), options: at(), clerk: "token-verification-failed" },
    { name: "exp before nbf", token: t({ exp: NOW - 100, nbf: NOW + 100 }), options: at(), clerk: "token-expired" },
    { name: "nbf before iat", token: t({ nbf: NOW + 100, iat: NOW + 100 }), options: at(), clerk: "token-not-active-yet" },
    { name: "exp -1e13 (Clerk: invalid Date, never expires)", token: t({ exp: -1e13 }), options: at(), clerk: "ok", ours: "token-verification-failed", strictness: "time-out-of-range" },
    { name: "exp 1e13", token: t({ exp: 1e13 }), options: at(), clerk: "ok", ours: "token-verification-failed", strictness: "time-out-of-range" },
    { name: "exp 8.64e12 (last representable second)", token: t({ exp: 8.64e12 }), options: at(), clerk: "ok" },
    { name: "nbf -1e300", token: t({ nbf: -1e300 }), options: at(), clerk: "ok", ours: "token-verification-failed", strictness: "time-out-of-range" },
  ];
}

function jwksCases(keys) {
  const main = mainJwk(keys);
  const t = (spec) => token(keys, spec);
  const signedBy = (key, kid) => token(keys, { key, header: { kid } });
  const keyJwk = (key, kid, extra = {}) => ({ ...key.jwk, kid, ...extra });
  return [
    { name: "JWKS: kid matches", token: t(), options: jwksOf(keys, [main]), clerk: "ok" },
    { name: "JWKS: kid matches the second key", token: signedBy(keys.other, "k2"), options: jwksOf(keys, [main, keyJwk(keys.other, "k2")]), clerk: "ok" },
    { name: "JWKS: kid mismatch", token: t({ header: { kid: "nope" } }), options: jwksOf(keys, [main]), clerk: "jwk-kid-mismatch" },
    { name: "JWKS: kid missing", token: t({ dropHeader: ["kid"] }), options: jwksOf(keys, [main]), clerk: "jwk-kid-mismatch" },
    { name: "JWKS: kid mismatch before typ/alg", token: t({ header: { kid: "nope", typ: "x", alg: "none" } }), options: jwksOf(keys, [main]), clerk: "jwk-kid-mismatch" },
    { name: "JWKS: kid as number", token: t({ header: { kid: 1 } }), options: jwksOf(keys, [{ ...main, kid: "1" }]), clerk: "ok", ours: "jwk-kid-mismatch", strictness: "kid-not-string" },
    { name: "JWKS: duplicate kid, last wins", token: t(), options: jwksOf(keys, [main, keyJwk(keys.other, KID)]), clerk: "token-invalid-signature" },
    { name: "JWKS: use enc", token: t(), options: jwksOf(keys, [{ ...main, use: "enc" }]), clerk: "token-verification-failed" },
    { name: "JWKS: key_ops sign only", token: t(), options: jwksOf(keys, [{ ...main, key_ops: ["sign"] }]), clerk: "token-verification-failed" },
    { name: "JWKS: key_ops verify", token: t(), options: jwksOf(keys, [{ ...main, key_ops: ["verify"] }]), clerk: "ok" },
    { name: "JWKS: key pins RS384", token: t(), options: jwksOf(keys, [{ ...main, alg: "RS384" }]), clerk: "token-verification-failed" },
    { name: "JWKS: private JWK", token: t(), options: jwksOf(keys, [{ ...keys.main.privateKey.export({ format: "jwk" }), kid: KID }]), clerk: "token-verification-failed" },
    { name: "JWKS: EC JWK under the kid", token: t(), options: jwksOf(keys, [{ ...keys.ec.jwk, kid: KID }]), clerk: "token-verification-failed" },
    { name: "JWKS: RS384 with an unpinned key", token: t({ how: "RS384" }), options: jwksOf(keys, [{ ...main, alg: undefined }]), clerk: "ok", ours: "token-verification-failed", strictness: "rs384-rs512" },
    { name: "JWKS: RS512 with an unpinned key", token: t({ how: "RS512" }), options: jwksOf(keys, [{ ...main, alg: undefined }]), clerk: "ok", ours: "token-verification-failed", strictness: "rs384-rs512" },
    { name: "JWKS: RSA-1024 key", token: signedBy(keys.rsa1024, "weak"), options: jwksOf(keys, [keyJwk(keys.rsa1024, "weak")]), clerk: "ok", ours: "token-verification-failed", strictness: "rsa-key-policy" },
    { name: "JWKS: RSA-3072 key", token: signedBy(keys.rsa3072, "k3"), options: jwksOf(keys, [keyJwk(keys.rsa3072, "k3")]), clerk: "ok" },
    { name: "JWKS: RSA-4096 key", token: signedBy(keys.rsa4096, "k4"), options: jwksOf(keys, [keyJwk(keys.rsa4096, "k4")]), clerk: "ok" },
    { name: "JWKS: e = 3 key", token: signedBy(keys.e3, "e3"), options: jwksOf(keys, [keyJwk(keys.e3, "e3")]), clerk: "ok" },
    { name: "JWKS: n with leading zero and padding", token: t(), options: jwksOf(keys, [{ ...main, n: `${b64url(Buffer.concat([Buffer.from([0]), Buffer.from(main.n, "base64url")]))}==` }]), clerk: "ok" },
  ];
}

function malformedCases(keys, vh, vp, vs) {
  const opts = pem(keys);
  const raw = (h, p, key) => rawToken(keys, h, p, key);
  const claims = baseClaims();
  const deep = `${"[".repeat(300)}${"]".repeat(300)}`;
  const big = JSON.stringify({ ...claims, blob: "x".repeat(1 << 20) });
  return [
    { name: "empty string", token: "", options: opts, clerk: "token-invalid" },
    { name: "one segment", token: "abc", options: opts, clerk: "token-invalid" },
    { name: "two segments", token: `${vh}.${vp}`, options: opts, clerk: "token-invalid" },
    { name: "four segments", token: `${vh}.${vp}.${vs}.x`, options: opts, clerk: "token-invalid" },
    { name: "only dots", token: "..", options: opts, clerk: "token-invalid" },
    { name: "invalid base64url character", token: `${vh}.${vp.slice(0, 10)}*${vp.slice(11)}.${vs}`, options: opts, clerk: "token-invalid" },
    { name: "standard base64 '+'", token: `${vh}.${vp}.${vs.replace(/.$/, "+")}`, options: opts, clerk: "token-invalid" },
    { name: "segment length ≡ 1 (mod 4)", token: `${vh}.${vp}.${vs}${vs.length % 4 === 0 ? "A" : "AAAAA".slice(0, (5 - (vs.length % 4)) % 4 || 4)}`, options: opts },
    { name: "non-canonical trailing bits", token: `${segment("{}").slice(0, -1)}3.${vp}.${vs}`, options: opts },
    { name: "header not JSON", token: raw("{alg:RS256}", PAYLOAD), options: opts, clerk: "token-invalid" },
    { name: "payload not JSON", token: raw(HEADER, "{sub:1}"), options: opts, clerk: "token-invalid" },
    { name: "payload with trailing garbage", token: raw(HEADER, `${PAYLOAD}x`), options: opts, clerk: "token-invalid" },
    { name: "payload surrounded by whitespace", token: raw(HEADER, ` \n${PAYLOAD}\t`), options: opts, clerk: "ok" },
    { name: "header is an array", token: raw("[]", PAYLOAD), options: opts, clerk: "token-invalid-algorithm" },
    { name: "header is a number", token: raw("7", PAYLOAD), options: opts, clerk: "token-invalid-algorithm" },
    { name: "header is null (Clerk throws a TypeError)", token: raw("null", PAYLOAD), options: opts, ours: "token-invalid", strictness: "null-header" },
    { name: "payload is an array", token: raw(HEADER, "[1]"), options: opts, clerk: "token-verification-failed" },
    { name: "payload is a string", token: raw(HEADER, '"user_1"'), options: opts, clerk: "token-verification-failed" },
    { name: "payload is null (Clerk throws a TypeError)", token: raw(HEADER, "null"), options: opts, ours: "token-verification-failed", strictness: "null-payload" },
    { name: "payload array with a bad signature", token: `${segment(HEADER)}.${segment("[]")}.${vs}`, options: opts, clerk: "token-invalid-signature" },
    { name: "duplicate claim (JSON.parse keeps the last)", token: raw(HEADER, PAYLOAD.replace('"sub":"user_1"', '"sub":"user_1","sub":"user_admin"')), options: opts, clerk: "ok", ours: "token-invalid", strictness: "duplicate-json-keys" },
    { name: "duplicate header member", token: raw('{"alg":"none","alg":"RS256"}', PAYLOAD), options: opts, clerk: "ok", ours: "token-invalid", strictness: "duplicate-json-keys" },
    { name: "padding on a signed segment", token: (() => { const input = `${segment(HEADER)}=.${segment(PAYLOAD)}`; return `${input}.${signature(input, "RS256", keys.main)}`; })(), options: opts, ours: "token-invalid", strictness: "padded-segment" },
    { name: "padding on the signature", token: `${vh}.${vp}.${vs}==`, options: opts, clerk: "ok", ours: "token-invalid", strictness: "padded-segment" },
    { name: "invalid UTF-8 in a claim", token: raw(HEADER, Buffer.concat([Buffer.from(PAYLOAD.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), options: opts, clerk: "ok", ours: "token-invalid", strictness: "invalid-utf8" },
    { name: "UTF-8 BOM before the payload", token: raw(HEADER, `\ufeff${PAYLOAD}`), options: opts, clerk: "ok", ours: "token-invalid", strictness: "utf8-bom" },
    { name: "lone surrogate", token: raw(HEADER, PAYLOAD.replace('"sub":"user_1"', '"sub":"user_1","name":"\\ud800"')), options: opts, clerk: "ok", ours: "token-invalid", strictness: "lone-surrogate" },
    { name: "number out of range (1e400 → Infinity)", token: raw(HEADER, PAYLOAD.replace(/"exp":\d+/, '"exp":1e400')), options: opts, clerk: "ok", ours: "token-invalid", strictness: "number-out-of-range" },
    { name: "deep nesting", token: raw(HEADER, PAYLOAD.replace("{", `{"deep":${deep},`)), options: opts, clerk: "ok", ours: "token-invalid", strictness: "deep-json-nesting" },
    { name: "1 MiB payload", token: raw(HEADER, big), options: opts, clerk: "ok" },
    { name: "1 MiB garbage", token: `${vh}.${"A".repeat(1 << 20)}.${vs}`, options: opts, clerk: "token-invalid" },
    { name: "unicode claims", token: raw(HEADER, PAYLOAD.replace('"sub":"user_1"', '"sub":"usér_☃_😀","n":"\\u0000\\n"')), options: opts, clerk: "ok" },
    { name: "escaped member names", token: raw(HEADER, PAYLOAD.replace('"sub"', '"\\u0073ub"')), options: opts, clerk: "ok" },
    { name: "escaped duplicate member names", token: raw(HEADER, PAYLOAD.replace('"sub":"user_1"', '"sub":"a","\\u0073ub":"b"')), options: opts, clerk: "ok", ours: "token-invalid", strictness: "duplicate-json-keys" },
    { name: "big integers", token: raw(HEADER, PAYLOAD.replace("{", '{"big":18446744073709551616123,"neg":-9223372036854775809,"f":1.5e300,"z":-0,')), options: opts, clerk: "ok" },
  ];
}

// ---------------------------------------------------------------------------------------------
// The generator

const JSON_VALUES = [null, true, false, 0, -1, 1, 1.5, "", "x", "org:admin", [], [1], ["a"], {}, { a: 1 }];

function randomValue(r, depth = 0) {
  const kind = r.int(0, depth > 2 ? 3 : 5);
  switch (kind) {
    case 0: return r.pick(JSON_VALUES);
    case 1: return r.int(-1e6, 1e6) / r.pick([1, 1, 10, 1000]);
    case 2: return randomString(r);
    case 3: return r.chance(0.5);
    case 4: return Array.from({ length: r.int(0, 3) }, () => randomValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(0, 3) }, () => [randomString(r), randomValue(r, depth + 1)]));
  }
}

function randomString(r) {
  const alphabets = ["abcdefghijklmnopqrstuvwxyz", "0123456789", ":,_- ", "éü☃😀\u00a0\ufeff\u2028"];
  // Whole code points (a string index would split the emoji into lone surrogates).
  return Array.from({ length: r.int(0, 8) }, () => r.pick(Array.from(r.pick(alphabets)))).join("");
}

function timeValue(r, now) {
  return r.pick([
    () => now + r.int(-12, 12),
    () => now + r.int(-12, 12) + r.pick([0.1, 0.5, 0.9, -0.1, -0.5]),
    () => now + r.int(-100000, 100000),
    () => now + r.pick([60, 3600, -3600]),
    () => r.pick([0, -1, 1, 1e13, -1e13, 8.64e12, -8.64e12, 8.64e12 + 1, 1e300, 2 ** 53]),
    () => r.pick([null, "1700000000", true, [now], {}]),
  ])();
}

/** Mostly a well-typed value, sometimes one of another JSON type. */
function odd(r, usual, unusual) {
  return r.chance(0.9) ? r.pick(usual) : r.pick(unusual);
}

function orgClaims(r, claims) {
  if (r.chance(0.5)) {
    claims.v = 2;
    if (r.chance(0.7)) {
      const features = Array.from({ length: r.int(0, 3) }, (_, i) => `${r.pick(["o", "u", "ou", "uo", "x"])}:${r.pick(["reports", "invoices", "export", "sso"])}${i}`);
      claims.fea = r.chance(0.95) ? features.join(r.pick([",", ", "])) : r.pick(["nocolon", 5, ["o:x"], ""]);
      claims.o = r.chance(0.9)
        ? { id: odd(r, ["org_1", "org_2"], ["", null, 5]), rol: odd(r, ["admin", "member", "org:admin"], ["", null, 3]), slg: odd(r, ["acme"], [null, 1]), per: odd(r, ["read,write,delete", "read", " read , write"], ["", 5]), fpm: odd(r, ["7", "1,2", "3,0,5", "0", "18446744073709551617", "5,x"], ["x", "", 5, " 7"]) }
        : randomValue(r);
    }
  } else if (r.chance(0.6)) {
    if (r.chance(0.5)) delete claims.v;
    else claims.v = r.pick([1, "2", 2.0, 3]);
    claims.org_id = odd(r, ["org_1"], [null, 7]);
    claims.org_role = odd(r, ["org:admin", "admin"], [null, 1]);
    claims.org_slug = odd(r, ["acme"], [null]);
    claims.org_permissions = odd(r, [["org:invoices:read"], []], [null, "org:x", [1]]);
  }
  if (r.chance(0.2)) claims.pla = odd(r, ["u:pro", "o:free,u:pro"], ["", 5]);
  if (r.chance(0.1)) claims.fva = odd(r, [[1, 2], [-1, -1], [0, 0]], [null, [1], "x", [1, "2"]]);
  if (r.chance(0.1)) claims.sts = odd(r, ["pending", "active"], [1, null]);
  if (r.chance(0.05)) claims.sid = odd(r, ["sess_2"], [5, null, ""]);
}

/** One generated case: a possibly mutated token and options, reproducible from (seed, index). */
export function generatedCase(keys, seed, index) {
  const r = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const notes = [];
  const nowMs = NOW * 1000 + r.pick([0, 0, 250, 999, r.int(0, 999)]);
  const now = nowMs / 1000;
  const claims = { ...baseClaims(Math.floor(now)) };
  const header = { alg: "RS256", typ: "JWT", kid: KID };
  let how = "RS256";
  let signingKey = keys.main;

  // Claims
  orgClaims(r, claims);
  for (const name of ["exp", "nbf", "iat"]) {
    if (r.chance(0.3)) {
      claims[name] = timeValue(r, Math.floor(now));
      notes.push(`${name}=${claims[name]}`);
    }
    if (r.chance(0.05)) delete claims[name];
  }
  if (r.chance(0.12)) claims.sub = r.pick([undefined, "", 42, null, "user_2", { id: 1 }, ["user_1"]]);
  if (r.chance(0.15)) claims.iss = r.pick([undefined, "https://evil.example.com", "", 5, ISSUER.toUpperCase()]);
  if (r.chance(0.15)) claims.azp = r.pick([undefined, "", "https://evil.example.com", 5, PARTY + "/"]);
  if (r.chance(0.15)) claims.aud = r.pick(["api", ["api", "web"], ["web"], [], [""], "", 5, [1], { a: 1 }, true, ["api", 2]]);
  for (let i = r.int(0, 2); i > 0; i--) claims[randomString(r) || "k"] = randomValue(r);

  // Header
  if (r.chance(0.12)) {
    how = r.pick(["RS384", "RS512", "PS256", "ES256", "HS256", "none"]);
    header.alg = how;
    if (how === "ES256") signingKey = keys.ec;
    notes.push(`sign ${how}`);
  }
  if (r.chance(0.05)) header.alg = r.pick([undefined, "rs256", "", null, 1, ["RS256"], "RS256 "]);
  if (r.chance(0.1)) header.typ = r.pick([undefined, "jwt", "JWS", "at+jwt", null, 1]);
  if (r.chance(0.05)) header.cat = r.pick(["cl_B7d4PD333AAA", "cl_other"]);
  if (r.chance(0.03)) header.crit = r.pick([["exp"], []]);
  if (r.chance(0.05)) signingKey = keys.other;

  // Keys and options
  const options = { now };
  const jwksMode = r.chance(0.25);
  if (jwksMode) {
    const pool = [mainJwk(keys)];
    if (r.chance(0.5)) pool.push({ ...keys.other.jwk, kid: "other" });
    const variant = r.int(0, 9);
    if (variant === 0) header.kid = r.pick([undefined, "nope", 1, null]);
    else if (variant === 1) pool[0] = { ...pool[0], ...r.pick([{ use: "enc" }, { alg: undefined }, { alg: "RS512" }, { key_ops: ["verify"] }, { key_ops: [] }, { kty: "EC" }]) };
    else if (variant === 2) {
      const alt = r.pick([keys.rsa1024, keys.rsa3072, keys.e3]);
      signingKey = alt;
      header.kid = "alt";
      pool.push({ ...alt.jwk, kid: "alt", ...(r.chance(0.5) ? { alg: "RS256" } : {}) });
    }
    options.jwks = { keys: r.chance(0.5) ? pool : pool.reverse() };
    notes.push(`jwks v${variant}`);
  } else {
    options.jwtKey = keys.main.pem;
  }
  if (r.chance(0.3)) options.authorizedParties = r.pick([[PARTY], ["https://evil.example.com"], [], [PARTY, "https://x.example.com"]]);
  if (r.chance(0.3)) options.issuer = r.pick([ISSUER, [ISSUER], ["https://evil.example.com"], "", [ISSUER, "https://x.example.com"]]);
  if (r.chance(0.2)) options.audience = r.pick(["api", ["api", "x"], [], "", ["web"]]);
  if (r.chance(0.15)) options.headerType = r.pick(["JWT", ["JWT", "at+jwt"], "at+jwt", []]);
  if (r.chance(0.4)) options.clockSkewInMs = r.pick([0, 1, 249, 250, 999, 1000, 4750, 5000, 60000, r.int(0, 20000)]);

  for (const name of Object.keys(header)) if (header[name] === undefined) delete header[name];
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];

  let headerText = JSON.stringify(header);
  let payloadText = JSON.stringify(claims);
  let token;
  const encoding = r.chance(0.15) ? r.int(0, 9) : -1;
  if (encoding >= 0) notes.push(`encoding ${encoding}`);
  if (encoding === 0) payloadText = payloadText.replace('"sub":', '"sub":"shadow","sub":');
  if (encoding === 1) payloadText = `\ufeff${payloadText}`;
  if (encoding === 2) payloadText = payloadText.replace("{", '{"s":"\\udc00",');
  if (encoding === 3) payloadText = payloadText.replace("{", '{"n":-1e999,');
  if (encoding === 4) headerText = r.pick(["null", "[]", '"x"', "1", "{}"]);
  if (encoding === 5) payloadText = r.pick(["null", "[]", '"x"', "1", "{}", "{"]);
  const headerPart = encoding === 6 ? b64url(Buffer.concat([Buffer.from(headerText), Buffer.from([0xff])])) : segment(headerText);
  const input = `${headerPart}.${segment(payloadText)}${encoding === 7 ? "=" : ""}`;
  const sig = signature(input, how, signingKey, keys.main.pem);
  token = `${input}.${sig}`;
  if (encoding === 8) {
    // Post-signing damage: flip, cut or extend any part.
    const at = r.int(0, token.length - 1);
    token = r.pick([
      () => token.slice(0, at) + r.pick(["A", "-", "_", ".", "=", "*", "+", "/", " "]) + token.slice(at + 1),
      () => token.slice(0, at),
      () => `${token}${r.pick(["A", "AA", "=", ".", ".x"])}`,
      () => token.replace(/^[^.]*/, segment(JSON.stringify({ ...header, alg: "none" }))),
    ])();
  }
  if (encoding === 9) token = token.replace(/\.[^.]*$/, `.${sig.slice(0, r.int(0, sig.length))}`);
  return { name: notes.join(", ") || "honest", token, options };
}
