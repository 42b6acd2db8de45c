// The Decision out of the core (format: src/decision/decision_text.rs), a number or a text → the
// Decision object.
//
// The core sends a cached session's auth as a serial number: the parsed object is kept here under
// it, so the claims are parsed once per session token, not once per request. That object is then
// shared by every decision of the token, and frozen (deeply) so no caller can change what the
// next decision reports. The envelopes (action, status, headers, reason, rule) repeat too: they
// cross as ids the same way; each decision gets its own object and its own `headers`.

const MAX_ENVELOPES = 256; // the core's writer keeps as many ids
const MAX_AUTHS = 1024; // the core's default token cache size: one parsed auth per cached token

const TWO_32 = 2 ** 32;

export class DecisionReader {
  #envelopes = new Map(); // envelope id → frozen envelope
  #auths = new Map(); // auth serial → frozen Auth

  /**
   * The Decision from what WasmGuard.decide returned: the number form (envelope id × 2^32 + auth
   * serial, 0 for no auth), or -1 when the decision crossed as text (`source.lastText()`). Null when
   * it is neither (the caller answers 503).
   */
  readCode(code, source) {
    if (code === -1) return this.read(source.lastText(), source);
    if (typeof code !== "number" || !Number.isSafeInteger(code) || code < 0) return null;
    const envelopeId = Math.floor(code / TWO_32);
    const serial = code - envelopeId * TWO_32;
    const envelope = this.#sharedEnvelope(envelopeId, source);
    if (!envelope) return null;
    const auth = serial === 0 ? null : this.#sharedAuth(serial, source);
    return auth === undefined ? null : decisionFrom(envelope, auth);
  }

  /**
   * The Decision from its text form, or null when the text is not a decision.
   * `source`: the WasmGuard that wrote the text; its `lastEnvelope()` / `lastAuth()` give the JSON
   * text of an envelope id / auth serial this reader has not seen. Ids and serials belong to one
   * wasm instance: a reader serves one guard handle only.
   */
  read(text, source) {
    const split = typeof text === "string" ? text.indexOf("\n") : -1;
    if (split < 0) return null;
    const envelopePart = text.slice(0, split);
    const envelope = isJson(envelopePart) ? envelopeFrom(envelopePart) : isId(envelopePart) && this.#sharedEnvelope(idOf(envelopePart), source);
    if (!envelope) return null;
    const authPart = text.slice(split + 1);
    let auth = null;
    if (authPart !== "") {
      auth = isJson(authPart) ? authFrom(authPart) : isId(authPart) && this.#sharedAuth(idOf(authPart), source);
      if (!auth) return null;
    }
    return decisionFrom(envelope, auth);
  }

  /** `id`: a number, or null for one too large to name exactly (then nothing is kept under it). */
  #sharedEnvelope(id, source) {
    const known = id === null ? undefined : this.#envelopes.get(id);
    if (known) return known;
    const envelope = envelopeFrom(source.lastEnvelope());
    if (envelope && id !== null) remember(this.#envelopes, id, Object.freeze(envelope), MAX_ENVELOPES);
    return envelope;
  }

  #sharedAuth(serial, source) {
    const known = serial === null ? undefined : this.#auths.get(serial);
    if (known) return known;
    const auth = authFrom(source.lastAuth());
    if (auth && serial !== null) remember(this.#auths, serial, auth, MAX_AUTHS);
    return auth ?? undefined;
  }
}

function decisionFrom(envelope, auth) {
  const decision = { action: envelope.action, status: envelope.status };
  if (envelope.location !== undefined) decision.location = envelope.location;
  decision.headers = { ...envelope.headers };
  decision.reason = envelope.reason;
  decision.rule = envelope.rule;
  decision.auth = auth;
  if (envelope.nonce !== undefined) decision.nonce = envelope.nonce;
  return decision;
}

/** An id's digits as a number, or null when the number would not be exact. */
function idOf(digits) {
  const id = Number(digits);
  return Number.isSafeInteger(id) ? id : null;
}

const isJson = (part) => part.charCodeAt(0) === 0x7b; /* { */
const ID = /^[0-9]{1,20}$/;
const isId = (part) => ID.test(part);

/** The parsed envelope, or null when the text is not one. */
function envelopeFrom(text) {
  const envelope = parseObject(text);
  const ok = envelope && typeof envelope.action === "string" && envelope.headers && typeof envelope.headers === "object";
  return ok ? envelope : null;
}

/** The parsed, deeply frozen Auth, or null when the text is not one. */
function authFrom(text) {
  const auth = parseObject(text);
  return auth && typeof auth.userId === "string" ? deepFreeze(auth) : null;
}

function parseObject(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Oldest entry out first: a bounded map, in insertion order. */
function remember(map, key, value, max) {
  if (map.size >= max) map.delete(map.keys().next().value);
  map.set(key, value);
}

export function deepFreeze(value) {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}
