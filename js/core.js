// Runtime-agnostic public API: one file per JS-visible concept, re-exported here.
export * from "./route.js";
export * from "./token.js";
export * from "./webhook.js";
export * from "./guard.js";
export { EngineUnavailableError } from "./engine.js";
