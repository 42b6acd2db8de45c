// edgeguard/next: the Next.js + Clerk adapter. The same guard decides in middleware (edge or Node
// proxy), route handlers and server actions; Clerk's verified session claims are the input.
import { NextResponse } from "next/server";
import { auth as clerkAuth } from "@clerk/nextjs/server";
import { createGuard, GuardError } from "edgeguard";
import { assertPublishableKey } from "./config.js";

export { GuardError };
export { assertPublishableKey, checkPublishableKey } from "./config.js";
export * from "./next-webhook.js";

const guards = new WeakMap();

/** A guard from a Guard, a promise of one, or createGuard options (cached per options object). */
function resolveGuard(guardOrOptions) {
  if (!guardOrOptions || typeof guardOrOptions !== "object") {
    throw new GuardError("edgeguard/next: pass a guard or createGuard options ({ policy, ... })");
  }
  if (typeof guardOrOptions.decide === "function" || typeof guardOrOptions.then === "function") {
    return Promise.resolve(guardOrOptions);
  }
  let pending = guards.get(guardOrOptions);
  if (!pending) {
    pending = createGuard(guardOrOptions);
    guards.set(guardOrOptions, pending);
  }
  return pending;
}

const ENGINE_UNAVAILABLE = { action: "deny", status: 503, headers: { "Cache-Control": "no-store" }, reason: "engine-unavailable", rule: null, auth: null };

/**
 * The handler for `clerkMiddleware(edgeguardMiddleware({ policy }), clerkOptions)`.
 * hooks.onDecision(decision, request) sees every decision (metrics, logging).
 */
export function edgeguardMiddleware(guardOrOptions, hooks = {}) {
  // A malformed publishable key must stop the app here, naming the setting; a missing one is
  // Clerk's own start-up error.
  const publishableKey = typeof process === "undefined" ? undefined : process.env?.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY;
  if (publishableKey) assertPublishableKey(publishableKey);
  const guardPromise = resolveGuard(guardOrOptions);
  // A bad policy must fail at start-up, not per request: surface it as soon as the module loads.
  guardPromise.catch((error) => console.error(String(error?.message ?? error)));
  return async function edgeguardHandler(auth, request) {
    const decision = await decideWithClerk(guardPromise, auth, request);
    hooks.onDecision?.(decision, request);
    return toResponse(decision, request);
  };
}

async function decideWithClerk(guardPromise, auth, request, extra = {}) {
  let guard;
  try {
    guard = await guardPromise;
  } catch (error) {
    console.error("[edgeguard] no guard (invalid configuration): every request is denied", error?.message ?? error);
    return { ...ENGINE_UNAVAILABLE };
  }
  let claims = null;
  let fromClerk = true;
  try {
    const session = await auth({ treatPendingAsSignedOut: false });
    claims = session?.sessionClaims ?? null;
  } catch (error) {
    // auth() throws when clerkMiddleware did not run for this request (a matcher gap): decide
    // without Clerk, so the guard verifies the token itself if it has a key, else signed out.
    warnOnce("auth() failed — is clerkMiddleware covering this route? Deciding without Clerk's session.", error);
    fromClerk = false;
  }
  const context = fromClerk ? { ...extra, claims } : { ...extra };
  return guard.decide(request, context);
}

let warned = false;
function warnOnce(message, error) {
  if (warned) return;
  warned = true;
  console.warn(`[edgeguard] ${message}`, error?.message ?? error);
}

/** Sets the decision's headers on any response (e.g. one from next-intl) and returns it. */
export function applyHeaders(response, decision) {
  for (const [name, value] of Object.entries(decision?.headers ?? {})) {
    response.headers.set(name, value);
  }
  return response;
}

const ERROR_NAMES = { 400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 415: "unsupported-media-type", 503: "engine-unavailable" };

/**
 * The response for a decision: allow → NextResponse.next() (with the CSP nonce passed to the app
 * as the `x-nonce` request header), redirect → 307, deny → JSON for API calls, text otherwise.
 */
export function toResponse(decision, request) {
  if (!decision || typeof decision.action !== "string") decision = { ...ENGINE_UNAVAILABLE };
  let response;
  if (decision.action === "allow") {
    if (decision.nonce && request?.headers) {
      const headers = new Headers(request.headers);
      headers.set("x-nonce", decision.nonce);
      if (decision.headers?.["Content-Security-Policy"]) headers.set("content-security-policy", decision.headers["Content-Security-Policy"]);
      response = NextResponse.next({ request: { headers } });
    } else {
      response = NextResponse.next();
    }
  } else if (decision.action === "redirect" && decision.location) {
    response = NextResponse.redirect(decision.location, decision.status || 307);
  } else {
    response = denialResponse(decision, request);
  }
  return applyHeaders(response, decision);
}

function denialResponse(decision, request) {
  const status = decision.status >= 400 ? decision.status : 403;
  const error = ERROR_NAMES[status] ?? "forbidden";
  // A hidden route answers like a missing one: no reason, no rule.
  const body = status === 404 ? { error } : { error, reason: decision.reason, rule: decision.rule ?? null };
  if (request?.method === "HEAD") return new NextResponse(null, { status });
  return NextResponse.json(body, { status });
}

/**
 * For route handlers: the same decision the middleware takes, from the same policy.
 *   const gate = await protect(request, { policy });
 *   if (!gate.ok) return gate.response;
 *   query(..., { userId: gate.userId, orgId: gate.orgId })   // never ids sent by the client
 */
export async function protect(request, guardOrOptions) {
  const decision = await decideWithClerk(resolveGuard(guardOrOptions), clerkAuth, request);
  return gateResult(decision, request);
}

function gateResult(decision, request) {
  if (decision.action === "allow") {
    return { ok: true, userId: decision.auth?.userId ?? null, orgId: decision.auth?.orgId ?? null, auth: decision.auth, decision };
  }
  return { ok: false, response: toResponse(decision, request), decision };
}

export class EdgeguardDenied extends Error {
  constructor(decision) {
    super(`edgeguard: ${decision.reason} (${decision.status})`);
    this.name = "EdgeguardDenied";
    this.decision = decision;
    this.status = decision.status;
    this.reason = decision.reason;
  }
}

/**
 * For server actions: decides the action's POST as if sent to `path` (the page that owns the action;
 * required, since a client-controlled Referer must not choose the rule) and returns the verified
 * { userId, orgId, auth }, or throws EdgeguardDenied with the same reason the middleware gives.
 */
export async function requireAuth(guardOrOptions, { path } = {}) {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new TypeError("requireAuth(guardOrOptions, { path }): path must be the page path that owns the action, e.g. \"/dashboard\"");
  }
  const { headers } = await import("next/headers");
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost";
  const proto = incoming.get("x-forwarded-proto") ?? "https";
  const request = { method: "POST", url: `${proto}://${host}${path}`, headers: incoming };
  const decision = await decideWithClerk(resolveGuard(guardOrOptions), clerkAuth, request);
  if (decision.action !== "allow") throw new EdgeguardDenied(decision);
  return { userId: decision.auth?.userId ?? null, orgId: decision.auth?.orgId ?? null, auth: decision.auth, decision };
}

/** One guard's helpers bound together: { middleware, protect, requireAuth }. */
export function createNextGuard(guardOrOptions, hooks) {
  return {
    middleware: edgeguardMiddleware(guardOrOptions, hooks),
    protect: (request) => protect(request, guardOrOptions),
    requireAuth: (options) => requireAuth(guardOrOptions, options),
  };
}
