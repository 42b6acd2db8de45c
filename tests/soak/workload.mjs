// The soak's request mix and what each request must get. The decision part of every expectation
// (status for denials and redirects, X-Edgeguard-Reason / -Rule, redirect target) comes from the
// policy model (policy-model.mjs) applied to the example's policy file; what an allowed request
// then gets is the app's answer (page or route handler), written here per kind, including whose
// user id the answer must carry (catches cross-talk between concurrent users).
import { readFileSync } from "node:fs";
import path from "node:path";
import { exampleDir } from "../support/paths.mjs";
import { policyModel } from "./policy-model.mjs";

export const POLICY_FILE = path.join(exampleDir, "edgeguard.policy.json");

/** The soak's users: how soak.mjs mints each, and the session the policy sees for it. */
export const USERS = {
  member: { userId: "user_soakMember", role: "member", session: { role: "member" } },
  admin: { userId: "user_soakAdmin", role: "admin", session: { role: "admin" } },
  other: { userId: "user_soakOther", session: { role: undefined } },
  // Signed an hour ago with a 10-minute lifetime: Clerk refuses it, so the policy sees no session.
  expired: { userId: "user_soakExpired", expiredSecondsAgo: 3000, session: null },
};

const APP = {
  page: { status: 200 },
  json: { status: 200, json: true },
  missing: { status: 404 }, // allowed by the policy, but no page or handler exists
};

/** Every request kind of the workload; `user` names a USERS entry (null: no token at all). */
function requestKinds(documentHeaders) {
  const doc = documentHeaders;
  const subrequest = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };
  return [
    { name: "home (doc, signed out)", path: "/", headers: doc, user: null, app: APP.page },
    { name: "ping (public API)", path: "/api/public/ping", user: null, app: APP.json },
    { name: "sign-in page (doc)", path: "/sign-in", headers: doc, user: null, app: APP.page },
    { name: "dashboard (doc, signed out)", path: "/dashboard", headers: doc, user: null },
    { name: "dashboard (fetch, signed out)", path: "/dashboard", user: null },
    { name: "dashboard (doc, member)", path: "/dashboard", headers: doc, user: "member", app: { ...APP.page, identity: true } },
    { name: "dashboard (doc, no role)", path: "/dashboard?tab=1", headers: doc, user: "other", app: { ...APP.page, identity: true } },
    { name: "dashboard subpage (doc, member)", path: "/dashboard/reports", headers: doc, user: "member", app: APP.missing },
    { name: "me (API, signed out)", path: "/api/me", user: null },
    { name: "me (API, HEAD, signed out)", method: "HEAD", path: "/api/me", user: null },
    { name: "me (API, member cookie)", path: "/api/me", user: "member", app: { ...APP.json, identity: true } },
    { name: "me (API, admin bearer)", path: "/api/me", user: "admin", via: "bearer", app: { ...APP.json, identity: true } },
    { name: "me (API, expired bearer)", path: "/api/me", user: "expired", via: "bearer" },
    { name: "me (API, expired cookie)", path: "/api/me", user: "expired" },
    { name: "admin (doc, admin)", path: "/admin", headers: doc, user: "admin", app: { ...APP.page, identity: true } },
    { name: "admin (doc, member)", path: "/admin", headers: doc, user: "member" },
    { name: "admin (doc, signed out)", path: "/admin", headers: doc, user: null },
    { name: "admin API (member)", path: "/api/admin/stats", user: "member" },
    { name: "admin API (signed out)", path: "/api/admin/stats", user: null },
    { name: "admin API (admin)", path: "/api/admin/stats", user: "admin", app: APP.missing },
    { name: "unmatched path (admin)", path: "/not-in-the-policy", user: "admin" },
    { name: "unmatched path (doc, signed out)", path: "/not-in-the-policy", headers: doc, user: null },
    { name: "x-middleware-subrequest (member)", path: "/dashboard", user: "member", headers: subrequest },
    { name: "bad percent-encoding (member)", path: "/dashboard/%E0%A4%A", user: "member" },
    { name: "webhook, signed", method: "POST", path: "/api/webhooks/clerk", user: null, webhook: "signed", app: { status: 200, json: true } },
    { name: "webhook, forged signature", method: "POST", path: "/api/webhooks/clerk", user: null, webhook: "forged", app: { status: 400, json: true } },
    { name: "webhook, no svix headers", method: "POST", path: "/api/webhooks/clerk", user: null, webhook: "unsigned" },
  ];
}

