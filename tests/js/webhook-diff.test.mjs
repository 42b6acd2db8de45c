// Differential test: edgeguard's verifyWebhook against the real `svix` 2.5 package, same inputs,
// same frozen clock. Any verdict or reason difference fails, except the documented stricter cases
// below (each a named predicate; README "Webhooks" lists them).
//   WEBHOOK_DIFF_SEED=<n> WEBHOOK_DIFF_CASES=<n> node --test tests/js/webhook-diff.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "svix";
import { verifyWebhook } from "edgeguard";
import { MAX_DATE_SECONDS, generateCase, hostileCases, prng } from "./webhook-generator.mjs";

const SEED = Number(process.env.WEBHOOK_DIFF_SEED ?? 20261123);
const CASES = Number(process.env.WEBHOOK_DIFF_CASES ?? 10000);

const SVIX_MESSAGES = new Map([
  ["Missing required headers", "webhook-missing-headers"],
  ["Invalid Signature Headers", "webhook-invalid-timestamp"],
  ["Message timestamp too old", "webhook-timestamp-too-old"],
  ["Message timestamp too new", "webhook-timestamp-too-new"],
  ["No matching signature found", "webhook-invalid-signature"],
]);

/** svix's verdict with Date.now frozen at `nowMs`: "ok" or our reason for its error. */
function svixVerdict(secret, headers, body, nowMs) {
  let webhook;
  try {
    webhook = new Webhook(secret);
  } catch {
    return "webhook-bad-secret";
  }
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    webhook.verify(body, headers);
    return "ok";
  } catch (error) {
    return SVIX_MESSAGES.get(error.message) ?? `svix-threw: ${error.message}`;
  } finally {
    Date.now = realNow;
  }
}

