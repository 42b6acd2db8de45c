// Clerk webhooks end to end through `next start`: requests signed by the real svix package are
// accepted once, the same delivery again is a replay, forged / tampered / unsigned ones are refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Webhook } from "svix";
import { startExample } from "../support/example-session.mjs";
import { generateWebhookSecret } from "../support/webhooks.mjs";

let app;
before(async () => {
  app = await startExample({ runtime: process.env.EDGEGUARD_E2E_RUNTIME ?? "edge", env: { EDGEGUARD_EXAMPLE_WEBHOOK_LOG: "1" } });
});
after(async () => {
  await app?.stop();
});

function svixSigned(secret, payload, { id = `msg_${randomBytes(10).toString("hex")}`, date = new Date() } = {}) {
  const signature = new Webhook(secret).sign(id, date, payload);
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(date.getTime() / 1000)),
    "svix-signature": signature,
  };
}

const post = (headers, body) => fetch(`${app.origin}/api/webhooks/clerk`, { method: "POST", headers, body, redirect: "manual" });

test("a delivery signed by svix is accepted once; the same delivery again is a replay", async () => {
  const body = JSON.stringify({ type: "user.created", object: "event", data: { id: "user_e2e_svix" } });
  const headers = svixSigned(app.webhookSecret, body);
  const first = await post(headers, body);
  assert.equal(first.status, 200, await first.clone().text());
  assert.deepEqual(await first.json(), { received: true, type: "user.created", id: headers["svix-id"] });

  const again = await post(headers, body);
  assert.equal(again.status, 400);
  assert.deepEqual(await again.json(), { error: "invalid-webhook", reason: "webhook-replay" });

  const log = await (await fetch(`${app.origin}/api/webhooks/clerk`)).json();
  assert.equal(log.recent.filter((event) => event.id === headers["svix-id"]).length, 1, "the event was handled exactly once");
});

test("forged, tampered, stale and unsigned deliveries are refused", async () => {
  const body = JSON.stringify({ type: "user.deleted", object: "event", data: { id: "user_victim" } });
  const cases = [
    ["signed with another secret", svixSigned(generateWebhookSecret(), body), body, "webhook-invalid-signature"],
    ["body tampered after signing", svixSigned(app.webhookSecret, body), body.replace("user_victim", "user_other"), "webhook-invalid-signature"],
    ["timestamp 10 minutes old", svixSigned(app.webhookSecret, body, { date: new Date(Date.now() - 600_000) }), body, "webhook-timestamp-too-old"],
  ];
  for (const [name, headers, sent, reason] of cases) {
    const response = await post(headers, sent);
    assert.equal(response.status, 400, name);
    assert.deepEqual(await response.json(), { error: "invalid-webhook", reason }, name);
  }
  // Without svix headers the middleware refuses it before the route handler runs.
  const unsigned = await post({ "content-type": "application/json" }, body);
  assert.equal(unsigned.status, 400);
  assert.equal(unsigned.headers.get("x-edgeguard-reason"), "webhook-missing-headers");
  const log = await (await fetch(`${app.origin}/api/webhooks/clerk`)).json();
  assert.ok(!log.recent.some((event) => event.type === "user.deleted"), "no refused delivery reached the handler");
});
