// Without a working wasm engine every webhook is refused (engine-unavailable / 503), never accepted.
// Its own file: it replaces the engine's instantiator for the whole process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "svix";
import { createReplayStore, verifyWebhook } from "edgeguard";
import { registerInstantiator } from "../../js/engine.js";
import { createClerkWebhookHandler } from "../../js/next-webhook.js";

const SECRET = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;
const body = JSON.stringify({ type: "user.created", data: {} });

function signedRequest() {
  const now = Math.floor(Date.now() / 1000);
  const headers = {
    "svix-id": "msg_engine",
    "svix-timestamp": String(now),
    "svix-signature": new Webhook(SECRET).sign("msg_engine", new Date(now * 1000), body),
  };
  return { headers, request: new Request("https://app.example/api/webhooks/clerk", { method: "POST", headers, body }) };
}

test("engine unavailable: ok:false engine-unavailable, 503 from the route handler", async () => {
  const handler = createClerkWebhookHandler({ secret: SECRET }); // validated while the engine works
  registerInstantiator(() => {
    throw new Error("simulated: wasm cannot be compiled here");
  });
  const { headers, request } = signedRequest();
  const result = verifyWebhook(SECRET, headers, body);
  assert.equal(result.ok, false);
  assert.equal(result.reason, "engine-unavailable");
  assert.equal(createReplayStore().admit("x", 2e9, 1e9), "unavailable");
  const response = await handler(request);
  assert.equal(response.status, 503);
  assert.deepEqual(await response.json(), { error: "webhook-unavailable", reason: "engine-unavailable" });
});