const plainObjectOf = (headers) => Object.fromEntries(headers);
const bodyForSvix = (c) => (c.plainBytes ? Buffer.from(c.body) : c.body);
const bodyForUs = (c) => (c.plainBytes ? new Uint8Array(c.body) : c.body);
const textOf = (body) => (typeof body === "string" ? body : Buffer.from(body).toString("utf8"));
const isJson = (text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const SIGNATURE_NAMES = ["svix-id", "svix-timestamp", "svix-signature", "webhook-id", "webhook-timestamp", "webhook-signature"];
function hasNonStringSignatureHeader(headers) {
  if (headers instanceof Headers) return false;
  const normalised = {};
  for (const key of Object.keys(headers)) normalised[key.toLowerCase()] = headers[key];
  const protoEntry = Object.keys(headers).some((key) => key.toLowerCase() === "__proto__" && typeof headers[key] === "object" && headers[key] !== null);
  return protoEntry || SIGNATURE_NAMES.some((name) => normalised[name] != null && typeof normalised[name] !== "string");
}

/** Where edgeguard refuses what svix accepts (or refuses for another reason) — on purpose. */
const STRICTER = {
  // The prefix is how a Clerk secret is recognised; svix also decodes bare base64.
  secretWithoutWhsecPrefix: (c, svix, ours) => !c.secret.startsWith("whsec_") && ours === "webhook-bad-secret",
  // svix decodes the bytes lossily (U+FFFD) before signing: different bytes, same signature.
  bodyNotUtf8: (c, svix, ours) =>
    !c.bodyIsUtf8 && ours === "webhook-invalid-body" && (svix === "ok" || svix === "webhook-invalid-signature"),
  // The contract returns the parsed event; svix 2.5 returns undefined and never parses.
  bodyNotJson: (c, svix, ours) => svix === "ok" && ours === "webhook-invalid-json" && !isJson(textOf(c.body)),
  // A header value is a string; svix lets numbers through parseInt / template strings, and reads
  // headers from an own "__proto__" entry's object (it becomes the prototype of svix's copy).
  headerValueNotString: (c, svix, ours) => hasNonStringSignatureHeader(c.headers) && ours === "webhook-missing-headers",
  // Beyond year 275760 svix signs the text "NaN" for the timestamp; edgeguard refuses the clock.
  clockBeyondDateRange: (c, svix, ours) =>
    (ours === "webhook-bad-options" && c.nowMs / 1000 > MAX_DATE_SECONDS) ||
    (ours === "webhook-invalid-timestamp" &&
      (svix === "ok" || svix === "webhook-invalid-signature") &&
      c.nowMs / 1000 > MAX_DATE_SECONDS - 300),
};

/** Inputs svix cannot take at all: compared through the form svix needs instead. */
const ADAPTED = {
  // Object.keys(new Headers(...)) is empty: svix never sees a header of a Headers object.
  svixIgnoresHeadersObject: (c, svixDirect) => c.headers instanceof Headers && svixDirect === "webhook-missing-headers",
  // svix signs only strings and Buffers (`payload.constructor.name === "Buffer"`).
  svixRefusesPlainUint8Array: (c, svixDirect) =>
    c.plainBytes && svixDirect === "svix-threw: Expected payload to be of type string or Buffer.",
};

function ours(c) {
  const result = verifyWebhook(c.secret, c.headers, bodyForUs(c), { now: c.nowMs / 1000 });
  return { verdict: result.ok ? "ok" : result.reason, result };
}

function compare(c, tally) {
  const mine = ours(c);
  // What svix says given the input as svix needs it (plain object, Buffer).
  const svixHeaders = c.headers instanceof Headers ? plainObjectOf(c.headers) : c.headers;
  const svix = svixVerdict(c.secret, svixHeaders, Buffer.isBuffer(c.body) ? c.body : bodyForSvix(c), c.nowMs);
  // And given exactly our input.
  const svixDirect = svixVerdict(c.secret, c.headers, bodyForUs(c), c.nowMs);
  if (svixDirect !== svix) {
    const adapted = Object.entries(ADAPTED).find(([, applies]) => applies(c, svixDirect));
    assert.ok(adapted, `case ${c.index}: svix differs on the raw input (${svixDirect}) and the adapted one (${svix}) for no documented reason`);
    tally.adapted[adapted[0]] = (tally.adapted[adapted[0]] ?? 0) + 1;
  }
  tally.verdicts[`${svix} / ${mine.verdict}`] = (tally.verdicts[`${svix} / ${mine.verdict}`] ?? 0) + 1;
  if (mine.verdict === svix) {
    if (svix === "ok") {
      // The id as signed: lone surrogates become U+FFFD on both sides (TextEncoder).
      assert.equal(mine.result.id, c.id.toWellFormed(), `case ${c.index}: id`);
      assert.deepEqual(mine.result.event, JSON.parse(textOf(c.body)), `case ${c.index}: event`);
    }
    return;
  }
  assert.notEqual(mine.verdict, "ok", `case ${c.index}: edgeguard accepts what svix refuses (${svix})\n${describe(c)}`);
  const stricter = Object.entries(STRICTER).find(([, applies]) => applies(c, svix, mine.verdict));
  assert.ok(stricter, `case ${c.index}: svix says ${svix}, edgeguard says ${mine.verdict} (${mine.result.message})\n${describe(c)}`);
  tally.stricter[stricter[0]] = (tally.stricter[stricter[0]] ?? 0) + 1;
}

function describe(c) {
  const headers = c.headers instanceof Headers ? [...c.headers] : c.headers;
  const body = typeof c.body === "string" ? c.body.slice(0, 120) : `<${c.body.length} bytes> ${Buffer.from(c.body).subarray(0, 40).toString("hex")}`;
  return JSON.stringify({ secret: c.secret, signingSecret: c.signingSecret, id: c.id, headersKind: c.headersKind, headers, body, bodyKind: c.bodyKind, plainBytes: c.plainBytes, nowMs: c.nowMs }, null, 1);
}

test("hand-written hostile deliveries: same verdict and reason as svix", () => {
  const tally = { verdicts: {}, stricter: {}, adapted: {} };
  for (const c of hostileCases()) compare(c, tally);
  console.log("hostile:", JSON.stringify(tally));
  assert.ok(tally.verdicts["ok / ok"] >= 5, "several hostile cases are genuine deliveries both accept");
});

test(`seeded random deliveries (seed ${SEED}, ${CASES} cases): same verdict and reason as svix`, () => {
  console.log(`webhook-diff seed ${SEED} (set WEBHOOK_DIFF_SEED to replay), ${CASES} cases`);
  const r = prng(SEED);
  const tally = { verdicts: {}, stricter: {}, adapted: {} };
  for (let i = 0; i < CASES; i++) compare(generateCase(r, i), tally);
  console.log(JSON.stringify(tally, null, 1));
  // The generator must exercise every outcome, or the comparison proves little.
  for (const outcome of [
    "ok / ok",
    "webhook-bad-secret / webhook-bad-secret",
    "webhook-missing-headers / webhook-missing-headers",
    "webhook-invalid-timestamp / webhook-invalid-timestamp",
    "webhook-timestamp-too-old / webhook-timestamp-too-old",
    "webhook-timestamp-too-new / webhook-timestamp-too-new",
    "webhook-invalid-signature / webhook-invalid-signature",
  ]) {
    assert.ok((tally.verdicts[outcome] ?? 0) >= Math.min(10, CASES / 500), `outcome ${outcome} too rare: ${tally.verdicts[outcome] ?? 0}`);
  }
  assert.ok(tally.verdicts["ok / ok"] > CASES / 5, "at least a fifth of the deliveries verify on both sides");
});
