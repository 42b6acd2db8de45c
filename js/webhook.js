// Clerk (svix) webhook verification through the Rust core: accepts exactly what
// `new Webhook(secret).verify(body, headers)` of `svix` 2.5 accepts, minus the documented stricter
// cases (README, "Webhooks"). Synchronous, never throws: every failure is `{ ok: false, reason }`.
import { EngineUnavailableError, discardEngine, engine, engineGeneration } from "./engine.js";

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;
// JavaScript dates end at ±8.64e15 ms; a clock beyond that is a bug, not a time.
const MAX_CLOCK_SECONDS = 8.64e12;
const SIGNATURE_HEADERS = new Set([
  "svix-id",
  "svix-timestamp",
  "svix-signature",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);
const utf8 = new TextEncoder();

function failure(reason, message) {
  return { ok: false, reason, message };
}

/**
 * @param {string} secret `whsec_…` signing secret of the endpoint
 * @param {Headers | Record<string, string>} headers
 * @param {string | Uint8Array} body the raw request body, exactly as received
 * @param {{ toleranceSeconds?: number, now?: number }} [options] `now` in unix seconds
 */
export function verifyWebhook(secret, headers, body, options) {
  if (typeof secret !== "string") {
    return failure("webhook-bad-secret", "the webhook signing secret must be a string starting with \"whsec_\"");
  }
  const times = readTimes(options);
  if (!times.ok) return times;
  const collected = collectSignatureHeaders(headers);
  if (!collected.ok) return collected;
  const bytes = bodyBytes(body);
  if (!bytes) {
    return failure("webhook-invalid-body", "the webhook body must be the raw request body as a string or Uint8Array");
  }
  let verdict;
  try {
    verdict = JSON.parse(
      engine().webhookVerify(secret, collected.names, collected.values, bytes, times.toleranceSeconds, times.now),
    );
  } catch (error) {
    const unavailable = error instanceof EngineUnavailableError ? error : discardEngine(error);
    return failure("engine-unavailable", unavailable.message);
  }
  if (!verdict || verdict.ok !== true) {
    return failure(verdict?.reason ?? "engine-unavailable", verdict?.message ?? "the engine gave no verdict");
  }
  const event = parseEvent(typeof body === "string" ? body : bytes);
  if (!event.ok) return event;
  return { ok: true, event: event.value, id: verdict.id, timestamp: verdict.timestamp };
}

/** `{ ok: true }` or `{ ok: false, reason: "webhook-bad-secret" | "engine-unavailable", message }`. */
export function checkWebhookSecret(secret) {
  if (typeof secret !== "string") {
    return failure("webhook-bad-secret", "the webhook signing secret must be a string starting with \"whsec_\"");
  }
  try {
    const verdict = JSON.parse(engine().webhookCheckSecret(secret));
    return verdict?.ok === true ? { ok: true } : failure("webhook-bad-secret", verdict?.message ?? "invalid secret");
  } catch (error) {
    const unavailable = error instanceof EngineUnavailableError ? error : discardEngine(error);
    return failure("engine-unavailable", unavailable.message);
  }
}

function readTimes(options) {
  const { toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS, now = Date.now() / 1000 } =
    options && typeof options === "object" ? options : {};
  if (typeof toleranceSeconds !== "number" || !(toleranceSeconds >= 0) || !(toleranceSeconds <= MAX_CLOCK_SECONDS)) {
    return failure("webhook-bad-options", `toleranceSeconds must be a number of seconds >= 0 (got ${String(toleranceSeconds)})`);
  }
  if (typeof now !== "number" || !(Math.abs(now) <= MAX_CLOCK_SECONDS)) {
    return failure("webhook-bad-options", `now must be unix seconds within the range of Dates (got ${String(now)})`);
  }
  // svix compares whole seconds: Math.floor(Date.now() / 1000).
  return { ok: true, toleranceSeconds: Math.floor(toleranceSeconds), now: Math.floor(now) };
}

/**
 * The entries svix would read, as parallel name/value arrays for the core (which picks svix-* over
 * webhook-* and applies the last-wins rule). A plain object goes through svix's own normalisation
 * (Object.keys, toLowerCase, a later key replaces an earlier one, null/undefined count as absent).
 * A Headers object is read through forEach (lower-case names, repeated headers joined by ", "):
 * svix itself sees no keys on a Headers object and rejects it, which helps nobody.
 */
function collectSignatureHeaders(headers) {
  const names = [];
  const values = [];
  try {
    if (headers === null || typeof headers !== "object") {
      return failure("webhook-missing-headers", "webhook headers must be a Headers object or a plain object");
    }
    const normalised = new Map();
    if (typeof headers.forEach === "function" && typeof headers.get === "function") {
      headers.forEach((value, name) => normalised.set(String(name).toLowerCase(), value));
    } else {
      for (const key of Object.keys(headers)) normalised.set(key.toLowerCase(), headers[key]);
    }
    for (const [name, value] of normalised) {
      // svix copies entries into a plain object: an own "__proto__" entry holding an object becomes
      // that object's prototype, and svix then reads signature headers from it. Refuse outright.
      if (name === "__proto__" && value !== null && (typeof value === "object" || typeof value === "function")) {
        return failure("webhook-missing-headers", "a \"__proto__\" header entry must not hold an object");
      }
      if (!SIGNATURE_HEADERS.has(name) || value === undefined || value === null) continue;
      if (typeof value !== "string") {
        return failure("webhook-missing-headers", `the ${name} header must be a string (got ${typeof value})`);
      }
      names.push(name);
      values.push(value);
    }
    return { ok: true, names, values };
  } catch (error) {
    return failure("webhook-missing-headers", `webhook headers could not be read: ${error?.message ?? error}`);
  }
}

// Tags rather than instanceof: bodies may come from another realm (Next's edge sandbox).
function bodyBytes(body) {
  if (typeof body === "string") return utf8.encode(body);
  const tag = Object.prototype.toString.call(body);
  if (tag === "[object Uint8Array]") return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (tag === "[object ArrayBuffer]") return new Uint8Array(body);
  return null;
}

// The core has already refused bodies that are not UTF-8; a BOM is kept, so JSON.parse refuses it
// as it refuses one in a string body.
function parseEvent(body) {
  try {
    const text =
      typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return failure("webhook-invalid-json", "the webhook body is signed correctly but is not JSON");
  }
}

/**
 * The default replay store: the core's bounded MemoryReplayStore in this isolate's wasm memory.
 * `remember(id, expiresAtSeconds, nowSeconds?)` → true the first time; `admit` says why not
 * ("seen", "full" or "unavailable"). If the engine is re-instantiated (after a trap) the old ids
 * are gone, so the store refuses everything until every id it had accepted has expired: svix
 * retries later, and nothing is accepted twice.
 */
export function createReplayStore({ capacity = 0 } = {}) {
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 0xffffffff) {
    throw new RangeError(`createReplayStore: capacity must be a non-negative integer (got ${String(capacity)})`);
  }
  let inner = null;
  let generation = -1;
  let latestExpiry = -Infinity;
  let quarantineUntil = -Infinity;

  function admit(id, expiresAtSeconds, nowSeconds = Date.now() / 1000) {
    if (typeof id !== "string" || typeof expiresAtSeconds !== "number" || typeof nowSeconds !== "number") {
      return "unavailable";
    }
    const now = Math.floor(nowSeconds);
    try {
      const glue = engine();
      if (inner === null || generation !== engineGeneration()) {
        if (inner !== null) quarantineUntil = latestExpiry;
        inner = new glue.WebhookReplayStore(capacity);
        generation = engineGeneration();
      }
      if (now < quarantineUntil) return "unavailable";
      const verdict = inner.admit(id, now, Math.floor(expiresAtSeconds));
      if (verdict === "fresh") latestExpiry = Math.max(latestExpiry, Math.floor(expiresAtSeconds));
      return verdict;
    } catch (error) {
      if (!(error instanceof EngineUnavailableError)) discardEngine(error);
      return "unavailable";
    }
  }

  return {
    admit,
    remember(id, expiresAtSeconds, nowSeconds) {
      return admit(id, expiresAtSeconds, nowSeconds) === "fresh";
    },
    get size() {
      return inner !== null && generation === engineGeneration() ? inner.size : 0;
    },
  };
}

