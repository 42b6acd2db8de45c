// The one wasm instance of this isolate. Every public function reaches the core through engine(),
// which either returns the live wasm-bindgen glue or throws EngineUnavailableError: callers turn
// that into a deny (503, "engine-unavailable"), never an allow.

export class EngineUnavailableError extends Error {
  constructor(cause) {
    super(`edgeguard: the wasm engine is unavailable (${cause && cause.message ? cause.message : cause})`);
    this.name = "EngineUnavailableError";
    this.code = "engine-unavailable";
    this.cause = cause;
  }
}

let instantiate = null;
let glue = null;
let generation = 0;
let reported = false;

/** Runtime entries (node.js, edge.js) register how to make a fresh instance; nothing else does. */
export function registerInstantiator(fn) {
  instantiate = fn;
  glue = null;
}

/** The live glue; instantiates on first use and after a reset. Throws EngineUnavailableError. */
export function engine() {
  if (glue) return glue;
  try {
    if (!instantiate) throw new Error("no runtime entry registered an instantiator");
    glue = instantiate();
    generation += 1;
    reported = false;
    return glue;
  } catch (error) {
    glue = null;
    reportOnce(error);
    throw new EngineUnavailableError(error);
  }
}

/** Bumped on every fresh instance: handles created in an older instance must be rebuilt. */
export function engineGeneration() {
  return generation;
}

/**
 * After a trap the instance's memory may be corrupt: drop it so the next call instantiates anew.
 * Returns the EngineUnavailableError to surface for the request that hit the trap.
 */
export function discardEngine(error) {
  glue = null;
  reportOnce(error);
  return error instanceof EngineUnavailableError ? error : new EngineUnavailableError(error);
}

function reportOnce(error) {
  if (reported) return;
  reported = true;
  console.error("[edgeguard] engine-unavailable:", error);
}