const SVIX_PLACEHOLDER = { "svix-id": "msg_x", "svix-timestamp": "0", "svix-signature": "v1,x" };

/** The kinds with their expected outcome: { ...kind, expected: { action, status?, reason, rule, location? } }. */
export function expectedTable({ documentHeaders, policy = JSON.parse(readFileSync(POLICY_FILE, "utf8")) }) {
  const expect = policyModel(policy);
  return requestKinds(documentHeaders).map((kind) => {
    // The model only needs to know whether svix headers are present, not their values.
    const headers = kind.webhook && kind.webhook !== "unsigned" ? { ...kind.headers, ...SVIX_PLACEHOLDER } : kind.headers;
    const session = kind.user ? USERS[kind.user].session : null;
    const expected = expect({ method: kind.method ?? "GET", path: kind.path, headers, session });
    if (expected.action === "allow" && !kind.app) throw new Error(`soak workload: "${kind.name}" is allowed by the policy but says nothing about the app's answer`);
    return { ...kind, expected };
  });
}

/** Security headers the policy puts on every answer the middleware gives or lets through. */
export function policyHeaders(policy = JSON.parse(readFileSync(POLICY_FILE, "utf8"))) {
  return Object.fromEntries(Object.entries(policy.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * The policy's CSP template as a pattern: the header every answer must carry, its `{nonce}` slot
 * captured (null when the policy asks for no CSP).
 */
export function policyCsp(policy = JSON.parse(readFileSync(POLICY_FILE, "utf8"))) {
  if (typeof policy.csp !== "string") return null;
  const parts = policy.csp.split("{nonce}").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("([A-Za-z0-9+/_-]{16,}={0,2})")}$`);
}

/**
 * null when the response is what the policy (and, for an allow, the app) says, else what differs.
 * With `csp` (policyCsp) every answer must carry the policy's CSP with a nonce never seen before
 * in `nonces` (a Set shared by the run).
 * `body` is the response text; `userId` the id of the user the request was sent as.
 */
export function checkResponse(kind, response, body, { origin, userId, securityHeaders, csp = null, nonces = new Set() }) {
  const { expected } = kind;
  const problems = [];
  const status = expected.action === "allow" ? kind.app.status : expected.status;
  if (response.status !== status) problems.push(`status ${response.status}, expected ${status}`);
  const reason = response.headers.get("x-edgeguard-reason");
  if (reason !== expected.reason) problems.push(`reason ${reason}, expected ${expected.reason}`);
  const rule = response.headers.get("x-edgeguard-rule");
  if (rule !== expected.rule) problems.push(`rule ${rule}, expected ${expected.rule}`);
  for (const [name, value] of Object.entries(securityHeaders)) {
    if (response.headers.get(name) !== value) problems.push(`header ${name}: ${response.headers.get(name)}`);
  }
  if (csp) {
    const header = response.headers.get("content-security-policy");
    const nonce = header?.match(csp)?.slice(1).find(Boolean);
    if (!nonce) problems.push(`content-security-policy ${header}, expected the policy's csp with a nonce`);
    else if (nonces.has(nonce)) problems.push(`CSP nonce ${nonce} repeated from an earlier answer`);
    else nonces.add(nonce);
  }
  if (expected.action !== "allow" && !/no-store/.test(response.headers.get("cache-control") ?? "")) problems.push("a denial or redirect without Cache-Control: no-store");
  if (expected.action === "redirect") {
    const location = response.headers.get("location");
    const target = location ? new URL(location, origin) : null;
    if (!target || target.pathname !== expected.location) problems.push(`location ${location}, expected ${expected.location}`);
    if (target && expected.reason === "signed-out") {
      const back = target.searchParams.get("redirect_url");
      if (!back || new URL(back).pathname !== kind.path.split("?")[0]) problems.push(`redirect_url ${back}, expected the requested URL`);
    }
  }
  if (expected.action === "allow" && kind.app.identity && response.status === 200) {
    const carries = kind.app.json ? safeJson(body)?.userId === userId : body.includes(`>${userId}<`);
    if (!carries) problems.push(`answer does not carry the requesting user's id ${userId}`);
  }
  return problems.length ? problems.join("; ") : null;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
