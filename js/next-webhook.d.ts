import type { ReplayStore, WebhookFailureReason } from "./webhook.js";

/** Thrown when the signing secret is missing or is not a `whsec_…` secret. */
export declare class WebhookConfigError extends Error {
  readonly code: "webhook-bad-secret";
}

export type ClerkWebhookOptions = {
  /** The endpoint's `whsec_…` signing secret. Default: `CLERK_WEBHOOK_SECRET`, then `CLERK_WEBHOOK_SIGNING_SECRET`. */
  secret?: string;
  /** Where accepted message ids are remembered. Default: an in-memory store of this process. */
  store?: ReplayStore;
  /** Default 300 (svix). */
  toleranceSeconds?: number;
  /** Larger bodies are refused (413) before being buffered. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Unix seconds, for tests. */
  now?: number;
};

export type ClerkWebhookResult<Event = ClerkWebhookEvent> =
  | { ok: true; event: Event; id: string }
  /** `response`: 400 `{ error: "invalid-webhook", reason }` (413 when too large), or 503 `{ error: "webhook-unavailable", reason }`. */
  | { ok: false; reason: WebhookFailureReason; message: string; response: Response };

/** The envelope of every Clerk webhook event (`@clerk/backend`'s `WebhookEvent` is the precise type). */
export type ClerkWebhookEvent = {
  type: string;
  object: "event";
  data: Record<string, unknown>;
  timestamp?: number;
  instance_id?: string;
  event_attributes?: Record<string, unknown>;
};

/** Reads the raw body once, verifies it, refuses replays. Throws WebhookConfigError on a bad secret. */
export declare function verifyClerkWebhook<Event = ClerkWebhookEvent>(
  request: Request,
  options?: ClerkWebhookOptions,
): Promise<ClerkWebhookResult<Event>>;

export type ClerkWebhookHandler<Event = ClerkWebhookEvent> = ((request: Request) => Promise<Response>) & {
  verify(request: Request): Promise<ClerkWebhookResult<Event>>;
};

/**
 * A POST route handler for Clerk webhooks; validates the secret immediately (throws
 * WebhookConfigError naming CLERK_WEBHOOK_SECRET), except during `next build`.
 * Answers 200 `{ received: true, type, id }` unless `onEvent` returns a Response.
 */
export declare function createClerkWebhookHandler<Event = ClerkWebhookEvent>(
  options?: ClerkWebhookOptions & {
    onEvent?: (event: Event, context: { id: string; request: Request }) => void | Response | Promise<void | Response>;
  },
): ClerkWebhookHandler<Event>;
