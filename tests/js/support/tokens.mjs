// Session tokens for the differential tests: locally generated keys, tokens signed (or forged)
// every way a sender or an attacker could, the real `verifyToken` of @clerk/backend run under a
// frozen clock, and the named predicates for the places where edgeguard is stricter than Clerk.
import { createHmac, generateKeyPairSync, sign as nodeSign, constants } from "node:crypto";

// Clerk reads `globalThis.fetch` at call time only under NODE_ENV=test; the JWKS path of
// `verifyToken` (secretKey → BAPI /jwks) is answered from memory below, never the network.
process.env.NODE_ENV = "test";
const clerk = await import("@clerk/backend");

export const MAX_DATE_MS = 8.64e15;

/** mulberry32: small, fast, reproducible. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

// ---------------------------------------------------------------------------------------------
// Keys

function rsaKey(bits, publicExponent = 0x10001) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent });
  return {
    bits,
    privateKey,
    publicKey,
    pem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    jwk: publicKey.export({ format: "jwk" }),
  };
}

/** Generated once per process: the signer's key, an unrelated key, and keys outside our policy. */
export function makeKeys() {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    main: rsaKey(2048),
    other: rsaKey(2048),
    e3: rsaKey(2048, 3),
    rsa1024: rsaKey(1024),
    rsa3072: rsaKey(3072),
    rsa4096: rsaKey(4096),
    ec: { privateKey: ec.privateKey, jwk: ec.publicKey.export({ format: "jwk" }) },
  };
}

// ---------------------------------------------------------------------------------------------
// Tokens

export const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
export const segment = (value) => b64url(typeof value === "string" ? value : JSON.stringify(value));

/**
 * Signs `header.payload` (each a value to JSON-encode, a raw JSON string, or a Buffer of raw
 * bytes) with `how`: RS256/RS384/RS512/PS256 (RSA key), ES256 (EC key), HS256 (with the PEM text
 * as the HMAC secret — the classic key-confusion forgery), none (empty signature).
 */
export function signToken({ header, payload, how = "RS256", key, hmacSecret, rawHeader, rawPayload }) {
  const head = rawHeader ?? encodePart(header);
  const body = rawPayload ?? encodePart(payload);
  const input = `${head}.${body}`;
  return `${input}.${signature(input, how, key, hmacSecret)}`;
}

function encodePart(value) {
  if (Buffer.isBuffer(value)) return b64url(value);
  return segment(value);
}

