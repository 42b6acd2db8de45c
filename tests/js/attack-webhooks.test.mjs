// Webhook attack corpus: replays, timestamp skew, signature lists, tampering, wrong secrets —
// 0 accepts through verifyWebhook and through the route handler (which adds replay refusal).
// The genuine delivery is the control and must be accepted (once).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Webhook } from "svix";
import { createGuard, verifyWebhook } from "edgeguard";
import { createClerkWebhookHandler } from "../../js/next-webhook.js";
import { seededRandom } from "./attack-support.mjs";

const rng = seededRandom(20250723);
console.log(`attack-webhooks: seed ${rng.seed} (EDGEGUARD_SEED=${rng.seed} replays it)`);
const SECRET = `whsec_${rng.bytes(32).toString("base64")}`;
const OTHER_SECRET = `whsec_${rng.bytes(32).toString("base64")}`;
const NOW = 1_750_000_000;
const URL_ = "https://app.example/api/webhooks/clerk";

function delivery({ id = `msg_${rng.bytes(8).toString("hex")}`, t = NOW, secret = SECRET, body } = {}) {
  const payload = body ?? JSON.stringify({ type: "user.created", object: "event", data: { id: `user_${rng.int(1e9)}` } });
  const signature = new Webhook(secret).sign(id, new Date(t * 1000), payload);
  return { id, t, payload, signature, headers: { "svix-id": id, "svix-timestamp": String(t), "svix-signature": signature } };
}

const rawSignature = (key, id, t, body) => createHmac("sha256", key).update(`${id}.${t}.${body}`).digest("base64");
const secretKey = (secret) => Buffer.from(secret.slice("whsec_".length), "base64");

/** Hostile variants of one genuine delivery: none of them may verify. */
function hostileVariants(d) {
  const cases = [];
  const add = (name, headers, body = d.payload) => cases.push({ name, headers, body });
  const h = d.headers;
  // Tampering with the body.
  const bodyBytes = Buffer.from(d.payload);
  for (let i = 0; i < 20; i += 1) {
    const changed = Buffer.from(bodyBytes);
    changed[rng.int(changed.length)] ^= 1 + rng.int(126);
    const text = changed.toString("latin1");
    if (text !== d.payload) add(`body byte changed #${i}`, h, text);
  }
  add("body with trailing newline", h, `${d.payload}\n`);
  add("body with leading space", h, ` ${d.payload}`);
  add("body re-serialised", h, JSON.stringify(JSON.parse(d.payload), null, 1));
  add("empty body", h, "");
  // Tampering with the signed id / timestamp.
  add("other id", { ...h, "svix-id": `${d.id}x` });
  add("id with trailing space", { ...h, "svix-id": `${d.id} ` });
  add("timestamp + 1", { ...h, "svix-timestamp": String(d.t + 1) });
  add("timestamp in ms", { ...h, "svix-timestamp": String(d.t * 1000) });
  // Signature lists and formats.
  const sig = d.signature.slice(3);
  const flipped = Buffer.from(sig, "base64");
  flipped[rng.int(flipped.length)] ^= 0x01;
  add("signature bit flipped", { ...h, "svix-signature": `v1,${flipped.toString("base64")}` });
  add("signature with v2 scheme", { ...h, "svix-signature": `v2,${sig}` });
  add("signature without scheme", { ...h, "svix-signature": sig });
  add("signature scheme only", { ...h, "svix-signature": "v1," });
  add("empty signature", { ...h, "svix-signature": "" });
  add("list of wrong signatures", { ...h, "svix-signature": Array.from({ length: 20 }, () => `v1,${rng.bytes(32).toString("base64")}`).join(" ") });
  add("comma-joined list", { ...h, "svix-signature": `v1,${rng.bytes(32).toString("base64")},v1,${sig}`.replace(/^v1,/, "v1,x") });
  add("truncated signature", { ...h, "svix-signature": `v1,${sig.slice(0, 20)}` });
  add("signature of a 16-byte prefix", { ...h, "svix-signature": `v1,${Buffer.from(sig, "base64").subarray(0, 16).toString("base64")}` });
  add("base64url instead of base64", { ...h, "svix-signature": `v1,${Buffer.from(sig, "base64").toString("base64url")}` });
  add("signed with another secret", { ...h, "svix-signature": `v1,${rawSignature(secretKey(OTHER_SECRET), d.id, d.t, d.payload)}` });
  add("signed with the secret's text as key", { ...h, "svix-signature": `v1,${rawSignature(SECRET, d.id, d.t, d.payload)}` });
  add("signed with an empty key", { ...h, "svix-signature": `v1,${rawSignature("", d.id, d.t, d.payload)}` });
  add("signature over body only", { ...h, "svix-signature": `v1,${createHmac("sha256", secretKey(SECRET)).update(d.payload).digest("base64")}` });
  add("signature over id.body (no timestamp)", { ...h, "svix-signature": `v1,${createHmac("sha256", secretKey(SECRET)).update(`${d.id}.${d.payload}`).digest("base64")}` });
  // Missing headers.
  for (const name of Object.keys(h)) {
    const without = { ...h };
    delete without[name];
    add(`missing ${name}`, without);
  }
  return cases;
}

test("control: the genuine delivery verifies", () => {
  const d = delivery();
  const verdict = verifyWebhook(SECRET, d.headers, d.payload, { now: NOW });
  assert.equal(verdict.ok, true, verdict.message);
});

