// The scripted walk of the demo: one signing key, the example app on a free port, a fixed list of
// requests by different users, and a table of what came back. The server is always stopped.
import { existsSync } from "node:fs";
import path from "node:path";
import { DOCUMENT_HEADERS, startExample } from "../tests/support/example-session.mjs";
import { exampleDir } from "../tests/support/paths.mjs";
import { generateWebhookSecret, signedWebhookHeaders } from "../tests/support/webhooks.mjs";

const WEBHOOK_ROUTE = path.join(exampleDir, "app", "api", "webhooks", "clerk", "route.ts");
const webhookSecret = generateWebhookSecret();
const signedWebhook = (body, secret = webhookSecret) => signedWebhookHeaders(secret, body);

function script(app) {
  const member = app.user({ userId: "user_demoMember", role: "member" });
  const admin = app.user({ userId: "user_demoAdmin", role: "admin" });
  const expired = app.user({ userId: "user_demoExpired", now: Math.floor(Date.now() / 1000) - 3600 });
  const doc = DOCUMENT_HEADERS;
  const steps = [
    ["signed out", "GET /", { headers: doc }],
    ["signed out", "GET /dashboard", { headers: doc }],
    ["signed out", "GET /api/public/ping", {}],
    ["signed out", "GET /api/me", {}],
    ["signed out", "GET /not-in-the-policy", { headers: doc }],
    ["member", "GET /dashboard", { headers: { ...doc, cookie: member.cookie } }],
    ["member", "GET /api/me", { headers: { cookie: member.cookie } }],
    ["member", "GET /admin", { headers: { ...doc, cookie: member.cookie } }],
    ["member", "GET /api/admin/stats", { headers: { cookie: member.cookie } }],
    ["admin", "GET /admin", { headers: { ...doc, cookie: admin.cookie } }],
    ["admin (Bearer)", "GET /api/me", { headers: { authorization: `Bearer ${admin.token}` } }],
    ["expired token", "GET /api/me", { headers: { authorization: `Bearer ${expired.token}` } }],
    ["member", "GET /dashboard + x-middleware-subrequest", {
      path: "/dashboard",
      headers: { ...doc, cookie: member.cookie, "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    }],
  ];
  if (existsSync(WEBHOOK_ROUTE)) {
    const body = JSON.stringify({ type: "user.created", data: { id: "user_demoWebhook" }, object: "event" });
    const headers = signedWebhook(body);
    steps.push(
      ["svix (valid)", "POST /api/webhooks/clerk", { method: "POST", body, headers }],
      ["svix (replayed)", "POST /api/webhooks/clerk", { method: "POST", body, headers }],
      ["svix (bad signature)", "POST /api/webhooks/clerk", {
        method: "POST", body, headers: signedWebhook(body, generateWebhookSecret()),
      }],
    );
  }
  return steps;
}

async function send(app, [who, label, { path: explicitPath, method = "GET", headers = {}, body }]) {
  const requestPath = explicitPath ?? label.split(" ")[1];
  const response = await fetch(app.origin + requestPath, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  // The middleware's decision (X-Edgeguard-Reason, exposed by the example policy), then what the
  // route handler itself said, when it answered JSON (webhook verification, the user id).
  const reason = response.headers.get("x-edgeguard-reason") ?? "";
  let detail = "";
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      const json = JSON.parse(text);
      detail = json.userId ? `userId=${json.userId}` : json.type ? `event ${json.type}` : json.reason && json.reason !== reason ? json.reason : "";
    } catch {
      detail = "(invalid JSON)";
    }
  }
  const location = response.headers.get("location") ?? "";
  return [who, label, String(response.status), location.replace(app.origin, ""), reason, detail];
}

function printTable(rows) {
  const header = ["who", "request", "status", "location", "decision", "handler said"];
  const widths = header.map((h, i) => Math.min(64, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (cells) => cells.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

const app = await startExample({ runtime: "edge", env: { CLERK_WEBHOOK_SECRET: webhookSecret } });
try {
  console.log(`\nexample app on ${app.origin} (edge middleware: clerkMiddleware + edgeguardMiddleware)`);
  console.log("tokens are RS256, signed with a key generated for this run; its public half is CLERK_JWT_KEY\n");
  const rows = [];
  for (const step of script(app)) rows.push(await send(app, step));
  printTable(rows);
  if (!existsSync(WEBHOOK_ROUTE)) console.log("\n(webhook route not in this build: no webhook requests)");
} finally {
  await app.stop();
  console.log("\nserver stopped");
}
