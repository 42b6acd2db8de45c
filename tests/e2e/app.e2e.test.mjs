// The example app under `next build` + `next start`, driven by real headless Chromium and by plain
// fetch. Signed-in users carry a locally signed Clerk session token. Edge middleware by default;
// EDGEGUARD_E2E_RUNTIME=node runs the same checks against the proxy.ts (Node runtime) variant.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchChromium, offlineContext } from "../support/chromium.mjs";
import { DOCUMENT_HEADERS, startExample } from "../support/example-session.mjs";
import { sessionCookiesFor } from "../support/tokens.mjs";
import { generateWebhookSecret, signedWebhookHeaders } from "../support/webhooks.mjs";

const POLICY_HEADERS = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};

let app;
let browser;

before(async () => {
  app = await startExample({ runtime: process.env.EDGEGUARD_E2E_RUNTIME ?? "edge" });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

async function browse(path, user) {
  const context = await offlineContext(browser, app.origin);
  if (user) await context.addCookies(sessionCookiesFor(app.origin, user.token, user.claims.iat));
  const page = await context.newPage();
  const response = await page.goto(app.origin + path);
  return { page, response, close: () => context.close() };
}

function get(path, { user, headers = {}, method = "GET", body } = {}) {
  return fetch(app.origin + path, {
    method,
    body,
    redirect: "manual",
    headers: { ...(user ? { cookie: user.cookie } : {}), ...headers },
  });
}

// Next hands middleware a re-serialised URL (its query goes through URLSearchParams, so `%20`
// comes back as `+`): "the original URL" is compared as origin + path + the decoded query pairs.
function assertSameUrl(actual, expected) {
  const a = new URL(actual);
  const e = new URL(expected);
  assert.equal(a.origin + a.pathname, e.origin + e.pathname, `${actual} vs ${expected}`);
  assert.deepEqual([...a.searchParams], [...e.searchParams], `${actual} vs ${expected}`);
}

function assertPolicyHeaders(response, what) {
  for (const [name, value] of Object.entries(POLICY_HEADERS)) {
    assert.equal(response.headers.get(name), value, `${what}: header ${name}`);
  }
}

describe("in the browser", () => {
  test("/ is public", async () => {
    const { page, response, close } = await browse("/");
    try {
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, "/");
      assert.match(await page.textContent("[data-testid=public-home]"), /public page/);
    } finally {
      await close();
    }
  });

  test("signed out, /dashboard ends on /sign-in?redirect_url=<the original absolute URL>", async () => {
    for (const path of ["/dashboard", "/dashboard/reports?tab=2&q=a%20b"]) {
      const { page, close } = await browse(path);
      try {
        const landed = new URL(page.url());
        assert.equal(landed.origin, app.origin);
        assert.equal(landed.pathname, "/sign-in");
        assertSameUrl(landed.searchParams.get("redirect_url"), app.origin + path);
        assertSameUrl(await page.textContent("[data-testid=redirect-url]"), app.origin + path);
      } finally {
        await close();
      }
    }
  });

  test("signed in, /dashboard renders the user id from Clerk's auth()", async () => {
    const user = app.user({ userId: "user_2e2eDashboardViewer" });
    const { page, response, close } = await browse("/dashboard", user);
    try {
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, "/dashboard");
      assert.equal(await page.textContent("[data-testid=user-id]"), "user_2e2eDashboardViewer");
    } finally {
      await close();
    }
  });

  test("signed in without the admin role, /admin ends on /unauthorized", async () => {
    for (const role of [undefined, "member", "Admin"]) {
      const { page, close } = await browse("/admin", app.user({ role }));
      try {
        assert.equal(new URL(page.url()).pathname, "/unauthorized", `role ${role}`);
        assert.ok(await page.isVisible("[data-testid=unauthorized]"));
      } finally {
        await close();
      }
    }
  });

  test("an admin (metadata.role = admin) sees /admin", async () => {
    const user = app.user({ userId: "user_2e2eAdmin", role: "admin" });
    const { page, response, close } = await browse("/admin", user);
    try {
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, "/admin");
      assert.equal(await page.textContent("[data-testid=admin-user-id]"), "user_2e2eAdmin");
      assert.equal(await page.textContent("[data-testid=admin-role]"), "admin");
    } finally {
      await close();
    }
  });

  test("a token signed by another key counts as signed out", async () => {
    const { generateSigningKey } = await import("../support/keys.mjs");
    const { sessionToken } = await import("../support/tokens.mjs");
    const { token, claims } = sessionToken(generateSigningKey(), { azp: app.origin });
    const { page, close } = await browse("/dashboard", { token, claims });
    try {
      assert.equal(new URL(page.url()).pathname, "/sign-in");
    } finally {
      await close();
    }
  });
});

