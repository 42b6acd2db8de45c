// The guard sends the core only the headers it reads (js/guard-wire.js, list from the core's
// DECISION_HEADERS). Differential: every decision through guard.decide (filtered) equals the core's
// decision over ALL headers (the same wire format, nothing left out) — randomised requests (fixed,
// printed seed) plus hand-written hostile ones. And the test can fail: leaving out any one listed
// header must change some decision of the same corpus, so a header the core reads but the shim
// dropped would show up here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createGuard } from "edgeguard";
import { DecisionReader } from "../../js/decision-text.js";
import { engine } from "../../js/engine.js";
import { decisionHeaders, isAlreadyNormal, normalisedUrl, toRequestRecord, utf8Length, wireRecord } from "../../js/guard-wire.js";
import { generateSigningKey } from "../support/keys.mjs";
import { sessionToken } from "../support/tokens.mjs";
import { seededRandom } from "./attack-support.mjs";

const rng = seededRandom(Math.floor(Math.random() * 2 ** 31));
console.log(`guard-wire: seed ${rng.seed} (EDGEGUARD_SEED=${rng.seed} replays it)`);

const ORIGIN = "https://app.example.com";
const SECRET_BYTES = Buffer.alloc(32, 7);
const SECRET = `whsec_${SECRET_BYTES.toString("base64")}`;
const POLICY = {
  version: 1,
  signInUrl: "/sign-in",
  unauthorizedUrl: "/unauthorized",
  routes: [
    { name: "public", match: ["/", "/sign-in(.*)", "/unauthorized"], public: true },
    { name: "hook", match: ["/api/webhooks/clerk"], public: true, webhook: "clerk" },
    { name: "admin", match: ["/admin(.*)", "/api/admin(.*)"], require: { role: "admin" } },
    { name: "app", match: ["/dashboard(.*)", "/api/(.*)"], require: {} },
  ],
  default: "deny",
  headers: { "X-Frame-Options": "DENY" },
  csrf: { allowedOrigins: ["https://admin.example.com"], jsonOnly: true },
  rejectSubrequestHeader: true,
  exposeDecision: true,
};
const key = generateSigningKey();
const now = Math.floor(Date.now() / 1000);
const OPTIONS = { policy: POLICY, jwtKey: key.publicKeyPem, webhookSecrets: { clerk: SECRET } };
const admin = sessionToken(key, { role: "admin", now });
const member = sessionToken(key, { now });
const expired = sessionToken(key, { now: now - 7200, ttlSeconds: 60 });

const everything = { has: () => true };

/** The core's decision with every header sent (a raw WasmGuard, the same options). */
function unfilteredDecider(wanted = everything) {
  const wasm = new (engine().WasmGuard)(JSON.stringify(OPTIONS));
  const reader = new DecisionReader();
  return (request, context) => reader.readCode(wasm.decide(wireRecord(toRequestRecord(request), context, wanted)), wasm);
}

const caseOf = (name) => {
  const mode = rng.int(4);
  if (mode === 0) return name;
  if (mode === 1) return name.toUpperCase();
  if (mode === 2) return name.replace(/(^|-)(.)/g, (_, dash, c) => dash + c.toUpperCase());
  return [...name].map((c) => (rng.int(2) ? c.toUpperCase() : c)).join("");
};

function svixHeaders(body, { prefix = "svix", id = `msg_${rng.int(1e9)}`, valid = true } = {}) {
  const timestamp = String(now - rng.int(100));
  const mac = createHmac("sha256", SECRET_BYTES).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: timestamp, [`${prefix}-signature`]: `v1,${valid ? mac : mac.replace(/^./, "A")}` };
}

const VALUES = {
  accept: ["text/html,application/xhtml+xml", "application/json", "*/*", "TEXT/HTML"],
  authorization: () => rng.pick([`Bearer ${admin.token}`, `Bearer ${member.token}`, `Bearer ${expired.token}`, "Bearer x.y.z", "Basic dTpw", `bearer ${admin.token}`]),
  "content-length": ["0", "12", " 0 "],
  "content-type": ["application/json", "text/plain", "application/merge-patch+json", "multipart/form-data; boundary=x"],
  cookie: () => rng.pick([`__session=${admin.token}`, `a=1; __session=${member.token}`, `__session=${expired.token}; __client_uat=1`, "theme=dark", "__session="]),
  "next-action": ["abc123"],
  origin: [ORIGIN, "https://admin.example.com", "https://evil.example", "null", "HTTPS://APP.EXAMPLE.COM"],
  rsc: ["1", "0"],
  "sec-fetch-dest": ["document", "empty", "iframe", "image"],
  "sec-fetch-site": ["cross-site", "same-origin", "none", "same-site"],
  "x-middleware-subrequest": ["middleware", "src/middleware:src/middleware", ""],
};
const UNREAD = ["user-agent", "host", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "forwarded", "referer", "accept-language",
  "x-middleware-subrequest-id", "cookie2", "x-origin", "authorization-x", "x-real-ip", "accept-encoding", "svix-idx", "webhook"];
