// Clerk session tokens signed locally (RS256), shaped like Clerk's v2 session tokens, and the
// cookies Clerk's middleware reads them from.
import { createSign, randomBytes } from "node:crypto";

export const ISSUER = "https://clerk.example.com";

const b64url = (value) => Buffer.from(value).toString("base64url");

export function signJwt({ privateKey, kid }, payload, header = {}) {
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid, ...header }));
  const body = b64url(JSON.stringify(payload));
  const signer = createSign("RSA-SHA256");
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(privateKey).toString("base64url")}`;
}

/**
 * A v2 Clerk session token. `role` lands in the `metadata` custom claim (a session-token template of
 * `{"metadata": "{{user.public_metadata}}"}`); `org` is `{ id, slug, role, permissions? }`.
 */
export function sessionToken(key, { userId, sessionId, role, org, azp, now, ttlSeconds = 600, extra = {} } = {}) {
  const iat = Math.floor(now ?? Date.now() / 1000);
  const claims = {
    azp,
    exp: iat + ttlSeconds,
    fva: [0, -1],
    iat,
    iss: ISSUER,
    nbf: iat - 5,
    sid: sessionId ?? `sess_${randomBytes(12).toString("hex")}`,
    sts: "active",
    sub: userId ?? `user_${randomBytes(12).toString("hex")}`,
    v: 2,
  };
  if (azp === undefined) delete claims.azp;
  if (role !== undefined) claims.metadata = { role };
  if (org) claims.o = { id: org.id, slg: org.slug, rol: org.role, ...(org.permissions ? { per: org.permissions } : {}) };
  return { token: signJwt(key, { ...claims, ...extra }), claims: { ...claims, ...extra } };
}

/** `__client_uat` must be > 0 and ≤ the token's iat, or Clerk sends documents to its handshake. */
export function sessionCookieHeader(token, iat) {
  return `__session=${token}; __client_uat=${iat}`;
}

/** The same two cookies for a Playwright browser context. */
export function sessionCookiesFor(origin, token, iat) {
  const url = new URL(origin);
  return [
    { name: "__session", value: token, domain: url.hostname, path: "/", httpOnly: false, sameSite: "Lax" },
    { name: "__client_uat", value: String(iat), domain: url.hostname, path: "/", httpOnly: false, sameSite: "Lax" },
  ];
}
