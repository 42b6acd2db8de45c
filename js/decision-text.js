// The Decision's text out of the core (format: src/decision/decision_text.rs) → the Decision object.
//
// The core sends a cached session's auth as a serial number: the parsed object is kept here under
// it, so the claims are parsed once per session token, not once per request. That object is then
// shared by every decision of the token, and frozen (deeply) so no caller can change what the
// next decision reports. The envelopes (action, status, headers, reason, rule) repeat too, and are
// kept by their text; each decision gets its own object and its own `headers`.

const MAX_ENVELOPES = 256;
const MAX_AUTHS = 1024; // the core's default token cache size: one parsed auth per cached token

export class DecisionReader {
  #envelopes = new Map();
  #auths = new Map();

  /**
   * The Decision, or null when the text is not a decision (the caller answers 503).
   * `lastAuth()` returns the JSON text of the auth whose serial was just sent (WasmGuard.lastAuth);
   * the serials belong to one wasm instance: a reader serves one guard handle only.
   */
  read(text, lastAuth) {
    const split = typeof text === "string" ? text.indexOf("\n") : -1;
    if (split < 0) return null;
    const envelope = this.#envelope(text.slice(0, split));
    if (!envelope) return null;
    const authPart = text.slice(split + 1);
    let auth = null;
    if (authPart !== "") {
      auth = authPart.charCodeAt(0) === 0x7b /* { */ ? authFrom(authPart) : this.#sharedAuth(authPart, lastAuth);
      if (!auth) return null;
    }
    const decision = { action: envelope.action, status: envelope.status };
    if (envelope.location !== undefined) decision.location = envelope.location;
    decision.headers = { ...envelope.headers };
    decision.reason = envelope.reason;
    decision.rule = envelope.rule;
    decision.auth = auth;
    if (envelope.nonce !== undefined) decision.nonce = envelope.nonce;
    return decision;
  }

  #envelope(text) {
    const known = this.#envelopes.get(text);
    if (known) return known;
    const envelope = parseObject(text);
    if (!envelope || typeof envelope.action !== "string" || !envelope.headers || typeof envelope.headers !== "object") return null;
    // A CSP nonce makes every text unique: nothing to gain from keeping those.
    if (envelope.nonce === undefined) remember(this.#envelopes, text, Object.freeze(envelope), MAX_ENVELOPES);
    return envelope;
  }

  #sharedAuth(serial, lastAuth) {
    const known = this.#auths.get(serial);
    if (known) return known;
    const auth = authFrom(lastAuth());
    if (auth) remember(this.#auths, serial, auth, MAX_AUTHS);
    return auth;
  }
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
