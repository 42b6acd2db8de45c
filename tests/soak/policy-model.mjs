// What the example policy (examples/nextjs-clerk/edgeguard.policy.json) says a request must get,
// derived from the policy's documented semantics — not from edgeguard's engine and not recorded
// from a server. Rules are matched with Clerk's real createRouteMatcher (the reference the policy's
// patterns are written for), first matching rule wins. Only the policy features the example uses
// are modelled; a policy that uses anything else makes the model throw, so a changed policy cannot
// silently leave the soak checking a stale table.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const MODELLED_POLICY_KEYS = new Set(["version", "signInUrl", "unauthorizedUrl", "routes", "default", "headers", "rejectSubrequestHeader", "exposeDecision", "csp"]);
const MODELLED_RULE_KEYS = new Set(["name", "match", "public", "webhook", "require"]);
const MODELLED_REQUIRE_KEYS = new Set(["role"]);
const API_PREFIXES = ["/api", "/trpc"]; // the policy's default apiPrefixes

function clerkRouteMatcher(patterns) {
  // Clerk prints a one-time deprecation notice for createRouteMatcher; it says nothing about matching.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const { createRouteMatcher } = require("@clerk/nextjs/server");
    const matcher = createRouteMatcher(patterns);
    return (pathname) => matcher({ nextUrl: new URL(pathname, "http://localhost") });
  } finally {
    console.warn = warn;
  }
}

function refuseUnmodelled(policy) {
  const unknown = (keys, known, where) => {
    const extra = keys.filter((key) => !known.has(key));
    if (extra.length) throw new Error(`soak policy model: ${where} uses ${extra.join(", ")}, which tests/soak/policy-model.mjs does not model — extend it`);
  };
  unknown(Object.keys(policy), MODELLED_POLICY_KEYS, "the policy");
  if (policy.default !== "deny") throw new Error(`soak policy model: only "default": "deny" is modelled, not ${JSON.stringify(policy.default)}`);
  for (const rule of policy.routes) {
    unknown(Object.keys(rule), MODELLED_RULE_KEYS, `rule "${rule.name}"`);
    unknown(Object.keys(rule.require ?? {}), MODELLED_REQUIRE_KEYS, `rule "${rule.name}" require`);
    if (rule.webhook !== undefined && rule.webhook !== "clerk") throw new Error(`soak policy model: webhook kind ${rule.webhook} not modelled`);
  }
}

const headerOf = (headers, name) => Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
const underApi = (pathname) => API_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));

function isDocument(method, pathname, headers) {
  if (method !== "GET" && method !== "HEAD") return false;
  if (underApi(pathname) || headerOf(headers, "next-action") !== undefined) return false;
  if (headerOf(headers, "rsc") === "1") return true;
  const dest = headerOf(headers, "sec-fetch-dest");
  if (dest !== undefined) return ["document", "iframe", "frame"].includes(dest.toLowerCase());
  return (headerOf(headers, "accept") ?? "").toLowerCase().includes("text/html");
}

function decodesAsUtf8(pathname) {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * expect({ method, path, headers, session }) → { action, status?, reason, rule, location? }.
 * `session`: null (no token, or one Clerk does not accept) or { role } of a verified session.
 * `status` is absent for an allow: what an allowed request gets is the app's answer, not the policy's.
 */
export function policyModel(policy) {
  refuseUnmodelled(policy);
  const rules = policy.routes.map((rule) => ({ ...rule, matches: clerkRouteMatcher(rule.match) }));
  const deny = (status, reason, rule = null) => ({ action: "deny", status, reason, rule });
  const redirect = (location, reason, rule) => ({ action: "redirect", status: 307, location, reason, rule });
  const allow = (reason, rule) => ({ action: "allow", reason, rule });

  return function expect({ method = "GET", path, headers = {}, session }) {
    const pathname = path.split("?")[0];
    if (policy.rejectSubrequestHeader !== false && headerOf(headers, "x-middleware-subrequest") !== undefined) return deny(400, "subrequest-header");
    if (!decodesAsUtf8(pathname)) return deny(400, "bad-path");
    const rule = rules.find((r) => r.matches(pathname));
    if (!rule) return deny(404, "no-rule");
    const safe = ["GET", "HEAD", "OPTIONS"].includes(method);
    if (rule.public && rule.webhook && !safe) {
      const has = (part) => headerOf(headers, `svix-${part}`) !== undefined || headerOf(headers, `webhook-${part}`) !== undefined;
      if (!["id", "timestamp", "signature"].every(has)) return deny(400, "webhook-missing-headers", rule.name);
      return allow("webhook", rule.name); // the route handler verifies the signature (middleware has no body)
    }
    if (rule.public) return allow("public", rule.name);
    const document = isDocument(method, pathname, headers);
    if (!session) {
      return document ? redirect(policy.signInUrl, "signed-out", rule.name) : deny(401, "signed-out", rule.name);
    }
    const roles = [rule.require?.role ?? []].flat();
    if (roles.length && !roles.includes(session.role)) {
      return document && policy.unauthorizedUrl ? redirect(policy.unauthorizedUrl, "missing-role", rule.name) : deny(403, "missing-role", rule.name);
    }
    return allow("authorized", rule.name);
  };
}