const PATHS = ["/", "/admin", "/admin/users", "/api/admin/x", "/api/data", "/dashboard", "/api/webhooks/clerk", "/sign-in", "/nowhere",
  "/_next/data/b/admin.json", "/Admin", "/api/webhooks/clerk/"];
const METHODS = ["GET", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

function randomCase() {
  const method = rng.pick(METHODS);
  const path = rng.pick(PATHS);
  const body = rng.int(2) ? JSON.stringify({ type: "user.created", n: rng.int(1000) }) : undefined;
  const entries = [];
  for (const [name, values] of Object.entries(VALUES)) {
    if (rng.int(3) === 0) entries.push([caseOf(name), typeof values === "function" ? values() : rng.pick(values)]);
  }
  if (path.startsWith("/api/webhooks") || rng.int(6) === 0) {
    const prefixes = rng.int(4) === 0 ? ["svix", "webhook"] : [rng.pick(["svix", "webhook"])];
    for (const prefix of prefixes) {
      for (const [name, value] of Object.entries(svixHeaders(body ?? "", { prefix, valid: rng.int(4) !== 0 }))) {
        if (rng.int(8) !== 0) entries.push([caseOf(name), rng.int(10) === 0 ? "" : value]);
      }
    }
  }
  for (let i = rng.int(5); i > 0; i--) entries.push([caseOf(rng.pick(UNREAD)), rng.pick(["x", "1.2.3.4", "a".repeat(rng.int(300)), "é✓"])]);
  // Shuffle: order matters (first/last of a repeated name), so it varies.
  for (let i = entries.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  let headers;
  if (rng.int(2)) {
    headers = new Headers();
    for (const [name, value] of entries) {
      try {
        headers.append(name, value);
      } catch {} // not a ByteString: only plain records carry such values
    }
  } else headers = Object.fromEntries(entries); // plain record: names keep their case, later wins
  const context = { now };
  const mode = rng.int(5);
  if (mode === 0) context.claims = null;
  if (mode === 1) context.claims = admin.claims;
  if (mode === 2) context.claims = member.claims;
  if (body !== undefined && rng.int(2)) context.body = body;
  return { request: { method, url: `${ORIGIN}${path}`, headers }, context };
}

/** Requests aimed at one header each, so every listed name is exercised on purpose. */
function handWritten() {
  const j = { "content-type": "application/json" };
  const cases = [
    [{ method: "GET", path: "/dashboard", headers: { "X-Middleware-Subrequest": "middleware" } }],
    [{ method: "GET", path: "/dashboard", headers: { "x-MIDDLEWARE-subrequest": "" } }],
    [{ method: "GET", path: "/dashboard", headers: { cookie: `__session=${member.token}` } }],
    [{ method: "GET", path: "/dashboard", headers: { Authorization: `Bearer ${member.token}` } }],
    [{ method: "GET", path: "/dashboard", headers: { accept: "text/html" } }],
    [{ method: "GET", path: "/dashboard", headers: { "sec-fetch-dest": "document" } }],
    [{ method: "GET", path: "/dashboard", headers: { rsc: "1" } }],
    [{ method: "GET", path: "/dashboard", headers: { accept: "text/html", "next-action": "x" } }],
    [{ method: "POST", path: "/api/data", headers: { ...j, origin: "https://evil.example" } }],
    [{ method: "POST", path: "/api/data", headers: { ...j, "sec-fetch-site": "cross-site" } }],
    [{ method: "POST", path: "/api/data", headers: { "content-type": "text/plain" } }],
    [{ method: "POST", path: "/api/data", headers: { "content-length": "0" } }],
  ];
  const body = "{\"type\":\"user.deleted\"}";
  for (const prefix of ["svix", "webhook"]) {
    const signed = svixHeaders(body, { prefix });
    for (const name of Object.keys(signed)) {
      cases.push([{ method: "POST", path: "/api/webhooks/clerk", headers: signed, body }]);
      const missing = { ...signed };
      delete missing[name];
      cases.push([{ method: "POST", path: "/api/webhooks/clerk", headers: missing }]);
    }
  }
  // svix-* wins over webhook-* whenever present (even empty), and a Kelvin sign (U+212A) in a name
  // lower-cases to "k" in svix's reading: both must reach the core.
  const standard = svixHeaders(body, { prefix: "webhook" });
  cases.push([{ method: "POST", path: "/api/webhooks/clerk", headers: { ...standard, "svix-id": "" }, body }]);
  const kelvin = Object.fromEntries(Object.entries(standard).map(([k, v]) => [k.replace("k", "\u212a"), v]));
  cases.push([{ method: "POST", path: "/api/webhooks/clerk", headers: { ...kelvin, "svix-id": "x", "svix-timestamp": "1", "svix-signature": "v1,x" }, body }]);
  cases.push([{ method: "POST", path: "/api/webhooks/clerk", headers: kelvin, body }]);
  return cases.map(([c]) => ({ request: { method: c.method, url: `${ORIGIN}${c.path}`, headers: c.headers }, context: c.body ? { now, body: c.body } : { now } }));
}

const corpus = [...handWritten(), ...Array.from({ length: 2500 }, randomCase)];

test("guard.decide over the filtered headers = the core over all headers (random + hand-written corpus)", async () => {
  const guard = await createGuard(OPTIONS);
  // decide()'s text (hand-written envelope, auth by serial) against explain()'s serde JSON, on a
  // guard of its own that sees the same requests in the same order (webhook replays included).
  const explaining = await createGuard(OPTIONS);
  const full = unfilteredDecider();
  const outcomes = new Set();
  for (const [i, { request, context }] of corpus.entries()) {
    const expected = full(request, context);
    const actual = guard.decide(request, context);
    const label = `case ${i}: ${JSON.stringify({ request: { ...request, headers: [...(request.headers.entries?.() ?? Object.entries(request.headers))] }, context })}`;
    assert.deepEqual(actual, expected, label);
    assert.deepEqual(explaining.explain(request, context).decision, actual, `explain ≠ decide, ${label}`);
    outcomes.add(`${actual.status}:${actual.reason}`);
  }
  // The corpus must reach the checks that read headers, or the comparison says little.
  for (const reason of ["subrequest-header", "csrf-origin", "unsupported-media-type", "webhook-verified", "webhook-missing-headers", "authorized", "signed-out", "token-expired"]) {
    assert.ok([...outcomes].some((o) => o.endsWith(`:${reason}`)), `no case ended in ${reason}: ${[...outcomes].join(", ")}`);
  }
});

test("leaving out any one header the core reads changes some decision of the same corpus", () => {
  const listed = [...decisionHeaders()];
  assert.ok(listed.includes("x-middleware-subrequest") && listed.includes("cookie") && listed.includes("authorization"));
  for (const dropped of listed) {
    const reduced = new Set(listed.filter((name) => name !== dropped));
    const withAll = unfilteredDecider();
    const without = unfilteredDecider(reduced);
    const differs = corpus.some(({ request, context }) => JSON.stringify(withAll(request, context)) !== JSON.stringify(without(request, context)));
    assert.ok(differs, `dropping ${dropped} changed no decision: the corpus does not exercise it (or the core no longer reads it)`);
  }
});

test("headers left out still count towards the 64 KiB header limit, byte-exact in UTF-8", async () => {
  const guard = await createGuard(OPTIONS);
  const full = unfilteredDecider();
  const LIMIT = 64 * 1024;
  const base = { accept: "application/json" };
  const baseBytes = "accept".length + "application/json".length;
  // Fillers whose UTF-16 length and UTF-8 size differ: é (2 bytes), ✓ (3), 😀 (2 units, 4 bytes), a lone surrogate (3, as U+FFFD).
  for (const unit of ["a", "é", "✓", "😀", "\ud800"]) {
    for (const delta of [-1, 0, 1]) {
      const name = "x-filler";
      const room = LIMIT + delta - baseBytes - name.length;
      const count = Math.floor(room / utf8Length(unit));
      const value = unit.repeat(count) + "a".repeat(room - count * utf8Length(unit));
      assert.equal(utf8Length(name) + utf8Length(value) + baseBytes, LIMIT + delta);
      const request = { method: "GET", url: `${ORIGIN}/dashboard`, headers: { ...base, [name]: value } };
      const decision = guard.decide(request, { now, claims: admin.claims });
      assert.deepEqual(decision, full(request, { now, claims: admin.claims }), `${unit} ${delta}`);
      assert.equal(decision.reason === "headers-too-large", delta > 0, `${JSON.stringify(unit)} at limit${delta >= 0 ? "+" : ""}${delta}: ${decision.reason}`);
    }
  }
  assert.equal(utf8Length("a\ud800\udc00\udc00é"), 1 + 4 + 3 + 2);
});

test("unreadable records are 400 bad-request; an engine answer that is not a decision is 503", async () => {
  const guard = await createGuard(OPTIONS);
  assert.equal(guard.decide({ method: "GET", url: "not a url", headers: {} }).reason, "bad-request");
  assert.equal(guard.decide({ method: "GET", url: `${ORIGIN}/`, headers: { get entries() { throw new Error("boom"); } } }).status, 400);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(guard.decide({ method: "GET", url: `${ORIGIN}/dashboard`, headers: {} }, { claims: cyclic }).reason, "bad-request");
  const wasm = new (engine().WasmGuard)(JSON.stringify(OPTIONS));
  const reader = new DecisionReader();
  for (const junk of [new Uint8Array(0), new TextEncoder().encode("3:GET"), new Uint8Array([0xff, 0x00])]) {
    assert.deepEqual(reader.readCode(wasm.decide(junk), wasm).reason, "bad-request");
  }
  // Claims with a lone surrogate cross as U+FFFD, as they did through serde-wasm-bindgen.
  const odd = guard.decide({ method: "GET", url: `${ORIGIN}/admin`, headers: {} }, { now, claims: { ...admin.claims, note: "a\ud800" } });
  assert.equal(odd.action, "allow", JSON.stringify(odd));
  assert.equal(odd.auth.claims.note, "a\ufffd");
});

test("a claim beyond 2^53 crosses as JSON.parse reads it (serde-wasm-bindgen refused it: 503)", async () => {
  const guard = await createGuard(OPTIONS);
  const { token } = sessionToken(key, { role: "admin", now, extra: { big: 12345678901234567000 } });
  const decision = guard.decide({ method: "GET", url: `${ORIGIN}/admin`, headers: { authorization: `Bearer ${token}` } }, { now });
  assert.deepEqual([decision.status, decision.reason], [200, "authorized"], JSON.stringify(decision));
  assert.equal(decision.auth.claims.big, 12345678901234567000);
});

test("a URL taken as already normal is exactly what the URL parser gives back (generated URLs, mutated)", () => {
  const pick = (list) => list[rng.int(list.length)];
  const SCHEMES = ["https://", "http://", "HTTPS://", "Http://", "ftp://", "https:/", "https:", "ws://", "https:\\\\"];
  const LABELS = ["app", "example", "com", "a", "b1", "x-y", "-a", "a-", "xn--e1afmkfd", "xn--a", "XN--abc", "EXAMPLE", "0x7f", "1", "127", "09", "0", "localhost", "é", "a_b", "", "a%41", "[::1]", "a b"];
  const PORTS = ["", "", "", ":", ":0", ":80", ":443", ":8080", ":0443", ":65535", ":65536", ":x"];
  const UNITS = ["a", "Z", "0", "-", ".", "..", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", "%", "%2e", "%2E", "%2f", "%zz",
    "^", "|", "`", "{", "}", "[", "]", "<", ">", '"', " ", "\t", "\n", "\\", "é", "\u00a0", "\u2028", "\ud800", "😀", "/", "//", "?", "#", "\u0000", "\u007f"];
  const text = (max) => Array.from({ length: rng.int(max) }, () => pick(UNITS)).join("");
  const host = () => Array.from({ length: 1 + rng.int(3) }, () => pick(LABELS)).join(pick([".", ".", ".", "..", ""]));
  const path = () => Array.from({ length: rng.int(4) }, () => `/${rng.int(3) ? pick(["admin", "api", "a.b", "x", ".", "..", ".x", "x."]) : text(4)}`).join("");
  const generated = () => `${pick(SCHEMES)}${host()}${pick(PORTS)}${path()}${rng.int(3) ? "" : `?${text(6)}`}${rng.int(6) ? "" : `#${text(3)}`}`;
  const mutated = (url) => {
    const at = rng.int(url.length + 1);
    return rng.int(2) ? url.slice(0, at) + pick(UNITS) + url.slice(at) : url.slice(0, at) + url.slice(at + 1);
  };
  const THROWS = Symbol("throws");
  const outcome = (f) => {
    try {
      return f();
    } catch {
      return THROWS;
    }
  };
  let fast = 0;
  const base = ["https://app.example.com/admin/users", "https://a.b/c?d=e", "http://localhost/x/y/", "https://app.example.com/a..b/.x/x.?q=%zz/?"];
  for (let i = 0; i < 30000; i++) {
    let url = i % 2 ? generated() : pick(base);
    for (let m = rng.int(4); m > 0; m--) url = mutated(url);
    if (isAlreadyNormal(url)) fast++;
    const expected = outcome(() => new URL(url).href);
    assert.equal(outcome(() => normalisedUrl(url)), expected, `normalisedUrl(${JSON.stringify(url)})`);
  }
  // Both ways are exercised, or the comparison says little.
  assert.ok(fast > 3000 && fast < 27000, `${fast} of 30,000 taken as already normal`);
});
