// Seeded generator of svix webhook deliveries, honest and hostile, for the differential test.
// Every case is signed by the real `svix` package; then secret, headers, timestamp, signature list
// and body are mutated the ways a sender, a proxy or an attacker could.
import { Webhook } from "svix";
import { mulberry32 } from "../support/mulberry32.mjs";

export const TOLERANCE = 300;
// JavaScript Dates end at 8.64e15 ms.
export const MAX_DATE_SECONDS = 8.64e12;

/** mulberry32: small, fast, reproducible. */
export function prng(seed) {
  const next = mulberry32(seed >>> 0);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  const bytes = (n) => Uint8Array.from({ length: n }, () => int(0, 255));
  return { next, int, pick, chance, bytes };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randomText = (r, n, alphabet = ALNUM) => Array.from({ length: n }, () => r.pick(alphabet)).join("");

export function newSecret(r) {
  const key = Buffer.from(r.bytes(r.pick([24, 32, 32, 16, 64, 1, 100])));
  return `whsec_${key.toString("base64")}`;
}

/** The secret the verifier is configured with: usually the signer's, sometimes mangled. */
function verifierSecret(r, secret) {
  if (!r.chance(0.12)) return secret;
  const encoded = secret.slice("whsec_".length);
  const flipChar = (s, i, c) => s.slice(0, i) + c + s.slice(i + 1);
  return r.pick([
    () => newSecret(r), // another endpoint's secret
    () => encoded, // no prefix: svix decodes it anyway
    () => `${secret}\n`, // env file with a trailing newline
    () => ` ${secret}`,
    () => secret.replace(/=+$/, ""), // unpadded
    () => `${secret}=`,
    () => `${secret}===`,
    () => `${secret}A`,
    () => `${secret}!`,
    () => `${secret}é`,
    () => `${secret}😀`,
    () => flipChar(secret, secret.length - 2, r.pick("AQgwBRhx+/-_")), // trailing bits / url-safe
    () => flipChar(secret, r.int(6, secret.length - 1), r.pick("-_.= é")),
    () => "whsec_",
    () => "",
    () => "WHSEC_" + encoded,
    () => "whsec_whsec_" + encoded,
    () => "whsec_" + encoded.slice(0, r.int(0, 3)),
  ])();
}

function randomEvent(r, unicode) {
  const word = () => (unicode && r.chance(0.4) ? r.pick(["é", "☃", "日本", "😀", "\u0000", "\\", '"', "\u2028"]) : "") + randomText(r, r.int(1, 12));
  return {
    type: r.pick(["user.created", "user.updated", "session.created", "organization.deleted", word()]),
    object: "event",
    data: Object.fromEntries(Array.from({ length: r.int(0, 6) }, () => [word(), r.chance(0.5) ? word() : r.int(-1e6, 1e6)])),
    timestamp: r.int(0, 2e12),
  };
}

const isUtf8 = (bytes) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** `{ signed, verified, bodyKind }`: what svix signs and what arrives (string or Buffer). */
function makeBody(r) {
  const kind = r.pick([
    "json", "json", "json", "json-unicode", "json-unicode", "empty", "text", "invalid-utf8", "bom-json",
    "lone-surrogate", "json-bytes", "big",
  ]);
  let signed;
  switch (kind) {
    case "json": signed = JSON.stringify(randomEvent(r, false)); break;
    case "json-unicode": signed = JSON.stringify(randomEvent(r, true), null, r.chance(0.3) ? 2 : undefined); break;
    case "empty": signed = ""; break;
    case "text": signed = r.pick(["hello", "{", "[1,2", "null", "1e5", "  {}  ", "\"s\"", randomText(r, 20)]); break;
    case "invalid-utf8": signed = Buffer.from(r.bytes(r.int(1, 64))); break;
    case "bom-json": signed = `\uFEFF${JSON.stringify(randomEvent(r, false))}`; break;
    case "lone-surrogate": signed = '{"type":"x\uD800y","data":{}}'; break; // JSON.stringify would escape it
    case "json-bytes": signed = Buffer.from(JSON.stringify(randomEvent(r, true))); break;
    case "big": signed = r.chance(0.08) ? JSON.stringify({ type: "big", data: { blob: "x".repeat(1 << 20) } }) : JSON.stringify(randomEvent(r, true)); break;
  }
  let verified = signed;
  if (r.chance(0.25)) verified = tamper(r, signed);
  if (typeof verified === "string" && r.chance(0.25)) verified = Buffer.from(verified);
  return { signed, verified, kind };
}

function tamper(r, body) {
  const bytes = Buffer.from(body);
  return r.pick([
    () => {
      if (bytes.length === 0) return Buffer.from([r.int(0, 255)]);
      const copy = Buffer.from(bytes);
      const bit = r.int(0, copy.length * 8 - 1);
      copy[bit >> 3] ^= 1 << (bit & 7);
      return copy;
    },
    () => (typeof body === "string" ? `${body} ` : Buffer.concat([bytes, Buffer.from(" ")])),
    () => (typeof body === "string" ? body.slice(0, -1) : bytes.subarray(0, Math.max(0, bytes.length - 1))),
    () => (typeof body === "string" ? body.replace("\uFFFD", "\uD800") : Buffer.from(bytes)),
  ])();
}

function timestampText(r, t) {
  const s = String(t);
  if (!r.chance(0.3)) return s;
  return r.pick([
    () => "0".repeat(r.int(1, 40)) + s,
    () => r.pick([" ", "\t", "\n", "\r", "\v", "\f", "\u00A0", "\uFEFF", "\u2028", "\u3000", "\u1680", "\u205F", "\u0085", "\u200B", "\u180E"]) + s,
    () => `+${s}`,
    () => `-${s}`,
    () => `${s}${r.pick([".5", ".999", "abc", "e3", " ", "\u0000", "5", ".0", ",1", " 123"])}`,
    () => `0x${t.toString(16)}`,
    () => "",
    () => " ",
    () => r.pick(["NaN", "Infinity", "-Infinity", "1e400", "١٢٣", "１２３"]),
    () => "9".repeat(r.int(16, 400)),
    () => `-${"9".repeat(r.int(16, 400))}`,
    () => String(t + r.pick([-1, 1])),
    () => `${s}, ${s}`,
  ])();
}

function signatureList(r, svixSignature, badSecret) {
  const sig = svixSignature.slice(3);
  const randomSig = () => Buffer.from(r.bytes(32)).toString("base64");
  const entry = () =>
    r.pick([
      () => `v1,${randomSig()}`,
      () => `v1,${randomSig()}`,
      () => `v2,${sig}`,
      () => `V1,${sig}`,
      () => `v1a,${sig}`,
      () => `v1,${sig.replace(/=$/, "")}`,
      () => `v1,${sig},${randomText(r, 4)}`,
      () => `v1,${sig.toLowerCase()}`,
      () => "v1,",
      () => "v1",
      () => "",
      () => `v1,${badSecret}`,
      () => randomText(r, r.int(1, 50), `${ALNUM}+/=,; `),
      () => `v1,${sig}\u0000`,
    ])();
  const entries = Array.from({ length: r.int(0, 3) }, entry);
  if (r.chance(0.75)) entries.splice(r.int(0, entries.length), 0, svixSignature);
  const separator = r.chance(0.85) ? " " : r.pick(["  ", "\t", ", ", ",", " \u00A0"]);
  let list = entries.join(separator);
  if (r.chance(0.05)) list = ` ${list} `;
  return list;
}

function randomCase(r, name) {
  return [...name]
    .map((c) => {
      if (c === "k" && r.chance(0.05)) return "\u212A"; // Kelvin sign: toLowerCase() gives "k"
      return r.chance(0.3) ? c.toUpperCase() : c;
    })
    .join("");
}

/** The header entries, in order: [name, value] with value possibly undefined, null or a number. */
function headerEntries(r, id, timestamp, signature) {
  const right = { id, timestamp, signature };
  const wrong = { id: `${id}x`, timestamp: String(Number(timestamp) + 1), signature: `v1,${Buffer.from(r.bytes(32)).toString("base64")}` };
  const style = r.pick(["svix", "svix", "svix", "webhook", "both", "both-conflict"]);
  const entries = [];
  const add = (brand, field, value) => entries.push([randomCase(r, `${brand}-${field}`), value]);
  for (const field of ["id", "timestamp", "signature"]) {
    if (r.chance(0.04)) continue; // missing
    let value = right[field];
    if (r.chance(0.03)) value = "";
    if (r.chance(0.02)) value = r.pick([undefined, null]);
    if (r.chance(0.02)) value = field === "timestamp" ? Number(timestamp) || 0 : r.pick([123, [value], { toString: () => value }]);
    if (r.chance(0.05)) add(r.pick(["svix", "webhook"]), field, wrong[field]); // an earlier duplicate
    if (style === "svix" || style === "both") add("svix", field, value);
    if (style === "webhook" || style === "both") add("webhook", field, value);
    if (style === "both-conflict") {
      const svixFirst = r.chance(0.5);
      if (svixFirst) add("svix", field, r.chance(0.5) ? value : wrong[field]);
      add("webhook", field, r.chance(0.5) ? value : wrong[field]);
      if (!svixFirst) add("svix", field, r.chance(0.5) ? value : wrong[field]);
    }
    if (r.chance(0.05)) add(r.pick(["svix", "webhook"]), field, wrong[field]); // a later duplicate
  }
  if (r.chance(0.3)) entries.push(["content-type", "application/json"], ["user-agent", "Svix-Webhooks/1.0"]);
  // Shuffle a little: order decides which duplicate wins.
  if (r.chance(0.2)) entries.reverse();
  return entries;
}

function container(r, entries) {
  if (r.chance(0.4)) {
    try {
      const headers = new Headers();
      for (const [name, value] of entries) if (value !== undefined && value !== null) headers.append(name, value);
      return { headers, kind: "Headers" };
    } catch {
      // a name or value Headers refuses (Kelvin sign, NUL): fall through to a plain object
    }
  }
  const headers = {};
  for (const [name, value] of entries) headers[name] = value;
  return { headers, kind: "object" };
}

function clock(r) {
  const seconds = r.pick([
    () => r.int(1_000_000_000, 2_000_000_000),
    () => r.int(1_000_000_000, 2_000_000_000),
    () => r.int(1_000_000_000, 2_000_000_000),
    () => r.int(1_000_000_000, 2_000_000_000),
    () => r.int(0, 700),
    () => MAX_DATE_SECONDS - r.int(0, 700),
  ])();
  return seconds * 1000 + r.int(0, 999);
}

function signingTime(r, nowSeconds) {
  const delta = r.pick([
    0, 0, r.int(-TOLERANCE, TOLERANCE), r.int(-TOLERANCE, TOLERANCE), -TOLERANCE, TOLERANCE,
    -TOLERANCE - 1, TOLERANCE + 1, r.int(TOLERANCE + 1, 1e6), -r.int(TOLERANCE + 1, 1e6),
  ]);
  return Math.min(nowSeconds + delta, MAX_DATE_SECONDS);
}

/** A genuine delivery, as svix sends it: the baseline the hostile variations are measured against. */
function honestCase(r, index) {
  const secret = newSecret(r);
  const nowMs = r.int(1_000_000_000, 2_000_000_000) * 1000 + r.int(0, 999);
  const t = Math.floor(nowMs / 1000) + r.int(-TOLERANCE, TOLERANCE);
  const id = `msg_${randomText(r, 27)}`;
  const body = JSON.stringify(randomEvent(r, r.chance(0.5)));
  const signature = new Webhook(secret).sign(id, new Date(t * 1000), body);
  const entries = [["svix-id", id], ["svix-timestamp", String(t)], ["svix-signature", signature]].map(([name, value]) => [
    r.chance(0.2) ? randomCase(r, name) : name,
    value,
  ]);
  const { headers, kind } = container(r, entries);
  const verified = r.chance(0.3) ? Buffer.from(body) : body;
  return { index, secret, signingSecret: secret, id, headers, headersKind: kind, body: verified, bodyKind: "honest", plainBytes: false, bodyIsUtf8: true, nowMs };
}

export function generateCase(r, index) {
  if (r.chance(0.2)) return honestCase(r, index);
  const secret = newSecret(r);
  const nowMs = clock(r);
  const nowSeconds = Math.floor(nowMs / 1000);
  const id = r.pick([
    () => `msg_${randomText(r, 27)}`,
    () => `msg_${randomText(r, 27)}`,
    () => randomText(r, r.int(1, 5), "ab.é😀 ,"),
    () => "msg.with.dots",
    () => "lone\uD800surrogate",
  ])();
  const t = signingTime(r, nowSeconds);
  const body = makeBody(r);
  const signature = new Webhook(secret).sign(id, new Date(t * 1000), body.signed);
  const badSignature = new Webhook(newSecret(r)).sign(id, new Date(t * 1000), body.signed).slice(3);
  const entries = headerEntries(r, id, timestampText(r, t), signatureList(r, signature, badSignature));
  const { headers, kind } = container(r, entries);
  let verified = body.verified;
  const plainBytes = typeof verified !== "string" && r.chance(0.1);
  return {
    index,
    secret: verifierSecret(r, secret),
    signingSecret: secret,
    id,
    headers,
    headersKind: kind,
    body: verified,
    bodyKind: body.kind,
    plainBytes,
    bodyIsUtf8: typeof verified === "string" || isUtf8(verified),
    nowMs,
  };
}

/** Hand-written hostile deliveries, run before the random ones. */
export function hostileCases() {
  const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
  const now = 1_700_000_000;
  const body = JSON.stringify({ type: "user.created", object: "event", data: { id: "user_1" } });
  const sign = (id, t, payload = body, s = secret) => new Webhook(s).sign(id, new Date(t * 1000), payload);
  const base = (extra) => ({ index: -1, secret, signingSecret: secret, id: "msg_1", body, bodyKind: "json", plainBytes: false, bodyIsUtf8: true, nowMs: now * 1000, headersKind: "object", ...extra });
  const h = (id, t, sig) => ({ "svix-id": id, "svix-timestamp": t, "svix-signature": sig });
  const cases = [
    base({ headers: h("msg_1", String(now), sign("msg_1", now)) }),
    base({ headers: h("msg_1", String(now - 300), sign("msg_1", now - 300)), nowMs: now * 1000 + 999 }),
    base({ headers: h("msg_1", String(now - 301), sign("msg_1", now - 301)) }),
    base({ headers: h("msg_1", String(now + 300), sign("msg_1", now + 300)) }),
    base({ headers: h("msg_1", String(now + 301), sign("msg_1", now + 301)), nowMs: now * 1000 + 999 }),
    base({ headers: h("msg_1", `000${now}.999xyz`, sign("msg_1", now)) }),
    base({ headers: h("msg_1", `\uFEFF\u3000+${now}`, sign("msg_1", now)) }),
    base({ headers: h("msg_1", `\u0085${now}`, sign("msg_1", now)) }),
    base({ headers: h("msg_1", "-0", sign("msg_1", 0)), nowMs: 100_000 }),
    base({ headers: h("msg_1", "-5", sign("msg_1", -5)), nowMs: 100_000 }),
    base({ headers: h("msg_1", "1" + "0".repeat(400), sign("msg_1", now)) }),
    base({ headers: h("msg_1", String(now), `v2,${sign("msg_1", now).slice(3)}`) }),
    base({ headers: h("msg_1", String(now), `v1,garbage v1,${"A".repeat(43)}= ${sign("msg_1", now)}`) }),
    base({ headers: h("msg_1", String(now), `${sign("msg_1", now)},trailing`) }),
    base({ headers: h("msg_1", String(now), `v1,${sign("msg_1", now).slice(3)}, v1,other`) }),
    base({ headers: { "Svix-Id": "msg_1", "SVIX-TIMESTAMP": String(now), "svix-Signature": sign("msg_1", now) } }),
    base({ headers: { "webhook-id": "msg_1", "webhook-timestamp": String(now), "webhook-signature": sign("msg_1", now) } }),
    base({ headers: { "webhoo\u212A-id": "msg_1", "webhook-timestamp": String(now), "webhook-signature": sign("msg_1", now) } }),
    base({ headers: { "svix-id": "", "webhook-id": "msg_1", "svix-timestamp": String(now), "svix-signature": sign("msg_1", now) } }),
    base({ headers: { "svix-id": undefined, "webhook-id": "msg_1", "svix-timestamp": String(now), "svix-signature": sign("msg_1", now) } }),
    base({ headers: { "SVIX-ID": "msg_1", "svix-id": undefined, "svix-timestamp": String(now), "svix-signature": sign("msg_1", now) } }),
    base({ headers: { "svix-id": "msg_1", "svix-timestamp": now, "svix-signature": sign("msg_1", now) } }),
    base({ headers: JSON.parse(JSON.stringify({ ...h("msg_1", String(now), sign("msg_1", now)), "svix-id": undefined, "webhook-id": "msg_1" }).replace("{", '{"__proto__":{"svix-id":"evil"},')) }),
    base({ headers: JSON.parse(`{"__proto__":{"svix-id":"msg_1"},"svix-timestamp":"${now}","svix-signature":"${sign("msg_1", now)}"}`) }),
    base({ headers: { __proto__: null, ...h("msg_1", String(now), sign("msg_1", now)) } }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now)), secret: secret.slice(6) }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now)), secret: `${secret.slice(0, -1)}B` }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now)), secret: `${secret}\n` }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now, "")), body: "", bodyKind: "empty" }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now, Buffer.from([0xff, 0xfe, 0x41]))), body: Buffer.from([0xff, 0xfe, 0x41]), bodyIsUtf8: false, bodyKind: "invalid-utf8" }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now, Buffer.from([0xed, 0xa0, 0x80]))), body: Buffer.from([0xed, 0xa0, 0x80]), bodyIsUtf8: false, bodyKind: "invalid-utf8" }),
    base({ headers: h("msg_1", String(now), sign("msg_1", now)), body: Buffer.from(body), plainBytes: true }),
    base({ headers: new Headers(h("msg_1", String(now), sign("msg_1", now))), headersKind: "Headers" }),
    base({ headers: h("msg_1", String(MAX_DATE_SECONDS + 10), sign("msg_1", MAX_DATE_SECONDS + 10)), nowMs: (MAX_DATE_SECONDS + 10) * 1000 }),
  ];
  return cases.map((c, i) => ({ ...c, index: -(i + 1) }));
}
