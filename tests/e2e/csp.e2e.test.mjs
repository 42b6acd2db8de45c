// The policy's `csp` end to end: edgeguard's core mints a nonce per request, the adapter hands it to
// Next.js (request `Content-Security-Policy` + `x-nonce`) and sets the response header, Next and
// Clerk put it on every script they render, and real headless Chromium runs the page under that
// policy — hydration, a client fetch and a server action work, and not one CSP violation is reported.
// EDGEGUARD_E2E_RUNTIME=node runs the same checks against the proxy.ts (Node runtime) variant.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchChromium, offlineContext } from "../support/chromium.mjs";
import { DOCUMENT_HEADERS, startExample } from "../support/example-session.mjs";
import { exampleDir } from "../support/paths.mjs";
import { sessionCookiesFor } from "../support/tokens.mjs";

const POLICY_CSP = JSON.parse(readFileSync(path.join(exampleDir, "edgeguard.policy.json"), "utf8")).csp;
// What Next accepts as a nonce source (get-script-nonce-from-header.js) and what the core mints:
// 16 random bytes, standard base64.
const NONCE_SOURCE = /'nonce-([A-Za-z0-9+/]{22}==)'/;

let app;
let browser;

before(async () => {
  // The layers probe page gives the test a real server action to submit.
  app = await startExample({ runtime: process.env.EDGEGUARD_E2E_RUNTIME ?? "edge", env: { EDGEGUARD_EXAMPLE_LAYERS: "1" } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** The nonce a CSP header value carries, after checking the header is the policy's with it filled in. */
function nonceOf(csp, what) {
  assert.ok(csp, `${what}: no Content-Security-Policy header`);
  const match = NONCE_SOURCE.exec(csp);
  assert.ok(match, `${what}: no 'nonce-…' source in ${csp}`);
  assert.equal(csp, POLICY_CSP.replace("{nonce}", match[1]), `${what}: the header is the policy's csp with the nonce filled in`);
  return match[1];
}

/** Every <script> start tag of an HTML document, with its nonce attribute (null when absent). */
function scriptTags(html) {
  return [...html.matchAll(/<script\b[^>]*>/gi)].map(([tag]) => ({ tag, nonce: /\snonce="([^"]*)"/i.exec(tag)?.[1] ?? null }));
}

/**
 * Opens `path` in a fresh offline context and records what the browser says about CSP: every
 * `securitypolicyviolation` event (listener installed before any page script runs) and every
 * console message or page error that mentions the policy.
 */
async function browse(pathname, user) {
  const context = await offlineContext(browser, app.origin);
  if (user) await context.addCookies(sessionCookiesFor(app.origin, user.token, user.claims.iat));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const page = await context.newPage();
  const consoleCsp = [];
  page.on("console", (message) => {
    if (/content security policy|refused to (load|execute|apply|connect|frame)/i.test(message.text())) consoleCsp.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (/content security policy/i.test(String(error?.message))) consoleCsp.push(String(error.message));
  });
  const response = await page.goto(app.origin + pathname, { waitUntil: "load" });
  const violations = async () => [...(await page.evaluate(() => window.__cspViolations)), ...consoleCsp];
  return { page, response, violations, close: () => context.close() };
}

/** After hydration, every script element in the live DOM carries `nonce` (the IDL property: browsers hide the attribute). */
async function liveScriptNonces(page) {
  return page.evaluate(() => [...document.scripts].map((s) => ({ src: s.src || "inline", nonce: s.nonce })));
}

describe("CSP nonce over fetch", () => {
  test("every document, redirect and API answer carries the policy's CSP with a fresh nonce", async () => {
    const user = app.user();
    const requests = [
      ["/", {}],
      ["/", {}],
      ["/dashboard", {}], // signed out: 307 to sign-in
      ["/dashboard", { cookie: user.cookie }],
      ["/admin", { cookie: user.cookie }], // lacks the role: 307 to /unauthorized
      ["/api/public/ping", {}],
      ["/api/me", {}], // 401 JSON
      ["/nowhere", {}], // default deny
    ];
    const nonces = [];
    for (const [pathname, headers] of requests) {
      const response = await fetch(app.origin + pathname, { redirect: "manual", headers: { ...DOCUMENT_HEADERS, ...headers } });
      await response.arrayBuffer();
      nonces.push(nonceOf(response.headers.get("content-security-policy"), `${pathname} (${response.status})`));
    }
    assert.equal(new Set(nonces).size, nonces.length, `a nonce was reused: ${nonces.join(" ")}`);
  });

  test("Next and Clerk put the response's nonce on every script they render (public and signed-in pages)", async () => {
    const user = app.user({ role: "admin" });
    for (const [pathname, cookie] of [["/", null], ["/sign-in?redirect_url=%2Fdashboard", null], ["/dashboard", user.cookie], ["/admin", user.cookie]]) {
      const response = await fetch(app.origin + pathname, { headers: { ...DOCUMENT_HEADERS, ...(cookie ? { cookie } : {}) } });
      assert.equal(response.status, 200, pathname);
      const nonce = nonceOf(response.headers.get("content-security-policy"), pathname);
      const scripts = scriptTags(await response.text());
      // Next's bootstrap chunks, its inline flight-data scripts, and Clerk's own loader script.
      assert.ok(scripts.length >= 5, `${pathname}: only ${scripts.length} script tags`);
      assert.ok(scripts.some(({ tag }) => !/\ssrc=/.test(tag)), `${pathname}: no inline script to check`);
      assert.ok(scripts.some(({ tag }) => /clerk\.example\.com/.test(tag)), `${pathname}: Clerk's script tag is missing`);
      const wrong = scripts.filter((s) => s.nonce !== nonce);
      assert.deepEqual(wrong.map((s) => s.tag), [], `${pathname}: scripts without the response's nonce ${nonce}`);
    }
  });

  test("a nonce sent by the client (x-nonce, Content-Security-Policy request headers) is never used", async () => {
    const forged = "QUFBQUFBQUFBQUFBQUFBQQ==";
    const response = await fetch(`${app.origin}/`, {
      headers: { ...DOCUMENT_HEADERS, "x-nonce": forged, "content-security-policy": `script-src 'nonce-${forged}'` },
    });
    const nonce = nonceOf(response.headers.get("content-security-policy"), "/ with forged nonce headers");
    assert.notEqual(nonce, forged);
    const html = await response.text();
    assert.ok(!html.includes(forged), "the forged nonce reached the page");
    assert.deepEqual(scriptTags(html).filter((s) => s.nonce !== nonce).map((s) => s.tag), []);
  });
});

describe("CSP nonce in Chromium", () => {
  test("the public page hydrates under the CSP: scripts carry the header's nonce, a click fetches the API, zero violations", async () => {
    const { page, response, violations, close } = await browse("/");
    try {
      assert.equal(response.status(), 200);
      const nonce = nonceOf(response.headers()["content-security-policy"], "/");
      const live = await liveScriptNonces(page);
      assert.ok(live.length >= 5, `only ${live.length} scripts in the DOM`);
      assert.deepEqual(live.filter((s) => s.nonce !== nonce), [], "scripts in the DOM without the response's nonce");
      // Works only once React hydrated the button; its fetch goes through connect-src.
      await page.click("[data-testid=ping]");
      await page.waitForSelector("[data-testid=ping-answer]", { timeout: 15_000 });
      assert.equal(await page.textContent("[data-testid=ping-answer]"), "pong");
      assert.deepEqual(await violations(), []);
    } finally {
      await close();
    }
  });

  test("two loads of the same page get different nonces, and each page runs under its own", async () => {
    const seen = [];
    for (let i = 0; i < 2; i++) {
      const { page, response, violations, close } = await browse("/");
      try {
        const nonce = nonceOf(response.headers()["content-security-policy"], `load ${i + 1}`);
        assert.deepEqual((await liveScriptNonces(page)).filter((s) => s.nonce !== nonce), []);
        assert.deepEqual(await violations(), []);
        seen.push(nonce);
      } finally {
        await close();
      }
    }
    assert.notEqual(seen[0], seen[1]);
  });

  test("signed-in pages and the sign-in redirect run without a CSP violation", async () => {
    const admin = app.user({ userId: "user_cspAdmin", role: "admin" });
    const cases = [
      ["/dashboard", admin, "/dashboard", "[data-testid=user-id]"],
      ["/admin", admin, "/admin", "[data-testid=admin-user-id]"],
      ["/admin", app.user(), "/unauthorized", "[data-testid=unauthorized]"],
      ["/dashboard", null, "/sign-in", "h1"],
    ];
    for (const [pathname, user, landsOn, selector] of cases) {
      const { page, violations, close } = await browse(pathname, user);
      try {
        assert.equal(new URL(page.url()).pathname, landsOn, pathname);
        assert.ok(await page.isVisible(selector), `${pathname}: ${selector}`);
        assert.deepEqual(await violations(), [], pathname);
      } finally {
        await close();
      }
    }
  });

  test("a server action submitted from the hydrated page works under the CSP", async () => {
    const { page, response, violations, close } = await browse("/layers/action?path=/dashboard", app.user());
    try {
      assert.equal(response.status(), 200);
      nonceOf(response.headers()["content-security-policy"], "/layers/action");
      await page.click("[data-testid=decide]");
      await page.waitForSelector("[data-testid=decision]", { timeout: 15_000 });
      const decision = JSON.parse(await page.textContent("[data-testid=decision]"));
      assert.equal(decision.action, "allow", JSON.stringify(decision));
      assert.deepEqual(await violations(), []);
    } finally {
      await close();
    }
  });

  test("control: script the nonce does not cover is blocked and reported (the violation listener works)", async () => {
    const { page, violations, close } = await browse("/");
    try {
      // An inline event handler: neither the nonce nor 'strict-dynamic' allows it (script-src-attr).
      const ran = await page.evaluate(async () => {
        window.__injectedRan = false;
        const button = document.createElement("button");
        button.setAttribute("onclick", "window.__injectedRan = true");
        document.body.append(button);
        button.click();
        await new Promise((resolve) => setTimeout(resolve, 200));
        return window.__injectedRan;
      });
      const reported = await violations();
      assert.equal(ran, false, "an inline handler ran despite the CSP");
      assert.ok(reported.some((v) => /^script-src/.test(v)), `no violation reported: ${JSON.stringify(reported)}`);
    } finally {
      await close();
    }
  });
});