describe("over fetch: status and decision headers", () => {
  test("public page and public API answer 200 with the policy's security headers", async () => {
    const home = await get("/", { headers: DOCUMENT_HEADERS });
    assert.equal(home.status, 200);
    assertPolicyHeaders(home, "/");
    const ping = await get("/api/public/ping");
    assert.equal(ping.status, 200);
    assert.equal((await ping.json()).ok, true);
    assertPolicyHeaders(ping, "/api/public/ping");
  });

  test("signed-out document request: 307 to the sign-in URL with redirect_url", async () => {
    const response = await get("/dashboard?x=1", { headers: DOCUMENT_HEADERS });
    assert.equal(response.status, 307);
    const location = new URL(response.headers.get("location"), app.origin);
    assert.equal(location.origin + location.pathname, `${app.origin}/sign-in`);
    assertSameUrl(location.searchParams.get("redirect_url"), `${app.origin}/dashboard?x=1`);
    assertPolicyHeaders(response, "redirect");
  });

  test("/api/me signed out: 401 JSON with WWW-Authenticate: Bearer", async () => {
    const response = await get("/api/me");
    assert.equal(response.status, 401);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer\b/);
    const body = await response.json();
    assert.equal(body.reason, "signed-out");
    assert.equal(typeof body.error, "string");
    assert.ok("rule" in body, "body names the deciding rule");
    assertPolicyHeaders(response, "401");
  });

  test("/api/me signed in (cookie and Bearer): 200 with userId and orgId", async () => {
    const user = app.user({ userId: "user_2e2eApi" });
    for (const headers of [{ cookie: user.cookie }, { authorization: `Bearer ${user.token}` }]) {
      const response = await get("/api/me", { headers });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { userId: "user_2e2eApi", orgId: null });
    }
  });

  test("expired or tampered tokens are signed out on the API", async () => {
    const expired = app.user({ now: Math.floor(Date.now() / 1000) - 3600 });
    const valid = app.user();
    const [head, body, signature] = valid.token.split(".");
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    for (const [what, token] of [["expired", expired.token], ["bad signature", `${head}.${body}.${flipped}`]]) {
      const response = await get("/api/me", { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 401, what);
      // Clerk verifies first and reports signed out; an adapter that forwards the token's own
      // reason (token-expired, token-invalid-signature) is just as right.
      assert.match((await response.json()).reason, /^(signed-out|token-[a-z-]+)$/, what);
    }
  });

  test("admin API without the role: 403 JSON naming the rule; document: 307 to /unauthorized", async () => {
    const member = app.user({ role: "member" });
    const api = await get("/api/admin/stats", { user: member });
    assert.equal(api.status, 403);
    const body = await api.json();
    assert.equal(body.reason, "missing-role");
    assert.equal(body.rule, "admin");
    const page = await get("/admin", { user: member, headers: DOCUMENT_HEADERS });
    assert.equal(page.status, 307);
    assert.equal(new URL(page.headers.get("location"), app.origin).pathname, "/unauthorized");
  });

  test("a path no rule covers is denied by default, even signed in", async () => {
    for (const user of [undefined, app.user({ role: "admin" })]) {
      const response = await get("/not-in-the-policy", { user });
      assert.ok([403, 404].includes(response.status), `status ${response.status}`);
      assertPolicyHeaders(response, "default deny");
    }
  });

  test("exposeDecision: every answer names its reason and rule (X-Edgeguard-Reason / -Rule)", async () => {
    const member = app.user({ role: "member" });
    const admin = app.user({ role: "admin" });
    const cases = [
      ["/", {}, 200, "public", "public"],
      ["/api/public/ping", {}, 200, "public", "public"],
      ["/dashboard", { headers: DOCUMENT_HEADERS }, 307, "signed-out", "app"],
      ["/dashboard", { user: member, headers: DOCUMENT_HEADERS }, 200, "authorized", "app"],
      ["/api/me", { user: member }, 200, "authorized", "app"],
      ["/admin", { user: member, headers: DOCUMENT_HEADERS }, 307, "missing-role", "admin"],
      ["/admin", { user: admin, headers: DOCUMENT_HEADERS }, 200, "authorized", "admin"],
      ["/not-in-the-policy", { user: admin }, 404, "no-rule", null],
    ];
    for (const [path, options, status, reason, rule] of cases) {
      const response = await get(path, options);
      const what = `${path} ${options.user ? "signed in" : "signed out"}`;
      assert.equal(response.status, status, what);
      assert.equal(response.headers.get("x-edgeguard-reason"), reason, what);
      assert.equal(response.headers.get("x-edgeguard-rule"), rule, what);
    }
  });

  test("x-middleware-subrequest from outside is rejected with 400", async () => {
    const response = await get("/dashboard", {
      user: app.user(),
      headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    });
    assert.equal(response.status, 400);
  });

  test("malformed percent-encoding in the path is rejected with 400", async () => {
    const response = await get("/dashboard/%E0%A4%A", { user: app.user() });
    assert.equal(response.status, 400);
  });

  test("signed-out 401 on a failed token says error=\"invalid_token\"", async () => {
    const expired = app.user({ now: Math.floor(Date.now() / 1000) - 3600 });
    const response = await get("/api/me", { headers: { authorization: `Bearer ${expired.token}` } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
  });

  test("the webhook route handler (Node runtime, edgeguard's wasm) accepts a signed body and refuses a forged one", async () => {
    // Also proves the packaged runtime entry survives the server bundle (a bundler that drops
    // js/node.js as side-effect free leaves the engine without an instantiator: 503).
    const body = JSON.stringify({ type: "user.created", data: { id: "user_2e2eWebhook" }, object: "event" });
    const accepted = await get("/api/webhooks/clerk", { method: "POST", body, headers: signedWebhookHeaders(app.webhookSecret, body) });
    assert.equal(accepted.status, 200, await accepted.clone().text());
    assert.equal((await accepted.json()).type, "user.created");
    const forged = await get("/api/webhooks/clerk", { method: "POST", body, headers: signedWebhookHeaders(generateWebhookSecret(), body) });
    assert.equal(forged.status, 400);
  });
});
