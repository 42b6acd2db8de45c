// The request as it crosses into the core: one UTF-8 buffer of length-prefixed items holding only
// the headers the decision reads (plus the byte count of the others, for the size limit). See
// src/decision/wire.rs.
import { engine } from "./engine.js";

export function toRequestRecord(request) {
  if (!request || typeof request !== "object") throw new TypeError("request must be a Request or { method, url, headers }");
  const method = String(request.method ?? "GET").toUpperCase();
  return { method, url: normalisedUrl(String(request.url)), headers: request.headers };
}

/**
 * An http(s) URL that `new URL(url).href` gives back unchanged, checked without parsing it (the
 * parse was a tenth of a cached decision): lower-case scheme and host, the last host label starting
 * with a letter (so not an IPv4 address), no port, userinfo, `xn--` label or fragment; path segments
 * of characters the URL parser keeps as they are, none of them `.` or `..` and no `%` (`%2e` is a
 * dot to it); a query without `'`, spaces, quotes or angle brackets. Anything else is parsed.
 * tests/js/guard-wire.test.mjs checks the claim against the URL parser on generated URLs.
 */
const SEGMENT = String.raw`/(?!\.\.?(?:[/?]|$))[A-Za-z0-9\-._~!$&()*+,;=:@]*`;
const ALREADY_NORMAL = new RegExp(
  String.raw`^https?://(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*(?:${SEGMENT})+(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$`,
);

export const isAlreadyNormal = (url) => ALREADY_NORMAL.test(url) && !url.includes("xn--");

export function normalisedUrl(url) {
  return isAlreadyNormal(url) ? url : new URL(url).href;
}

// The header names the core reads (src/decision/request.rs DECISION_HEADERS), from the engine
// itself so the two lists cannot drift; fetched once, the list is fixed per build.
let wantedHeaders = null;
/** Throws EngineUnavailableError (or the trap) when the engine cannot answer. */
export function decisionHeaders() {
  wantedHeaders ??= new Set(engine().decisionHeaders());
  return wantedHeaders;
}

const NON_ASCII = /[^\u0000-\u007f]/;
/** Whether the core may read this header: a listed name in any case, or a non-ASCII name (the
 *  webhook check lower-cases with Unicode rules, where `\u212a` is a `k`): those are rare and
 *  always sent rather than second-guessed. */
export function isWanted(name, wanted) {
  if (wanted.has(name)) return true;
  const lower = name.toLowerCase();
  return (lower !== name && wanted.has(lower)) || NON_ASCII.test(name);
}

/** Under this many UTF-16 units in all headers, their UTF-8 size (≤ 3 bytes a unit) cannot reach
 *  the core's 64 KiB limit, so the omitted headers' size need not be counted exactly. */
const EXACT_SIZE_FROM_UNITS = Math.floor((64 * 1024) / 3);

const encoder = new TextEncoder();
// One buffer reused for every request (the guard hands it straight to the glue, which copies it into
// wasm memory before the next record is written): a fresh one per call cost more than encoding.
// Records that might not fit get their own buffer, so the shared one stays 64 KiB.
const SHARED_BUFFER_BYTES = 64 * 1024;
let shared = null;

/** `text` as UTF-8 (lone surrogates as U+FFFD), in the shared buffer when it fits for sure. */
function utf8(text) {
  if (text.length * 3 > SHARED_BUFFER_BYTES) return encoder.encode(text);
  shared ??= new Uint8Array(SHARED_BUFFER_BYTES);
  const { written } = encoder.encodeInto(text, shared);
  return shared.subarray(0, written);
}

/** One item of the wire format: its length in UTF-16 units (JavaScript's `length`), `:`, the text. */
const item = (text) => `${text.length}:${text}`;

/**
 * The decision's input as one UTF-8 buffer (format: src/decision/wire.rs):
 * method, url, headerCount, (name, value)…, nowMs, flags, [claims JSON], [body], omittedHeaderBytes.
 */
export function wireRecord(record, context, wanted) {
  let headers = "";
  let count = 0;
  let units = 0;
  let omittedUnits = 0;
  forEachHeader(record.headers, (name, value) => {
    const size = name.length + value.length;
    units += size;
    if (isWanted(name, wanted)) {
      headers += item(name) + item(value);
      count += 1;
    } else omittedUnits += size;
  });
  let omittedBytes = omittedUnits;
  if (omittedUnits > 0 && units > EXACT_SIZE_FROM_UNITS) {
    omittedBytes = 0;
    forEachHeader(record.headers, (name, value) => {
      if (!isWanted(name, wanted)) omittedBytes += utf8Length(name) + utf8Length(value);
    });
  }
  const nowMs = typeof context.now === "number" ? context.now * 1000 : Date.now();
  let flags = 0;
  let tail = "";
  if (Object.prototype.hasOwnProperty.call(context, "claims")) {
    flags |= 1;
    if (context.claims && typeof context.claims === "object") {
      flags |= 2;
      tail += item(JSON.stringify(context.claims));
    }
  }
  if (typeof context.body === "string") {
    flags |= 4;
    tail += item(context.body);
  }
  const text = item(record.method) + item(record.url) + item(String(count)) + headers + item(String(nowMs)) + item(String(flags)) + tail + item(String(omittedBytes));
  return utf8(text);
}

function forEachHeader(headers, visit) {
  if (!headers) return;
  if (typeof headers.entries === "function" && typeof headers.get === "function") {
    for (const [k, v] of headers.entries()) visit(String(k), String(v));
    return;
  }
  for (const [k, v] of Object.entries(headers)) visit(String(k), Array.isArray(v) ? v.join(", ") : String(v));
}

/** Bytes of `text` as UTF-8 once it crosses into wasm (a lone surrogate becomes U+FFFD: 3). */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