test("0 accepts: tampering, signature lists, wrong keys, missing headers", () => {
  let total = 0;
  const accepted = [];
  for (let round = 0; round < 15; round += 1) {
    const d = delivery();
    for (const c of hostileVariants(d)) {
      total += 1;
      const verdict = verifyWebhook(SECRET, c.headers, c.body, { now: NOW });
      if (verdict.ok !== false) accepted.push(c.name);
      else assert.match(verdict.reason, /^[a-z-]+$/);
    }
  }
  assert.deepEqual(accepted, [], `${accepted.length} of ${total} hostile deliveries accepted`);
});

test("0 accepts: timestamps outside the 5-minute window, both directions", () => {
  const accepted = [];
  const offsets = [301, 302, 600, 3600, 86400 * 365, -301, -302, -600, -86400, NOW, -NOW];
  for (let i = 0; i < 40; i += 1) offsets.push((rng.next() < 0.5 ? -1 : 1) * (301 + rng.int(1e7)));
  for (const offset of offsets) {
    const d = delivery({ t: NOW + offset });
    const verdict = verifyWebhook(SECRET, d.headers, d.payload, { now: NOW });
    if (verdict.ok !== false) accepted.push(offset);
  }
  assert.deepEqual(accepted, []);
  // Inside the window both ways is accepted: the edge is where svix puts it.
  for (const offset of [-300, 300, 0]) {
    const d = delivery({ t: NOW + offset });
    assert.equal(verifyWebhook(SECRET, d.headers, d.payload, { now: NOW }).ok, true, `offset ${offset}`);
  }
});

// svix signs over the parsed integer timestamp, not the header text: another spelling of the same
// second is the same signed message (not a forgery; replays are refused by id). edgeguard agrees
// with svix on each of these, whichever way svix decides.
test("equivalent timestamp spellings: the same verdict as svix", () => {
  // svix reads the real clock: deliveries signed now, both verifiers at the real time.
  const spell = (t) => [`0${t}`, `00${t}`, `${t}.0`, `${t}.9`, `${t}abc`, ` ${t}`, `+${t}`, `${t}e0`, `0x${t.toString(16)}`, `${t} `, `${t}\t`];
  const d = delivery({ t: Math.floor(Date.now() / 1000) });
  for (const t of spell(d.t)) {
    const headers = { ...d.headers, "svix-timestamp": t };
    let svixOk = true;
    try {
      new Webhook(SECRET).verify(d.payload, headers);
    } catch {
      svixOk = false;
    }
    assert.equal(verifyWebhook(SECRET, headers, d.payload).ok, svixOk, `spelling ${JSON.stringify(t)}`);
  }
});

test("0 accepts: replays through the route handler (same id, same or re-signed delivery)", async () => {
  const handler = createClerkWebhookHandler({ secret: SECRET, now: NOW });
  const post = (d, headers = d.headers) => handler(new Request(URL_, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: d.payload }));
  const first = delivery();
  assert.equal((await post(first)).status, 200, "the first delivery is accepted");
  const replays = [
    ["identical replay", first],
    ["re-signed, same id, later timestamp", delivery({ id: first.id, t: NOW + 30 })],
    ["re-signed, same id, other body", delivery({ id: first.id, body: JSON.stringify({ type: "user.deleted" }) })],
  ];
  for (let i = 0; i < 5; i += 1) replays.push([`identical replay #${i}`, first]);
  for (const [name, d] of replays) {
    const response = await post(d);
    assert.notEqual(response.status, 200, name);
    assert.ok(response.status === 400 || response.status === 409 || response.status === 503, `${name}: ${response.status}`);
  }
  // Hostile variants through the handler too.
  const d = delivery();
  // Request's Headers trim values, which turns this one back into the genuine delivery.
  for (const c of hostileVariants(d).filter((c) => c.name !== "id with trailing space")) {
    const response = await handler(new Request(URL_, { method: "POST", headers: c.headers, body: c.body }));
    assert.notEqual(response.status, 200, c.name);
  }
});

test("0 allows through guard.decide with the body (webhook rule with its secret)", async () => {
  const policy = {
    version: 1,
    signInUrl: "/sign-in",
    routes: [{ name: "public", match: ["/", "/sign-in(.*)"], public: true }, { name: "hook", match: ["/api/webhooks/clerk"], public: true, webhook: "clerk" }],
    default: "deny",
  };
  const guard = await createGuard({ policy, webhookSecrets: { clerk: SECRET } });
  const ask = (headers, body) => guard.decide({ method: "POST", url: URL_, headers: { "content-type": "application/json", ...headers } }, { now: NOW, body });
  const genuineDelivery = delivery();
  assert.equal(ask(genuineDelivery.headers, genuineDelivery.payload).action, "allow", "control");
  assert.notEqual(ask(genuineDelivery.headers, genuineDelivery.payload).action, "allow", "a replay of the control");
  const allowed = [];
  let total = 0;
  for (let round = 0; round < 5; round += 1) {
    const d = delivery();
    for (const c of hostileVariants(d)) {
      total += 1;
      if (ask(c.headers, c.body).action === "allow") allowed.push(c.name);
    }
    for (const offset of [301, -301, 3600, -86400]) {
      const late = delivery({ t: NOW + offset });
      total += 1;
      if (ask(late.headers, late.payload).action === "allow") allowed.push(`timestamp ${offset}`);
    }
  }
  assert.deepEqual(allowed, [], `${allowed.length} of ${total} allowed`);
});