/**
 * Records a verified message in `store`; `{ ok: true }` or a failure with reason `webhook-replay`,
 * `webhook-replay-store-full` or `webhook-replay-store-unavailable`. Awaits async stores (Redis).
 * The id is kept until its signature would expire anyway: signed timestamp + tolerance.
 */
export async function admitWebhook(store, verified, { toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS, now } = {}) {
  const nowSeconds = Math.floor(typeof now === "number" ? now : Date.now() / 1000);
  const expiresAt = verified.timestamp + Math.floor(toleranceSeconds);
  let verdict;
  try {
    verdict =
      typeof store.admit === "function"
        ? await store.admit(verified.id, expiresAt, nowSeconds)
        : (await store.remember(verified.id, expiresAt, nowSeconds)) === true
          ? "fresh"
          : "seen";
  } catch (error) {
    return failure("webhook-replay-store-unavailable", `the replay store failed: ${error?.message ?? error}`);
  }
  switch (verdict) {
    case "fresh":
      return { ok: true };
    case "seen":
      return failure("webhook-replay", `webhook message ${JSON.stringify(verified.id.slice(0, 80))} was already accepted (replay)`);
    case "full":
      return failure(
        "webhook-replay-store-full",
        "the replay store is full of unexpired ids: refusing new ones rather than forgetting one (raise its capacity or use a shared store)",
      );
    default:
      return failure("webhook-replay-store-unavailable", "the replay store cannot answer (refusing rather than risking a replay)");
  }
}
