// Session-token verification (Clerk's verdicts and reasons), session claims → Auth, and Clerk's
// has(). Synchronous once the engine is up; every failure is a result, never a throw, and an
// unavailable engine is a rejection ("engine-unavailable"), never an acceptance.
import { engine, engineGeneration, discardEngine, EngineUnavailableError } from "./engine.js";

const MAX_KEY_HANDLES = 16;
const MAX_DATE_SECONDS = 8.64e12;
const keyHandles = new Map(); // "pem:<pem>" | "jwks:<json>" → { generation, handle }

/**
 * Verifies a Clerk session token like `verifyToken` of `@clerk/backend`, synchronously.
 * @returns {{ ok: true, claims: object, auth: object } | { ok: false, reason: string, message: string }}
 */
export function verifyToken(token, options = {}) {
  let request;
  try {
    request = normalizeVerifyOptions(options ?? {});
  } catch (error) {
    return failure("invalid-options", error.message);
  }
  if (!request.keySource) {
    return failure("jwk-failed-to-resolve", "Failed to resolve JWK during verification: give `jwtKey` (PEM) or `jwks`.");
  }
  const text = typeof token === "string" ? token : String(token ?? "");
  try {
    const glue = engine();
    const keys = keyHandle(glue, request.keySource);
    if (keys.failure) return keys.failure;
    const verdict = JSON.parse(glue.verifySessionToken(keys.handle, text, JSON.stringify(request.record), !!request.issuer));
    return request.issuer ? applyIssuerPredicate(verdict, request.issuer) : verdict;
  } catch (error) {
    return engineFailure(error);
  }
}

/**
 * Decodes session claims that were already verified (e.g. by Clerk's middleware) into an Auth.
 * @returns {{ ok: true, auth: object } | { ok: false, reason: string, message: string }}
 */
export function authFromClaims(claims) {
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
    return failure("invalid-claims", "claims must be an object");
  }
  try {
    return JSON.parse(engine().authFromClaims(JSON.stringify(claims)));
  } catch (error) {
    return engineFailure(error);
  }
}

/**
 * Clerk's `has()` for an Auth from `verifyToken`/`authFromClaims`: `{ role }`, `{ permission }`,
 * `{ feature }`, `{ plan }`, `{ reverification }` (combined: all must pass). False when unsure.
 */
export function hasAuthorization(auth, params) {
  if (auth === null || typeof auth !== "object" || params === null || typeof params !== "object") return false;
  const query = {};
  for (const name of ["role", "permission", "feature", "plan", "reverification"]) {
    const value = params[name];
    if (value === undefined) continue;
    // Asked but not representable as JSON: Clerk fails such a query, and so does null here.
    query[name] = typeof value === "function" || typeof value === "symbol" || typeof value === "bigint" ? null : value;
  }
  try {
    return engine().hasAuthorization(JSON.stringify(auth), JSON.stringify(query)) === true;
  } catch (error) {
    engineFailure(error);
    return false;
  }
}

// The core ran the issuer step with "any string passes" and named the `iss` it saw; the
// predicate decides now. The issuer step precedes exp/nbf/iat, so a rejection here replaces
// whatever those later checks said, exactly as if the predicate had run in place.
function applyIssuerPredicate(verdict, predicate) {
  if (!("issuerToCheck" in verdict)) return verdict;
  const { issuerToCheck: iss, ...rest } = verdict;
  let accepted = false;
  try {
    accepted = predicate(iss) === true;
  } catch {
    accepted = false;
  }
  if (accepted) return rest;
  return failure("token-invalid-issuer", `Invalid JWT issuer claim (iss) ${JSON.stringify(iss)}: rejected by the issuer function.`);
}

function normalizeVerifyOptions(options) {
  if (typeof options !== "object") throw new TypeError("verifyToken options must be an object");
  const { jwtKey, jwks } = options;
  if (jwtKey && jwks) throw new TypeError("give either `jwtKey` or `jwks`, not both");
  let keySource = null;
  if (jwtKey) {
    if (typeof jwtKey !== "string") throw new TypeError("`jwtKey` must be a PEM string");
    keySource = { kind: "pem", text: jwtKey };
  } else if (jwks) {
    if (typeof jwks !== "object") throw new TypeError("`jwks` must be a JWKS object ({ keys: [...] })");
    keySource = { kind: "jwks", text: JSON.stringify(jwks) };
  }
  let issuer = null;
  let issuers = null;
  if (typeof options.issuer === "function") issuer = options.issuer;
  else issuers = stringList(options.issuer, "issuer");
  return {
    keySource,
    issuer,
    record: {
      authorizedParties: stringList(options.authorizedParties, "authorizedParties", { arrayOnly: true }),
      issuers,
      audience: stringList(options.audience, "audience"),
      headerTypes: stringList(options.headerType, "headerType"),
      clockSkewMs: clockSkew(options.clockSkewInMs),
      nowMs: nowMs(options.now),
    },
  };
}

function stringList(value, name, { arrayOnly = false } = {}) {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" && !arrayOnly) return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  throw new TypeError(`\`${name}\` must be ${arrayOnly ? "" : "a string or "}an array of strings`);
}

function clockSkew(value) {
  if (value === undefined) return null;
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new TypeError("`clockSkewInMs` must be a non-negative integer number of milliseconds");
}

function nowMs(now) {
  if (now === undefined) return Date.now();
  if (typeof now === "number" && Number.isFinite(now) && now >= 0 && now <= MAX_DATE_SECONDS) {
    return Math.floor(now * 1000);
  }
  throw new TypeError("`now` must be a time in unix seconds");
}

function keyHandle(glue, source) {
  const cacheKey = `${source.kind}:${source.text}`;
  const cached = keyHandles.get(cacheKey);
  if (cached && cached.generation === engineGeneration()) {
    keyHandles.delete(cacheKey); // re-insert: most recently used last
    keyHandles.set(cacheKey, cached);
    return cached;
  }
  const handle = source.kind === "pem" ? glue.tokenKeysFromPem(source.text) : glue.tokenKeysFromJwks(source.text);
  const problem = handle.error();
  if (problem !== undefined) {
    handle.free();
    const what = source.kind === "pem" ? "jwtKey" : "jwks";
    return { failure: failure("invalid-options", `${what} is not usable: ${problem}`) };
  }
  const entry = { generation: engineGeneration(), handle };
  if (cached) releaseHandle(cached);
  keyHandles.delete(cacheKey);
  keyHandles.set(cacheKey, entry);
  while (keyHandles.size > MAX_KEY_HANDLES) {
    const [oldestKey, oldest] = keyHandles.entries().next().value;
    keyHandles.delete(oldestKey);
    releaseHandle(oldest);
  }
  return entry;
}

function releaseHandle(entry) {
  // A handle from an older instance points into memory that no longer exists: just drop it.
  if (entry.generation === engineGeneration()) entry.handle.free?.();
}

function engineFailure(error) {
  const unavailable = error instanceof EngineUnavailableError ? error : discardEngine(error);
  return failure("engine-unavailable", unavailable.message);
}

function failure(reason, message) {
  return { ok: false, reason, message };
}
