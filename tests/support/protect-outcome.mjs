// Outcome classes of a middleware response, verdicts, and the NAMED predicates for the places where
// edgeguard answers differently from Clerk's auth.protect() by design. Everything not covered by a
// predicate must agree exactly (protect-diff.test.mjs).
import { SIGN_IN_URL, UNAUTHORIZED_URL } from "./protect-policy.mjs";
import { claimsOutsideClerkTypes } from "../js/support/tokens.mjs";

/**
 * What a clerkMiddleware response does, as a string compared exactly:
 *   "allow" | "not-found" (protect()'s 404 rewrite) | "handshake <url>" (Clerk answered before the
 *   handler) | "redirect <absolute url>" | "status <n>".
 */
export function outcomeClass(response) {
  const location = response.headers.get("location");
  if (response.status >= 300 && response.status < 400 && location) {
    return new URL(location).pathname === "/v1/client/handshake" ? `handshake ${location}` : `redirect ${location}`;
  }
  const rewrite = response.headers.get("x-middleware-rewrite");
  if (rewrite && /^\/clerk_\d+$/.test(new URL(rewrite).pathname)) return "not-found";
  if (response.status === 200) return "allow";
  return `status ${response.status}`;
}

const isRedirectTo = (outcome, target) => outcome.startsWith("redirect ") && new URL(outcome.slice(9)).pathname === target;
// Clerk sends a pending session (sts: "pending") to `${signInUrl}/tasks` to finish its session tasks.
const isSignInRedirect = (outcome) => isRedirectTo(outcome, SIGN_IN_URL) || isRedirectTo(outcome, `${SIGN_IN_URL}/tasks`);

/**
 * What an outcome means: "allow" | "signed-out" | "unauthorized" | "bad-request" | "handshake" |
 * "deny" (edgeguard's other denials). Clerk's 404/401 say nothing about why: its own session
 * (`clerkSignedIn`, seen by the handler) decides between signed out and unauthorized.
 */
export function clerkVerdict(outcome, clerkSignedIn) {
  if (outcome === "allow") return "allow";
  if (outcome.startsWith("handshake")) return "handshake";
  if (isSignInRedirect(outcome)) return "signed-out";
  if (isRedirectTo(outcome, UNAUTHORIZED_URL)) return "unauthorized";
  if (outcome === "not-found" || outcome === "status 401") return clerkSignedIn ? "unauthorized" : "signed-out";
  if (outcome === "status 400") return "bad-request";
  return `unexpected ${outcome}`;
}

export function edgeguardVerdict(outcome, decision) {
  if (outcome.startsWith("handshake")) return "handshake";
  if (!decision) return `no decision (${outcome})`;
  if (decision.action === "allow") return "allow";
  if (decision.status === 400) return "bad-request";
  if (isRedirectTo(outcome, SIGN_IN_URL) || decision.status === 401) return "signed-out";
  if (isRedirectTo(outcome, UNAUTHORIZED_URL) || decision.status === 403) return "unauthorized";
  return "deny";
}

/**
 * Clerk's page-request test, as protect.js (@clerk/nextjs 7.9.17, server/protect.js isPageRequest)
 * writes it for a plain Node run (no Next fetch store): sec-fetch-dest document/iframe, an Accept
 * naming text/html, an App Router navigation (next-url without being a server action), or a Pages
 * Router data request.
 */
export function clerkIsPageRequest(headers) {
  const get = (name) => headers.get(name);
  const serverAction = Boolean(get("next-url")) && (get("accept")?.includes("text/x-component") || get("content-type")?.includes("multipart/form-data") || Boolean(get("next-action")));
  return ["document", "iframe"].includes(get("sec-fetch-dest")) || Boolean(get("accept")?.includes("text/html"))
    || (Boolean(get("next-url")) && !serverAction) || Boolean(get("x-nextjs-data"));
}

// ---------------------------------------------------------------------------------------------
// Named predicates. Each takes the case's facts and says whether the difference is the one it names.
// Facts: { clerk, ours, clerkVerdict, ourVerdict, variant, ourDocument, clerkPage, decision, trace }.

const sameVerdict = (f) => f.clerkVerdict === f.ourVerdict;

