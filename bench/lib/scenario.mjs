// The decision every variant makes: GET /admin/users with a Bearer session token whose
// `metadata.role` is "admin", under a policy of public pages, an admin area and a signed-in app.
// edgeguard gets the policy; Clerk's and jose's paths get the same routes as matchers plus the role
// check written as Clerk's docs write it.
import { readFileSync, writeFileSync } from "node:fs";
import { generateSigningKey } from "../../tests/support/keys.mjs";
import { sessionToken } from "../../tests/support/tokens.mjs";

export const ORIGIN = "https://app.example.com";
export const DECISION_PATH = "/admin/users";
export const ROUTES = {
  public: ["/", "/about", "/blog(.*)", "/sign-in(.*)", "/sign-up(.*)", "/unauthorized"],
  admin: ["/admin(.*)", "/api/admin(.*)"],
  app: ["/dashboard(.*)", "/settings(.*)", "/api/(.*)"],
};

export const POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  unauthorizedUrl: "/unauthorized",
  routes: [
    { name: "public", match: ROUTES.public, public: true },
    { name: "admin", match: ROUTES.admin, require: { role: "admin" } },
    { name: "app", match: ROUTES.app, require: {} },
  ],
  default: "deny",
  headers: { "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff" },
};

/**
 * Signs `count` distinct admin session tokens (RSA-2048, e = 65537, RS256) valid for `ttlSeconds`.
 * Returns { jwtKey, tokens }.
 */
export function signTokenPool(count, { ttlSeconds = 4 * 3600, onProgress } = {}) {
  const key = generateSigningKey();
  const now = Math.floor(Date.now() / 1000);
  const tokens = new Array(count);
  for (let i = 0; i < count; i++) {
    tokens[i] = sessionToken(key, { role: "admin", now, ttlSeconds }).token;
    if (onProgress && (i + 1) % 2000 === 0) onProgress(i + 1);
  }
  return { jwtKey: key.publicKeyPem, tokens };
}

export function savePool(file, pool) {
  writeFileSync(file, JSON.stringify(pool));
}

export function loadPool(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The request middleware sees; `nextUrl` is what NextRequest carries and Clerk's matcher reads. */
export function decisionRequest(token, path = DECISION_PATH) {
  const request = new Request(`${ORIGIN}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
  });
  request.nextUrl = new URL(request.url);
  return request;
}

/** A plain request record (no Request object): what the memory run feeds, to keep JS garbage low. */
export function decisionRecord(token, path = DECISION_PATH) {
  return { method: "GET", url: `${ORIGIN}${path}`, headers: { authorization: `Bearer ${token}`, accept: "application/json" } };
}

function bearer(request) {
  const header = request.headers.get("authorization");
  return header && header.startsWith("Bearer ") ? header.slice(7) : null;
}

/**
 * Clerk's JS path: `createRouteMatcher` from @clerk/nextjs/server + `verifyToken` of @clerk/backend
 * with `jwtKey` + `sessionClaims.metadata.role === "admin"`. Resolves to "allow" or a denial word.
 */
export function clerkDecider({ verifyToken, createRouteMatcher, jwtKey }) {
  const isPublicRoute = createRouteMatcher(ROUTES.public);
  const isAdminRoute = createRouteMatcher(ROUTES.admin);
  const isAppRoute = createRouteMatcher(ROUTES.app);
  return async function clerkDecide(request) {
    if (isPublicRoute(request)) return "allow";
    const token = bearer(request);
    if (!token) return "signed-out";
    let sessionClaims;
    try {
      sessionClaims = await verifyToken(token, { jwtKey }); // @clerk/backend 3: the payload, or a throw
    } catch {
      return "signed-out";
    }
    if (isAdminRoute(request)) return sessionClaims?.metadata?.role === "admin" ? "allow" : "forbidden";
    return isAppRoute(request) ? "allow" : "deny";
  };
}

/** jose's path: `jwtVerify` (key imported once) + Clerk's matchers + the same role check. */
export async function joseDecider({ jose, createRouteMatcher, jwtKey }) {
  const key = await jose.importSPKI(jwtKey, "RS256");
  const isPublicRoute = createRouteMatcher(ROUTES.public);
  const isAdminRoute = createRouteMatcher(ROUTES.admin);
  const isAppRoute = createRouteMatcher(ROUTES.app);
  return async function joseDecide(request) {
    if (isPublicRoute(request)) return "allow";
    const token = bearer(request);
    if (!token) return "signed-out";
    let payload;
    try {
      ({ payload } = await jose.jwtVerify(token, key, { algorithms: ["RS256"], clockTolerance: 5 }));
    } catch {
      return "signed-out";
    }
    if (isAdminRoute(request)) return payload?.metadata?.role === "admin" ? "allow" : "forbidden";
    return isAppRoute(request) ? "allow" : "deny";
  };
}
