// The Next.js route-handler helpers over real Request objects signed by the real svix package:
// configuration errors throw and name the setting; bad deliveries get 400; replays are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "svix";
import { WebhookConfigError, createClerkWebhookHandler, verifyClerkWebhook } from "../../js/next-webhook.js";

const SECRET = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
const URL_ = "https://app.example/api/webhooks/clerk";
let counter = 0;

function delivery({ id = `msg_${++counter}`, type = "user.created", t = Math.floor(Date.now() / 1000), secret = SECRET, body } = {}) {
  const payload = body ?? JSON.stringify({ type, object: "event", data: { id: "user_1" } });
  const headers = {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(t),
    "svix-signature": new Webhook(secret).sign(id, new Date(t * 1000), payload),
  };
  return { id, payload, headers, request: () => new Request(URL_, { method: "POST", headers, body: payload }) };
}

const withEnv = (values, fn) => {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
};
const noEnvSecret = { CLERK_WEBHOOK_SECRET: undefined, CLERK_WEBHOOK_SIGNING_SECRET: undefined, NEXT_PHASE: undefined };

test("a missing or malformed secret throws at configuration and names the setting", () => {
  withEnv(noEnvSecret, () => {
    for (const options of [{}, { secret: undefined }, { secret: "" }, { secret: "   " }]) {
      assert.throws(() => createClerkWebhookHandler(options), (e) => e instanceof WebhookConfigError && /CLERK_WEBHOOK_SECRET/.test(e.message));
    }
    for (const secret of ["sk_live_abc", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_abc", "whsec_not base64!"]) {
      assert.throws(() => createClerkWebhookHandler({ secret }), (e) => e instanceof WebhookConfigError && /CLERK_WEBHOOK_SECRET/.test(e.message), secret);
    }
    assert.throws(() => createClerkWebhookHandler({ secret: SECRET, toleranceSeconds: -5 }), RangeError);
    assert.throws(() => createClerkWebhookHandler({ secret: SECRET, onEvent: "nope" }), TypeError);
  });
});

test("the secret may come from CLERK_WEBHOOK_SECRET (or Clerk's CLERK_WEBHOOK_SIGNING_SECRET)", async () => {
  for (const name of ["CLERK_WEBHOOK_SECRET", "CLERK_WEBHOOK_SIGNING_SECRET"]) {
    const handler = withEnv({ ...noEnvSecret, [name]: SECRET }, () => createClerkWebhookHandler());
    const response = await handler(delivery().request());
    assert.equal(response.status, 200, name);
  }
});

test("during `next build` the check waits for first use, and then throws (never accepts)", async () => {
  const handler = withEnv({ ...noEnvSecret, NEXT_PHASE: "phase-production-build" }, () => createClerkWebhookHandler());
  await withEnv(noEnvSecret, async () => {
    await assert.rejects(handler(delivery().request()), WebhookConfigError);
  });
});

test("a genuine delivery: 200 { received, type, id }, onEvent sees the event once", async () => {
  const seen = [];
  const handler = createClerkWebhookHandler({ secret: SECRET, onEvent: (event, { id }) => void seen.push([event.type, id]) });
  const d = delivery({ type: "organization.created" });
  const response = await handler(d.request());
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { received: true, type: "organization.created", id: d.id });
  assert.deepEqual(seen, [["organization.created", d.id]]);

  const replay = await handler(d.request());
  assert.equal(replay.status, 400);
  assert.deepEqual(await replay.json(), { error: "invalid-webhook", reason: "webhook-replay" });
  assert.equal(seen.length, 1, "the replay never reaches onEvent");

  const custom = createClerkWebhookHandler({ secret: SECRET, onEvent: () => new Response("custom", { status: 202 }) });
  assert.equal((await custom(delivery().request())).status, 202);
});

