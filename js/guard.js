// createGuard / validatePolicy / GuardError: the policy-driven decision, fail-closed around the core.
import { discardEngine, engine, engineGeneration, EngineUnavailableError } from "./engine.js";
import { DecisionReader, deepFreeze } from "./decision-text.js";
import { decisionHeaders, toRequestRecord, wireRecord } from "./guard-wire.js";

export class GuardError extends Error {
  constructor(message, errors = []) {
    super(message);
    this.name = "GuardError";
    /** Every problem found, as { path, message }. */
    this.errors = errors;
  }
}

/** Validates a policy (object or JSON text) without creating a guard. Never throws. */
export function validatePolicy(policy) {
  let text;
  try {
    text = typeof policy === "string" ? policy : JSON.stringify(policy);
  } catch (error) {
    return { ok: false, errors: [{ path: "$", message: `policy is not serialisable: ${error.message}` }], warnings: [] };
  }
  if (typeof text !== "string") {
    return { ok: false, errors: [{ path: "$", message: "policy must be an object or JSON text" }], warnings: [] };
  }
  try {
    return engine().validatePolicy(text);
  } catch (error) {
    if (!(error instanceof EngineUnavailableError)) discardEngine(error);
    return { ok: false, errors: [{ path: "$", message: `edgeguard engine unavailable: ${error.message}` }], warnings: [] };
  }
}

/**
 * Creates a guard; rejects with GuardError listing every policy/option error.
 * Options: { policy, jwtKey?, jwks?, authorizedParties?, issuer?, audience?, clockSkewInMs?,
 *            webhookSecrets?, onAudit?(event) }.
 */
export async function createGuard(options) {
  if (!options || typeof options !== "object") throw new GuardError("createGuard needs an options object with a policy");
  const { onAudit, ...rest } = options;
  const policy = typeof rest.policy === "string" ? safeParse(rest.policy) : rest.policy;
  const optionsJson = JSON.stringify({ ...rest, policy: rest.policy });
  const handle = buildHandle(optionsJson);
  return new Guard(optionsJson, handle, policy, onAudit ?? defaultAudit);
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function buildHandle(optionsJson) {
  const glue = engine();
  try {
    return { wasm: new glue.WasmGuard(optionsJson), generation: engineGeneration(), reader: new DecisionReader() };
  } catch (error) {
    if (Array.isArray(error)) {
      const lines = error.map((e) => `  ${e.path}: ${e.message}`).join("\n");
      throw new GuardError(`edgeguard: invalid configuration (${error.length} error${error.length === 1 ? "" : "s"}):\n${lines}`, error);
    }
    throw discardEngine(error);
  }
}

/** explain()'s `{ decision, trace }` JSON text; its auth frozen as decide()'s is. Null if garbage. */
function readExplained(text) {
  let result;
  try {
    result = typeof text === "string" ? JSON.parse(text) : null;
  } catch {
    return null;
  }
  const auth = result?.decision?.auth;
  if (auth === null || auth === undefined) return result;
  if (typeof auth !== "object" || typeof auth.userId !== "string") return null;
  deepFreeze(auth);
  return result;
}

function defaultAudit(event) {
  console.log(JSON.stringify(event));
}

const ENGINE_UNAVAILABLE = Object.freeze({
  action: "deny",
  status: 503,
  headers: { "Cache-Control": "no-store" },
  reason: "engine-unavailable",
  rule: null,
  auth: null,
});

export class Guard {
  #optionsJson;
  #handle;
  #onAudit;
  #logged;

  constructor(optionsJson, handle, policy, onAudit) {
    this.#optionsJson = optionsJson;
    this.#handle = handle;
    this.#onAudit = onAudit;
    this.#logged = new Set(handle.wasm.loggedRules());
    /** The policy object this guard enforces. */
    this.policy = policy;
    /** Validation warnings ({ path, message }) found when the guard was created. */
    this.warnings = handle.wasm.warnings();
  }

  /** Synchronous decision for one request. Never throws; any failure is a 503 deny. */
  decide(request, context = {}) {
    return this.#run("decide", request, context);
  }

  /** The decision plus a trace of every rule and requirement checked. Never throws. */
  explain(request, context = {}) {
    const result = this.#run("explain", request, context);
    return result.decision ? result : { decision: result, trace: [`engine: ${result.reason}`] };
  }

  #run(verb, request, context) {
    let wanted;
    try {
      wanted = decisionHeaders();
    } catch (error) {
      discardEngine(error);
      return this.#unavailable();
    }
    let record;
    let wire;
    try {
      record = toRequestRecord(request);
      wire = wireRecord(record, context, wanted);
    } catch {
      const decision = { ...ENGINE_UNAVAILABLE, status: 400, reason: "bad-request", headers: { "Cache-Control": "no-store" } };
      return verb === "explain" ? { decision, trace: ["request record could not be read"] } : decision;
    }
    let result;
    try {
      const handle = this.#live();
      const answer = handle.wasm[verb](wire);
      result = verb === "explain" ? readExplained(answer) : handle.reader.readCode(answer, handle.wasm);
    } catch (error) {
      discardEngine(error);
      return this.#unavailable();
    }
    const decision = verb === "explain" ? result?.decision : result;
    if (!decision || typeof decision !== "object" || typeof decision.action !== "string") {
      return this.#unavailable(); // garbage out of the engine: a deny
    }
    if (decision.rule && this.#logged.has(decision.rule)) this.#audit(decision, record);
    return result;
  }

  /** The 503 deny; explain() wraps it into { decision, trace } itself. */
  #unavailable() {
    return { ...ENGINE_UNAVAILABLE, headers: { ...ENGINE_UNAVAILABLE.headers } };
  }

  #live() {
    // engine() first: after a trap or a failed load it instantiates anew (the generation moves on),
    // and only then can a handle of the old instance be recognised as dead. Checked the other way
    // round, the old handle's pointer would be used against the new instance's memory.
    engine(); // throws EngineUnavailableError when the instance is gone and cannot come back
    if (this.#handle.generation !== engineGeneration() || !this.#handle.wasm) {
      this.#handle = buildHandle(this.#optionsJson); // the old handle died with its instance
    }
    return this.#handle;
  }

  #audit(decision, record) {
    let path = record.url;
    try {
      path = new URL(record.url).pathname;
    } catch {}
    const event = {
      type: "edgeguard.decision",
      time: new Date().toISOString(),
      rule: decision.rule,
      action: decision.action,
      status: decision.status,
      reason: decision.reason,
      userId: decision.auth?.userId ?? null,
      orgId: decision.auth?.orgId ?? null,
      method: record.method,
      path,
    };
    try {
      this.#onAudit(event);
    } catch (error) {
      console.error("[edgeguard] onAudit hook threw:", error);
    }
  }
}
