// "One decision everywhere": the same matrix of users × paths × request kinds goes through every
// layer of the example app, and each layer must decide the same (action, status, reason, rule, and
// for redirects the target pathname):
//   - middleware: a direct request (redirect: "manual"), read from status/Location and the
//     X-Edgeguard-Reason / X-Edgeguard-Rule headers (the policy sets exposeDecision: true);
//   - route handler: protect() in app/api/layers/decide for the same target, headers and session;
//   - requireAuth() (POST only) in the same handler, through next/headers;
//   - server action (POST only): a real server action (app/layers/action) posted by headless
//     Chromium's form submit, calling requireAuth({ policy }, { path }).
// Edge middleware by default; EDGEGUARD_E2E_RUNTIME=node runs the proxy.ts build instead, and
// EDGEGUARD_E2E_RUNTIME=edge,node runs both and also compares the two middleware builds cell by cell.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { appDirFor } from "../support/app-build.mjs";
import { startApp } from "../support/app-server.mjs";
import { launchChromium, offlineContext } from "../support/chromium.mjs";
import { DOCUMENT_HEADERS, startExample } from "../support/example-session.mjs";
import { sessionCookiesFor } from "../support/tokens.mjs";
import { generateWebhookSecret } from "../support/webhooks.mjs";

const RUNTIMES = (process.env.EDGEGUARD_E2E_RUNTIME ?? "edge").split(",").map((name) => name.trim()).filter(Boolean);
const PATHS = ["/", "/dashboard", "/admin", "/api/me", "/api/admin/x", "/unauthorized", "/not-in-policy"];
const KINDS = {
  document: { method: "GET", headers: DOCUMENT_HEADERS },
  fetch: { method: "GET", headers: { accept: "*/*", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty", "sec-fetch-site": "same-origin" } },
  postJson: { method: "POST", json: true },
};
const USERS = {
  "signed out": () => null,
  member: (app) => app.user({ role: "member" }),
  admin: (app) => app.user({ role: "admin" }),
  "expired token": (app) => app.user({ role: "admin", now: Math.floor(Date.now() / 1000) - 3600 }),
  "org member": (app) => app.user({ org: { id: "org_2e2eLayers", slug: "layers", role: "org:member" } }),
};

function requestInit(app, kind, user) {
  const spec = KINDS[kind];
  const headers = { ...(spec.headers ?? {}), ...(user ? { cookie: user.cookie } : {}) };
  if (spec.json) Object.assign(headers, { "content-type": "application/json", accept: "application/json", origin: app.origin, "sec-fetch-site": "same-origin" });
  return { method: spec.method, headers, redirect: "manual", ...(spec.json ? { body: JSON.stringify({ probe: true }) } : {}) };
}

/** An answer given before edgeguard decided: compared by status and where it sends the client. */
function preempted(status, location) {
  const to = location ? new URL(location) : null;
  return { decidedBy: "clerk, before edgeguard", status, location: to ? to.origin + to.pathname : null };
}

const pathnameOf = (location, origin) => (location ? new URL(location, origin).pathname : null);

/** The middleware's decision as a client sees it. */
async function middlewareDecision(app, path, kind, user) {
  const response = await fetch(app.origin + path, requestInit(app, kind, user));
  await response.arrayBuffer();
  const reason = response.headers.get("x-edgeguard-reason");
  const rule = response.headers.get("x-edgeguard-rule");
  const location = response.headers.get("location");
  if (reason === null) {
    // No decision header: something before edgeguard answered (e.g. Clerk's handshake redirect).
    return preempted(response.status, location);
  }
  if (response.status >= 300 && response.status < 400 && location) {
    return { action: "redirect", status: response.status, reason, rule, to: pathnameOf(location, app.origin) };
  }
  if (response.status >= 400 && !ALLOW_REASONS.has(reason)) {
    return { action: "deny", status: response.status, reason, rule };
  }
  // Allowed: the status is the page's own, not the decision's.
  return { action: "allow", reason, rule };
}

// The core's allow reasons (src/decision/guard.rs). A 4xx carrying one of them is the page's own
// answer after an allow (e.g. a handler's 404), not a denial by the middleware.
const ALLOW_REASONS = new Set(["public", "authorized", "webhook", "webhook-verified"]);

function fromGuard(decision, origin) {
  if (decision.action === "allow") return { action: "allow", reason: decision.reason, rule: decision.rule };
  if (decision.action === "redirect") return { action: "redirect", status: decision.status, reason: decision.reason, rule: decision.rule, to: pathnameOf(decision.location, origin) };
  return { action: "deny", status: decision.status, reason: decision.reason, rule: decision.rule };
}

/**
 * A real server action, posted by headless Chromium from app/layers/action's form: requireAuth()'s
 * decision for `path`. The page loads signed out (so Clerk's document handshake cannot pre-empt
 * it) and the session cookies are set just before the click, as after a sign-in in another tab.
 */
async function serverActionDecisions(app, browser, users) {
  const results = new Map();
  for (const [userName, user] of users) {
    const context = await offlineContext(browser, app.origin);
    try {
      const page = await context.newPage();
      for (const path of PATHS) {
        await context.clearCookies();
        const loaded = await page.goto(`${app.origin}/layers/action?path=${encodeURIComponent(path)}`);
        assert.equal(loaded.status(), 200, `action page for ${path}`);
        if (user) await context.addCookies(sessionCookiesFor(app.origin, user.token, user.claims.iat));
        await page.click("[data-testid=decide]");
        const text = await page.textContent("[data-testid=decision]", { timeout: 15_000 });
        const decision = JSON.parse(text);
        assert.ok(!decision.error, `server action for ${userName} ${path}: ${decision.error}`);
        results.set(`${userName}|${path}`, fromGuard(decision, app.origin));
      }
    } finally {
      await context.close();
    }
  }
  return results;
}

/** protect() (and for POST, requireAuth()) for the same target, with the same headers and session. */
async function handlerDecisions(app, path, kind, user) {
  const method = KINDS[kind].method;
  const query = new URLSearchParams({ path, method, ...(method === "POST" ? { action: "1" } : {}) });
  const response = await fetch(`${app.origin}/api/layers/decide?${query}`, requestInit(app, kind, user));
  const text = await response.text();
  if (response.status !== 200 && response.headers.get("x-edgeguard-reason") === null) {
    // Clerk answered before any edgeguard layer ran (its handshake for an expired session cookie
    // on a document request): the probe cannot reach the handler, and neither can the page.
    const early = preempted(response.status, response.headers.get("location"));
    return { protect: early, ...(method === "POST" ? { requireAuth: early } : {}) };
  }
  assert.equal(response.status, 200, `probe for ${kind} ${path}: ${response.status} ${text.slice(0, 300)}`);
  const body = JSON.parse(text);
  return {
    protect: fromGuard(body.protect, app.origin),
    ...(body.requireAuth ? { requireAuth: fromGuard(body.requireAuth, app.origin) } : {}),
  };
}

async function inBatches(items, size, work) {
  const results = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

const middlewareByRuntime = new Map();

for (const runtime of RUNTIMES) {
  describe(`layers agree (${runtime} middleware)`, () => {
    let app;
    let browser;
    before(async () => {
      app = await startExample({ runtime, env: { EDGEGUARD_EXAMPLE_LAYERS: "1" } });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await app?.stop();
    });

    test("the probe is reachable signed in and signed out, and answers 404 without EDGEGUARD_EXAMPLE_LAYERS=1", async () => {
      for (const user of [null, app.user()]) {
        const response = await fetch(`${app.origin}/api/layers/decide?path=/`, { headers: user ? { cookie: user.cookie } : {} });
        assert.equal(response.status, 200);
        assert.equal((await response.json()).protect.action, "allow");
      }
      const plain = await startApp({ dir: appDirFor(runtime), jwtKey: app.key.publicKeyPem, env: { CLERK_WEBHOOK_SECRET: generateWebhookSecret() } });
      try {
        const user = app.user({ role: "admin" });
        for (const method of ["GET", "POST"]) {
          const response = await fetch(`${plain.origin}/api/layers/decide?path=/admin&action=1`, { method, headers: { cookie: user.cookie, origin: plain.origin } });
          assert.equal(response.status, 404, `${method} without the flag`);
        }
      } finally {
        await plain.stop();
      }
    });

    // Filled by the matrix test, read by the server-action test (same cells, same middleware answers).
    const matrix = { cells: [], users: [], seen: [] };

    test("every user × path × request kind: middleware, protect() and requireAuth() decide the same", async () => {
      const { cells, users } = matrix;
      for (const [userName, makeUser] of Object.entries(USERS)) {
        const user = makeUser(app);
        users.push([userName, user]);
        for (const path of PATHS) for (const kind of Object.keys(KINDS)) cells.push({ userName, user, path, kind });
      }
      const handled = await inBatches(cells, 6, (cell) => handlerDecisions(app, cell.path, cell.kind, cell.user));
      const seen = await inBatches(cells, 6, (cell) => middlewareDecision(app, cell.path, cell.kind, cell.user));
      matrix.seen = seen;
      middlewareByRuntime.set(runtime, cells.map((cell, i) => [`${cell.userName} | ${cell.kind} ${cell.path}`, seen[i]]));
      const mismatches = compareLayers(runtime, cells, seen, handled);
      assert.equal(cells.length, Object.keys(USERS).length * PATHS.length * Object.keys(KINDS).length);
      assert.equal(handled.filter((h) => h.requireAuth).length, Object.keys(USERS).length * PATHS.length, "requireAuth per POST cell");
      // Only Clerk's handshake (expired session cookie on a document request) may answer before
      // edgeguard; anywhere else a pre-empted cell would make the comparison hollow.
      const preemptedCells = cells.filter((cell, i) => seen[i].decidedBy).map((cell) => `${cell.userName} | ${cell.kind} ${cell.path}`);
      const expectedPreempted = PATHS.map((path) => `expired token | document ${path}`);
      assert.deepEqual(preemptedCells, expectedPreempted, "cells answered before edgeguard decided");
      if (mismatches.length) process.stderr.write(`[layers ${runtime}] server log:\n${app.logs()}\n`);
      assert.deepEqual(mismatches, [], `${mismatches.length} cell(s) where the layers disagree:\n${mismatches.join("\n")}`);
    });

    // In a server action Turbopack compiles js/node.js into its SSR layer, where the wasm's
    // `new URL(..., import.meta.url)` becomes a /_next/static/media/… URL; js/node.js reads the
    // copy under .next/ then. This test found that (every action was a 503 before).
    test("a real server action (Chromium form submit) decides like the middleware's POST", {
    }, async () => {
      const { cells, users, seen } = matrix;
      assert.ok(seen.length, "the matrix test ran first");
      const fromActions = await serverActionDecisions(app, browser, users);
      const posts = cells.map((cell, i) => ({ cell, i })).filter(({ cell }) => cell.kind === "postJson");
      const mismatches = compareLayers(runtime, posts.map(({ cell }) => cell), posts.map(({ i }) => seen[i]),
        posts.map(({ cell }) => ({ serverAction: fromActions.get(`${cell.userName}|${cell.path}`) })));
      assert.equal(fromActions.size, Object.keys(USERS).length * PATHS.length, "a server action per user × path");
      if (mismatches.length) process.stderr.write(`[layers ${runtime}] server log (edgeguard lines):\n${app.logs().split("\n").filter((l) => l.includes("edgeguard")).slice(0, 5).join("\n")}\n`);
      assert.deepEqual(mismatches, [], `${mismatches.length} cell(s) where the server action disagrees:\n${mismatches.join("\n")}`);
    });
  });
}

if (RUNTIMES.length > 1) {
  test(`the ${RUNTIMES.join(" and ")} middleware builds decide every cell the same`, () => {
    const [first, ...rest] = RUNTIMES;
    assert.ok(middlewareByRuntime.has(first), `${first} matrix ran`);
    for (const runtime of rest) {
      assert.ok(middlewareByRuntime.has(runtime), `${runtime} matrix ran`);
      assert.deepEqual(middlewareByRuntime.get(runtime), middlewareByRuntime.get(first), `${runtime} vs ${first}`);
    }
  });
}

/** Prints the table of every layer's decision and returns the cells where one differs from the middleware. */
function compareLayers(runtime, cells, seen, others) {
  const rows = [];
  const mismatches = [];
  cells.forEach((cell, i) => {
    const layers = { middleware: seen[i], ...others[i] };
    const label = `${cell.userName} | ${cell.kind} ${cell.path}`;
    rows.push(`${label.padEnd(40)} ${Object.entries(layers).map(([name, d]) => `${name}=${d ? summarise(d) : "(none)"}`).join("  ")}`);
    for (const [name, decision] of Object.entries(layers)) {
      if (name === "middleware") continue;
      try {
        assert.deepEqual(decision, seen[i]);
      } catch {
        mismatches.push(`${label}: middleware ${JSON.stringify(seen[i])} vs ${name} ${JSON.stringify(decision)}`);
      }
    }
  });
  process.stderr.write(`[layers ${runtime}] ${cells.length} cells\n${rows.join("\n")}\n`);
  return mismatches;
}

function summarise(d) {
  if (d.decidedBy) return `[${d.decidedBy} ${d.status} ${d.location ?? ""}]`;
  return `${d.action}${d.status ? `/${d.status}` : ""}/${d.reason}/${d.rule ?? "-"}${d.to ? `→${d.to}` : ""}`;
}