test("invalid deliveries: 400 { error: invalid-webhook, reason }", async () => {
  const handler = createClerkWebhookHandler({ secret: SECRET });
  const now = Math.floor(Date.now() / 1000);
  const cases = [
    [() => { const d = delivery(); return new Request(URL_, { method: "POST", headers: d.headers, body: `${d.payload} ` }); }, "webhook-invalid-signature"],
    [() => delivery({ secret: `whsec_${Buffer.alloc(32, 4).toString("base64")}` }).request(), "webhook-invalid-signature"],
    [() => delivery({ t: now - 301 }).request(), "webhook-timestamp-too-old"],
    [() => delivery({ t: now + 400 }).request(), "webhook-timestamp-too-new"],
    [() => new Request(URL_, { method: "POST", body: "{}" }), "webhook-missing-headers"],
    [() => { const d = delivery(); const h = { ...d.headers, "svix-timestamp": "soon" }; return new Request(URL_, { method: "POST", headers: h, body: d.payload }); }, "webhook-invalid-timestamp"],
    [() => delivery({ body: "not json" }).request(), "webhook-invalid-json"],
    [() => { const d = delivery({ body: "\u00e9" }); return new Request(URL_, { method: "POST", headers: d.headers, body: new Uint8Array([0xe9]) }); }, "webhook-invalid-body"],
    [async () => { const r = delivery().request(); await r.text(); return r; }, "webhook-invalid-body"],
  ];
  for (const [make, reason] of cases) {
    const response = await handler(await make());
    assert.equal(response.status, 400, reason);
    assert.deepEqual(await response.json(), { error: "invalid-webhook", reason });
  }
});

test("verifyClerkWebhook: result object, shared default store, explicit store and clock", async () => {
  const d = delivery({ t: 1_700_000_000 });
  const first = await verifyClerkWebhook(d.request(), { secret: SECRET, now: 1_700_000_010 });
  assert.equal(first.ok, true);
  assert.equal(first.id, d.id);
  assert.equal(first.event.type, "user.created");
  const second = await verifyClerkWebhook(d.request(), { secret: SECRET, now: 1_700_000_020 });
  assert.equal(second.ok, false);
  assert.equal(second.reason, "webhook-replay");
  assert.equal(second.response.status, 400);

  const remembered = [];
  const store = { remember: async (id, expiresAt, now) => (remembered.push([id, expiresAt, now]), true) };
  const third = await verifyClerkWebhook(d.request(), { secret: SECRET, now: 1_700_000_020, store });
  assert.equal(third.ok, true);
  assert.deepEqual(remembered, [[d.id, 1_700_000_300, 1_700_000_020]]);

  const down = await verifyClerkWebhook(delivery().request(), { secret: SECRET, store: { remember: () => { throw new Error("down"); } } });
  assert.equal(down.response.status, 503);
  assert.deepEqual(await down.response.json(), { error: "webhook-unavailable", reason: "webhook-replay-store-unavailable" });

  await withEnv(noEnvSecret, () => assert.rejects(verifyClerkWebhook(d.request(), {}), WebhookConfigError));
  await assert.rejects(verifyClerkWebhook(d.request(), { secret: "whsec_!!!!" }), WebhookConfigError);
});

test("bodies over maxBodyBytes are refused (413) before being buffered", async () => {
  const handler = createClerkWebhookHandler({ secret: SECRET, maxBodyBytes: 64 });
  const big = delivery({ body: JSON.stringify({ type: "x", data: { pad: "y".repeat(100) } }) });
  const declared = await handler(big.request());
  assert.equal(declared.status, 413);
  assert.deepEqual(await declared.json(), { error: "invalid-webhook", reason: "webhook-body-too-large" });
  const chunks = [new TextEncoder().encode(big.payload.slice(0, 50)), new TextEncoder().encode(big.payload.slice(50))];
  const stream = new ReadableStream({ pull(controller) { chunks.length ? controller.enqueue(chunks.shift()) : controller.close(); } });
  const streamed = await handler(new Request(URL_, { method: "POST", headers: big.headers, body: stream, duplex: "half" }));
  assert.equal(streamed.status, 413, "no content-length: counted while streaming");
  const small = delivery({ body: JSON.stringify({ type: "x" }) });
  assert.equal((await handler(small.request())).status, 200);
  assert.throws(() => createClerkWebhookHandler({ secret: SECRET, maxBodyBytes: 1.5 }), RangeError);
});

test("repeated signature headers (joined by the Headers object) verify as svix would", async () => {
  const handler = createClerkWebhookHandler({ secret: SECRET });
  const d = delivery();
  const headers = new Headers(d.headers);
  headers.delete("svix-signature");
  headers.append("svix-signature", "v1,AAAA");
  headers.append("Svix-Signature", d.headers["svix-signature"]);
  const response = await handler(new Request(URL_, { method: "POST", headers, body: d.payload }));
  assert.equal(response.status, 200);
});