/** How each side presents a denial for the kind of request it decided it was handling. */
function presentationFits(outcome, verdict, isPage, side) {
  const redirect = outcome.startsWith("redirect ");
  if (side === "clerk") {
    if (verdict === "signed-out") return isPage ? isSignInRedirect(outcome) : outcome === "not-found" || outcome === "status 401";
    return isRedirectTo(outcome, UNAUTHORIZED_URL) || outcome === "not-found" || outcome === "status 401";
  }
  if (verdict === "signed-out") return isPage ? redirect && isSignInRedirect(outcome) : outcome === "status 401";
  return isPage ? isRedirectTo(outcome, UNAUTHORIZED_URL) : outcome === "status 403";
}

export const BY_DESIGN = {
  /** Clerk's protect() answers 404 (a rewrite to a missing page) to a signed-out request that is not
   *  a page; edgeguard answers 401 JSON with WWW-Authenticate: Bearer (HTTP auth conventions). */
  clerk404WhereEdgeguard401: (f) => sameVerdict(f) && f.ourVerdict === "signed-out" && f.clerk === "not-found" && f.ours === "status 401",

  /** Signed in but lacking a requirement, not a page: Clerk 404s (or, given unauthorizedUrl,
   *  redirects even fetches and API calls there); edgeguard answers 403 JSON naming the rule. */
  clerkHidesOrRedirectsWhereEdgeguard403: (f) => sameVerdict(f) && f.ourVerdict === "unauthorized" && f.ours === "status 403"
    && (f.clerk === "not-found" || f.clerk === `redirect ${f.unauthorizedAbsolute}`),

  /** Signed in but lacking a requirement on a document, protect() without unauthorizedUrl: Clerk
   *  404s; edgeguard redirects to the policy's unauthorizedUrl. */
  clerk404WhereEdgeguardRedirectsToUnauthorizedUrl: (f) => sameVerdict(f) && f.variant === "plain" && f.clerk === "not-found"
    && f.ours === `redirect ${f.unauthorizedAbsolute}`,

  /** The two sides classify the request differently (document vs API): Clerk's isPageRequest counts
   *  any Accept with text/html, next-url navigations and non-GET form posts as pages; edgeguard
   *  counts only GET/HEAD navigations (Sec-Fetch-Dest first, Accept only without it, never under
   *  /api) and RSC navigations. Same verdict, each side's own presentation for its own kind. */
  requestKindDiffers: (f) => sameVerdict(f) && f.clerkPage !== f.ourDocument && ["signed-out", "unauthorized"].includes(f.ourVerdict)
    && presentationFits(f.clerk, f.clerkVerdict, f.clerkPage, "clerk") && presentationFits(f.ours, f.ourVerdict, f.ourDocument, "edgeguard"),

  /** maxAgeSeconds has no protect() option: Clerk's nearest form (plain protect()) allows an old
   *  session that edgeguard refuses (step-up: 403 + WWW-Authenticate max_age, or unauthorizedUrl). */
  maxAgeHasNoClerkEquivalent: (f) => f.clerkVerdict === "allow" && f.decision?.reason === "session-too-old",

  /** Claims Clerk passes through untyped but edgeguard's typed Auth refuses (e.g. an `fva` that is
   *  not two numbers): edgeguard counts the session as signed out (token-verification-failed). The
   *  same predicate as auth-diff/token-diff (tests/js/support/tokens.mjs claimsOutsideClerkTypes). */
  edgeguardRefusesClaimsOutsideClerkTypes: (f) => f.ourVerdict === "signed-out" && f.decision?.reason === "token-verification-failed"
    && Boolean(f.claims) && claimsOutsideClerkTypes(f.claims),

  /** edgeguard decides on the canonical path (dot segments, encoded slashes, NUL, case-folded
   *  percent-escapes... resolved or refused with 400 bad-path) and takes the stricter outcome when
   *  the raw path would match another rule. Allowed only when edgeguard is the stricter side. */
  edgeguardCanonicalPathStricter: (f) => f.pathDiffers && f.ourVerdict !== "allow" && (f.clerkVerdict === "allow" || f.ourVerdict === "bad-request"),
};

/**
 * Differences that are NOT by design: known gaps, named so the suite stays green while they are
 * open and counted in its output. Each is a candidate fix in the core.
 */
export const KNOWN_GAPS = {
  // None open. (pendingSessionSignInNotTasks, the last one, was fixed in the core: a pending
  // session on a document now goes to `${signInUrl}/tasks`, as Clerk's createRedirect does.)
};

/** The name of the predicate that explains a difference, or null. */
export function explainDifference(facts) {
  for (const [name, holds] of Object.entries(BY_DESIGN)) if (holds(facts)) return name;
  for (const [name, holds] of Object.entries(KNOWN_GAPS)) if (holds(facts)) return `gap:${name}`;
  return null;
}
