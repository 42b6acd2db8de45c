export * from "./route.js";
export * from "./token.js";
export * from "./webhook.js";
export * from "./guard.js";
export declare class EngineUnavailableError extends Error {
  readonly code: "engine-unavailable";
}
