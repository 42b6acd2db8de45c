// The soak's expected table and response check, without a server: the policy model gives the
// outcomes the policy's semantics define, follows a changed policy, refuses features it does not
// model, and checkResponse catches each kind of wrong answer. Run: node --test tests/soak/
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DOCUMENT_HEADERS } from "../support/example-session.mjs";
import { policyModel } from "./policy-model.mjs";
import { checkResponse, expectedTable, POLICY_FILE, policyCsp, policyHeaders } from "./workload.mjs";

const policy = JSON.parse(readFileSync(POLICY_FILE, "utf8"));
const byName = (table) => Object.fromEntries(table.map((kind) => [kind.name, kind.expected]));

test("the example policy's table: what its rules, signInUrl/unauthorizedUrl and default deny say", () => {
  const t = byName(expectedTable({ documentHeaders: DOCUMENT_HEADERS }));
  assert.deepEqual(t["home (doc, signed out)"], { action: "allow", reason: "public", rule: "public" });
  assert.deepEqual(t["dashboard (doc, signed out)"], { action: "redirect", status: 307, location: "/sign-in", reason: "signed-out", rule: "app" });
  assert.deepEqual(t["dashboard (fetch, signed out)"], { action: "deny", status: 401, reason: "signed-out", rule: "app" });
  assert.deepEqual(t["me (API, expired bearer)"], { action: "deny", status: 401, reason: "signed-out", rule: "app" });
  assert.deepEqual(t["admin (doc, member)"], { action: "redirect", status: 307, location: "/unauthorized", reason: "missing-role", rule: "admin" });
  assert.deepEqual(t["admin API (member)"], { action: "deny", status: 403, reason: "missing-role", rule: "admin" });
  assert.deepEqual(t["admin API (admin)"], { action: "allow", reason: "authorized", rule: "admin" });
  assert.deepEqual(t["unmatched path (doc, signed out)"], { action: "deny", status: 404, reason: "no-rule", rule: null });
  assert.deepEqual(t["x-middleware-subrequest (member)"], { action: "deny", status: 400, reason: "subrequest-header", rule: null });
  assert.deepEqual(t["bad percent-encoding (member)"], { action: "deny", status: 400, reason: "bad-path", rule: null });
  assert.deepEqual(t["webhook, no svix headers"], { action: "deny", status: 400, reason: "webhook-missing-headers", rule: "webhooks" });
  assert.deepEqual(t["webhook, forged signature"], { action: "allow", reason: "webhook", rule: "webhooks" });
});

