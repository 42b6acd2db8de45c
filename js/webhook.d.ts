/** Reason codes of a refused webhook. */
export type WebhookFailureReason =
  | "webhook-bad-secret"
  | "webhook-bad-options"
  | "webhook-missing-headers"
  | "webhook-invalid-timestamp"
  | "webhook-timestamp-too-old"
  | "webhook-timestamp-too-new"
  | "webhook-invalid-signature"
  | "webhook-invalid-body"
  | "webhook-invalid-json"
  /** Route-handler helper only: the body exceeds `maxBodyBytes` (answered 413). */
  | "webhook-body-too-large"
  | "webhook-replay"
  | "webhook-replay-store-full"
  | "webhook-replay-store-unavailable"
  | "engine-unavailable";

export type WebhookFailure = { ok: false; reason: WebhookFailureReason; message: string };

export type VerifiedWebhook<Event = unknown> = {
  ok: true;
  /** The body parsed as JSON. */
  event: Event;
  /** The `svix-id` (message id; the same across svix's retries of one message). */
  id: string;
  /** The signed `svix-timestamp`, unix seconds. */
  timestamp: number;
};

export type WebhookVerifyOptions = {
  /** Accepted distance between the signed timestamp and now, both directions. Default 300 (svix). */
  toleranceSeconds?: number;
  /** The current time in unix seconds (for tests). Default: `Date.now() / 1000`. */
  now?: number;
};

export declare const DEFAULT_WEBHOOK_TOLERANCE_SECONDS: 300;

/**
 * Verifies a svix (Clerk) webhook: accepts what `new Webhook(secret).verify(body, headers)` of
 * `svix` accepts, except a body that is not UTF-8 or not JSON. Synchronous; never throws.
 * Pass the raw body exactly as received (`await request.text()` or the bytes).
 */
export declare function verifyWebhook<Event = unknown>(
  secret: string,
  headers: Headers | Record<string, string | undefined>,
  body: string | Uint8Array | ArrayBuffer,
  options?: WebhookVerifyOptions,
): VerifiedWebhook<Event> | WebhookFailure;

/** Checks a `whsec_…` secret as `verifyWebhook` would read it. */
export declare function checkWebhookSecret(secret: string): { ok: true } | WebhookFailure;

/**
 * Where accepted message ids are remembered. `remember` returns true the first time it sees `id`
 * (and keeps it until `expiresAtSeconds`), false when the id was already seen — or when the store
 * cannot remember it: the message is refused either way.
 *
 * A shared store (Redis / Upstash), with `SET key 1 NX EX ttl`:
 * ```ts
 * const store: ReplayStore = {
 *   async remember(id, expiresAt, now) {
 *     const ttl = Math.max(1, Math.ceil(expiresAt - now));
 *     return (await redis.set(`svix:${id}`, "1", { nx: true, ex: ttl })) === "OK";
 *   },
 * };
 * ```
 */
export interface ReplayStore {
  remember(id: string, expiresAtSeconds: number, nowSeconds: number): boolean | Promise<boolean>;
  /** Optional: a richer verdict than `remember`; used instead of it when present. */
  admit?(id: string, expiresAtSeconds: number, nowSeconds: number): Admission | Promise<Admission>;
}

export type Admission = "fresh" | "seen" | "full" | "unavailable";

export interface MemoryReplayStore extends ReplayStore {
  remember(id: string, expiresAtSeconds: number, nowSeconds?: number): boolean;
  admit(id: string, expiresAtSeconds: number, nowSeconds?: number): Admission;
  /** Ids currently held. */
  readonly size: number;
}

/**
 * The core's bounded in-memory store (default capacity 10 000 ids). Per isolate/process: with
 * several server instances use a shared store instead. When full of unexpired ids it refuses new
 * ones (`webhook-replay-store-full`) rather than forget one.
 */
export declare function createReplayStore(options?: { capacity?: number }): MemoryReplayStore;

/** Records a verified message in `store`: `{ ok: true }`, or a replay / store failure. */
export declare function admitWebhook(
  store: ReplayStore,
  verified: { id: string; timestamp: number },
  options?: WebhookVerifyOptions,
): Promise<{ ok: true } | WebhookFailure>;