export function signature(input, how, key, hmacSecret) {
  const data = Buffer.from(input);
  switch (how) {
    case "RS256":
      return b64url(nodeSign("sha256", data, key.privateKey));
    case "RS384":
      return b64url(nodeSign("sha384", data, key.privateKey));
    case "RS512":
      return b64url(nodeSign("sha512", data, key.privateKey));
    case "PS256":
      return b64url(nodeSign("sha256", data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }));
    case "ES256":
      return b64url(nodeSign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" }));
    case "HS256":
      return b64url(createHmac("sha256", hmacSecret).update(data).digest());
    case "none":
      return "";
    default:
      throw new Error(`unknown signing method ${how}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Running Clerk and edgeguard side by side

let jwksForFetch = null;
let secretCounter = 0;
globalThis.fetch = async () =>
  new Response(JSON.stringify(jwksForFetch), { status: 200, headers: { "content-type": "application/json" } });

/**
 * The real `verifyToken` of @clerk/backend with Date.now frozen at `nowMs`. Options are ours
 * (jwtKey | jwks, now in seconds); a JWKS is served through Clerk's own remote-JWKS path.
 * Returns `{ ok, reason }`, `{ ok: true, claims }`, or `{ ok: false, threw }` for a non-Clerk error.
 */
export async function clerkVerify(token, options) {
  const { jwks, now, ...rest } = options;
  const nowMs = Math.floor(now * 1000);
  const clerkOptions = { ...rest };
  if (jwks) {
    jwksForFetch = jwks;
    // A fresh secret per call: Clerk caches JWKS per secret key, and every case has its own JWKS.
    clerkOptions.secretKey = `sk_test_edgeguard_${++secretCounter}`;
  }
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    const claims = await clerk.verifyToken(token, clerkOptions);
    return { ok: true, claims };
  } catch (error) {
    if (typeof error?.reason === "string") return { ok: false, reason: error.reason, message: error.message };
    return { ok: false, threw: `${error?.constructor?.name}: ${error?.message}` };
  } finally {
    Date.now = realNow;
  }
}

/** Canonical JSON (sorted keys) to compare claim sets independent of member order. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Where edgeguard is stricter than Clerk: each predicate looks at the token, keys and options
// only (never at either verdict), and names one documented difference.

/** Scans JSON text the way RFC 8259 reads it and reports what JSON.parse glosses over. */
export function jsonAnomalies(text) {
  const found = { duplicateKeys: false, loneSurrogate: false, numberOutOfRange: false, depth: 0 };
  let i = 0;
  let depth = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    let out = "";
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        const c = text[i + 1];
        if (c === "u") {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          out += c;
          i += 2;
        }
      } else {
        out += text[i++];
      }
    }
    i++;
    if (!out.isWellFormed()) found.loneSurrogate = true;
    return out;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      depth++;
      found.depth = Math.max(found.depth, depth);
      i++;
      const keys = new Set();
      ws();
      while (i < text.length && text[i] !== "}" && text[i] !== "]") {
        if (c === "{") {
          ws();
          const key = string();
          if (keys.has(key)) found.duplicateKeys = true;
          keys.add(key);
          ws();
          i++; // colon
        }
        value();
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
      depth--;
    } else if (c === '"') {
      string();
    } else {
      const start = i;
      while (i < text.length && !",]} \t\n\r".includes(text[i])) i++;
      const literal = text.slice(start, i);
      if (/^-?\d/.test(literal) && !Number.isFinite(Number(literal))) found.numberOutOfRange = true;
    }
  };
  try {
    value();
  } catch {
    // Only called on text JSON.parse accepted; a scanner slip just reports fewer anomalies.
  }
  return found;
}

function decodeSegment(raw) {
  try {
    return Buffer.from(raw.replace(/=+$/, ""), "base64url");
  } catch {
    return null;
  }
}

const isTimeOutOfRange = (v) => typeof v === "number" && !(Math.abs(Math.trunc(v) * 1000) <= MAX_DATE_MS);
const truthy = (v) => !!v;

/**
 * The named reasons edgeguard may answer differently from Clerk for this case (always by
 * rejecting). Empty when the verdicts must be identical.
 */
export function strictnessPredicates(token, options) {
  const names = [];
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) return names;
  if (parts.some((p) => p.endsWith("="))) names.push("padded-segment");
  const texts = [];
  for (const raw of parts.slice(0, 2)) {
    const bytes = decodeSegment(raw);
    if (!bytes) return names;
    try {
      texts.push(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
    } catch {
      names.push("invalid-utf8");
      texts.push(new TextDecoder().decode(bytes));
    }
  }
  if (texts.some((t) => t.startsWith("\ufeff"))) names.push("utf8-bom");
  const parsed = [];
  for (const text of texts) {
    try {
      parsed.push(JSON.parse(text));
    } catch {
      return names; // Clerk rejects too (token-invalid)
    }
    const anomalies = jsonAnomalies(text.replace(/^\ufeff/, ""));
    if (anomalies.duplicateKeys) names.push("duplicate-json-keys");
    if (anomalies.loneSurrogate) names.push("lone-surrogate");
    if (anomalies.numberOutOfRange) names.push("number-out-of-range");
    if (anomalies.depth > 100) names.push("deep-json-nesting");
  }
  const [header, payload] = parsed;
  if (header === null) names.push("null-header");
  if (payload === null) names.push("null-payload");
  const h = header && typeof header === "object" ? header : {};
  const p = payload && typeof payload === "object" ? payload : {};
  if ("crit" in h && !Array.isArray(header)) names.push("crit-header");
  if (p.sub === "") names.push("empty-sub");
  if (["exp", "nbf", "iat"].some((c) => isTimeOutOfRange(p[c]))) names.push("time-out-of-range");
  const audience = [options.audience].flat().filter(truthy);
  const audList = [p.aud].flat().filter(truthy);
  const audIsStrings = typeof p.aud === "string" || (Array.isArray(p.aud) && p.aud.length > 0 && p.aud.every((a) => typeof a === "string"));
  if (audience.length && audList.length && !audIsStrings) names.push("malformed-aud");
  if (options.jwks) {
    const kid = h.kid;
    if (typeof kid !== "string") names.push("kid-not-string");
    const jwk = [...options.jwks.keys].reverse().find((k) => String(k.kid) === String(kid));
    if (jwk) {
      // Clerk verifies RS384/RS512 with a JWK that pins no alg or that alg; edgeguard: RS256 only.
      if ((h.alg === "RS384" || h.alg === "RS512") && (jwk.alg === undefined || jwk.alg === h.alg)) names.push("rs384-rs512");
      if (jwk.kty === "RSA" && !rsaJwkWithinPolicy(jwk)) names.push("rsa-key-policy");
    }
  }
  if (claimsOutsideClerkTypes(p)) names.push("session-claim-types");
  return names;
}

/** The reason edgeguard gives for each documented strictness. */
export const STRICTNESS_REASONS = {
  "padded-segment": "token-invalid",
  "invalid-utf8": "token-invalid",
  "utf8-bom": "token-invalid",
  "duplicate-json-keys": "token-invalid",
  "lone-surrogate": "token-invalid",
  "number-out-of-range": "token-invalid",
  "deep-json-nesting": "token-invalid",
  "null-header": "token-invalid",
  "crit-header": "token-invalid",
  "null-payload": "token-verification-failed",
  "empty-sub": "token-verification-failed",
  "time-out-of-range": "token-verification-failed",
  "malformed-aud": "token-verification-failed",
  "kid-not-string": "jwk-kid-mismatch",
  "rs384-rs512": "token-verification-failed",
  "rsa-key-policy": "token-verification-failed",
  "session-claim-types": "token-verification-failed",
};

/** edgeguard's RSA key policy: 2048..4096-bit modulus, odd exponent 3 ≤ e < 2^32. */
function rsaJwkWithinPolicy(jwk) {
  try {
    const n = Buffer.from(String(jwk.n).replace(/=+$/, ""), "base64url");
    const e = Buffer.from(String(jwk.e).replace(/=+$/, ""), "base64url");
    const nHex = n.toString("hex").replace(/^0+/, "");
    const bits = nHex.length ? (nHex.length - 1) * 4 + parseInt(nHex[0], 16).toString(2).length : 0;
    const eValue = BigInt(`0x${e.toString("hex") || "0"}`);
    return bits >= 2048 && bits <= 4096 && eValue >= 3n && eValue < 2n ** 32n && eValue % 2n === 1n;
  } catch {
    return false;
  }
}

/**
 * Session claims that Clerk would pass through (or throw on while building its auth object) but
 * that edgeguard's typed Auth refuses: then edgeguard's verifyToken fails with
 * token-verification-failed where Clerk's verifyToken (which builds no auth object) succeeds.
 */
export function claimsOutsideClerkTypes(p) {
  const str = (v) => v === undefined || v === null || typeof v === "string";
  if (!str(p.sid) || !str(p.sts) || !str(p.fea) || !str(p.pla)) return true;
  if (!(p.fva === undefined || p.fva === null || (Array.isArray(p.fva) && p.fva.length === 2 && p.fva.every((x) => typeof x === "number")))) return true;
  if (!(p.iat === undefined || typeof p.iat === "number")) return true;
  if (p.v === 2) {
    if (!p.o) return false;
    const o = p.o && typeof p.o === "object" ? p.o : {};
    if (!str(o.id) || !str(o.slg)) return true;
    if (o.rol && typeof o.rol !== "string") return true;
    if (p.fea && typeof p.fea !== "string") return true;
    if (o.per && o.fpm && (typeof o.per !== "string" || typeof o.fpm !== "string")) return true;
    try {
      clerkAuthProperties(p);
    } catch {
      return true; // Clerk's own parser throws on these claims
    }
    return false;
  }
  if (!str(p.org_id) || !str(p.org_role) || !str(p.org_slug)) return true;
  const perms = p.org_permissions;
  return !(perms === undefined || perms === null || (Array.isArray(perms) && perms.every((x) => typeof x === "string")));
}

// Clerk's own claims → auth properties (what its signedInAuthObject is built from).
const shared = await import("@clerk/shared/jwtPayloadParser");
export const clerkAuthProperties = shared.__experimental_JWTPayloadToAuthObjectProperties;
export const { signedInAuthObject } = await import("@clerk/backend/internal");