test("the table follows the policy: a changed rule changes the expectation", () => {
  const relaxed = { ...policy, routes: policy.routes.map((r) => (r.name === "admin" ? { ...r, require: { role: ["admin", "member"] } } : r)) };
  assert.deepEqual(policyModel(relaxed)({ path: "/api/admin/stats", session: { role: "member" } }), { action: "allow", reason: "authorized", rule: "admin" });
  assert.throws(() => expectedTable({ documentHeaders: DOCUMENT_HEADERS, policy: relaxed }), /admin \(doc, member\)" is allowed/, "the table then needs the app's answer for it");
  const reordered = { ...policy, routes: [...policy.routes].reverse() };
  const member = { path: "/api/admin/stats", session: { role: "member" } };
  assert.equal(policyModel(policy)(member).rule, "admin");
  assert.deepEqual(policyModel(reordered)(member), { action: "allow", reason: "authorized", rule: "app" }, "first matching rule wins");
});

test("the model refuses policy features it does not model, and kinds the app part does not cover", () => {
  assert.throws(() => policyModel({ ...policy, csrf: {} }), /csrf/);
  assert.throws(() => policyModel({ ...policy, default: "signed-in" }), /default/);
  assert.throws(() => policyModel({ ...policy, routes: [{ name: "x", match: ["/x"], require: { permission: "p" } }] }), /permission/);
  const allOpen = { ...policy, routes: [{ name: "all", match: ["/(.*)"], public: true }] };
  assert.throws(() => expectedTable({ documentHeaders: DOCUMENT_HEADERS, policy: allOpen }), /says nothing about the app's answer/);
});

const CSP_TEMPLATE = JSON.parse(readFileSync(POLICY_FILE, "utf8")).csp;
let nonceCounter = 0;
/** A response as the middleware gives it: a fresh nonce in the policy's CSP unless `csp` is given. */
function fakeResponse(status, headers, csp) {
  const fresh = CSP_TEMPLATE.replace("{nonce}", Buffer.from(`nonce-${nonceCounter++}-padding`).toString("base64"));
  return { status, headers: new Headers({ "content-security-policy": csp ?? fresh, ...headers }) };
}

test("checkResponse: passes the right answer, names each wrong part", () => {
  const t = expectedTable({ documentHeaders: DOCUMENT_HEADERS });
  const kind = (name) => t.find((k) => k.name === name);
  const context = { origin: "http://localhost:3000", userId: "user_a", securityHeaders: policyHeaders() };
  const security = { "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin" };
  const redirect = { ...security, "cache-control": "private, no-store", location: "/sign-in?redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fdashboard", "x-edgeguard-reason": "signed-out", "x-edgeguard-rule": "app" };
  const signedOutDoc = kind("dashboard (doc, signed out)");
  assert.equal(checkResponse(signedOutDoc, fakeResponse(307, redirect), "", context), null);
  assert.match(checkResponse(signedOutDoc, fakeResponse(200, redirect), "", context), /status 200, expected 307/);
  assert.match(checkResponse(signedOutDoc, fakeResponse(307, { ...redirect, location: "/elsewhere" }), "", context), /location/);
  assert.match(checkResponse(signedOutDoc, fakeResponse(307, { ...redirect, location: "/sign-in" }), "", context), /redirect_url/);
  assert.match(checkResponse(signedOutDoc, fakeResponse(307, { ...redirect, "cache-control": "public" }), "", context), /no-store/);
  assert.match(checkResponse(signedOutDoc, fakeResponse(307, { ...redirect, "x-edgeguard-rule": "admin" }), "", context), /rule admin/);
  assert.match(checkResponse(signedOutDoc, fakeResponse(307, { ...redirect, "x-frame-options": "SAMEORIGIN" }), "", context), /x-frame-options/);

  const me = kind("me (API, member cookie)");
  const allowed = { ...security, "x-edgeguard-reason": "authorized", "x-edgeguard-rule": "app" };
  assert.equal(checkResponse(me, fakeResponse(200, allowed), JSON.stringify({ userId: "user_a", orgId: null }), context), null);
  assert.match(checkResponse(me, fakeResponse(200, allowed), JSON.stringify({ userId: "user_b", orgId: null }), context), /requesting user's id/);
  assert.match(checkResponse(me, fakeResponse(200, { ...allowed, "x-edgeguard-reason": "public" }), JSON.stringify({ userId: "user_a" }), context), /reason public/);
  const cspContext = { ...context, csp: policyCsp(), nonces: new Set() };
  assert.equal(checkResponse(me, fakeResponse(200, allowed), JSON.stringify({ userId: "user_a" }), cspContext), null);
  assert.match(checkResponse(me, fakeResponse(200, allowed, "default-src 'self'"), JSON.stringify({ userId: "user_a" }), cspContext), /content-security-policy/);
  const repeated = CSP_TEMPLATE.replace("{nonce}", "c2FtZS1ub25jZS10d2ljZQ==");
  assert.equal(checkResponse(me, fakeResponse(200, allowed, repeated), JSON.stringify({ userId: "user_a" }), cspContext), null);
  assert.match(checkResponse(me, fakeResponse(200, allowed, repeated), JSON.stringify({ userId: "user_a" }), cspContext), /repeated/);
  const page = kind("dashboard (doc, member)");
  assert.equal(checkResponse(page, fakeResponse(200, allowed), '<code data-testid="user-id">user_a</code>', context), null);
  assert.match(checkResponse(page, fakeResponse(200, allowed), '<code data-testid="user-id">user_ab</code>', context), /requesting user's id/);
});
