// Clerk webhooks in a Next.js route handler: read the raw body once, verify the svix signature
// through the core, refuse replays, answer 400 for anything invalid. A missing or malformed
// signing secret is a configuration error that throws — it never turns into an accept.
import {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  admitWebhook,
  checkWebhookSecret,
  createReplayStore,
  verifyWebhook,
} from "edgeguard";

const SECRET_SETTING = "CLERK_WEBHOOK_SECRET";
// Clerk's own helper (`@clerk/backend/webhooks`) reads this name.
const CLERK_SECRET_SETTING = "CLERK_WEBHOOK_SIGNING_SECRET";
// Failures of ours, not of the sender: svix should retry later.
// Clerk's events are a few kB; the body is buffered before it can be verified, so an unauthenticated
// sender must not be able to make it arbitrarily large.
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const UNAVAILABLE_REASONS = new Set(["engine-unavailable", "webhook-replay-store-full", "webhook-replay-store-unavailable"]);

export class WebhookConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = "WebhookConfigError";
    this.code = "webhook-bad-secret";
  }
}

let sharedStore = null;

/**
 * Verifies the Clerk webhook in `request`: `{ ok: true, event, id }` or `{ ok: false, reason,
 * response }` (400 `{ error: "invalid-webhook", reason }`; 413 for a body over `maxBodyBytes`;
 * 503 when the engine or the replay store cannot answer). Throws WebhookConfigError when the secret is missing or malformed.
 */
export async function verifyClerkWebhook(request, options = {}) {
  const settings = resolveSettings(options);
  sharedStore ??= createReplayStore();
  return verifyRequest(settings, options.store ?? sharedStore, request, options.now);
}

/**
 * A POST route handler. Validates the secret now (except while `next build` collects page data:
 * then on first use), so a missing CLERK_WEBHOOK_SECRET fails loudly when the route loads.
 * `onEvent(event, { id, request })` may return a Response; otherwise the answer is
 * 200 `{ received: true, type, id }`.
 */
export function createClerkWebhookHandler(options = {}) {
  const building = readEnv("NEXT_PHASE") === "phase-production-build";
  let settings = building ? null : resolveSettings(options);
  const store = options.store ?? createReplayStore();
  const onEvent = options.onEvent;
  if (onEvent !== undefined && typeof onEvent !== "function") {
    throw new TypeError("createClerkWebhookHandler: onEvent must be a function");
  }

  async function verify(request) {
    settings ??= resolveSettings(options);
    return verifyRequest(settings, store, request, options.now);
  }

  async function handleClerkWebhook(request) {
    const verified = await verify(request);
    if (!verified.ok) return verified.response;
    const answer = onEvent ? await onEvent(verified.event, { id: verified.id, request }) : undefined;
    if (answer instanceof Response) return answer;
    const type = verified.event && typeof verified.event.type === "string" ? verified.event.type : null;
    return Response.json({ received: true, type, id: verified.id });
  }
  handleClerkWebhook.verify = verify;
  return handleClerkWebhook;
}

function resolveSettings(options) {
  if (options === null || typeof options !== "object") {
    throw new TypeError("Clerk webhook options must be an object: { secret, store?, toleranceSeconds? }");
  }
  const secret = "secret" in options && options.secret !== undefined
    ? options.secret
    : (readEnv(SECRET_SETTING) ?? readEnv(CLERK_SECRET_SETTING));
  if (typeof secret !== "string" || secret.trim() === "") {
    throw new WebhookConfigError(
      `edgeguard: the Clerk webhook signing secret is missing. Set ${SECRET_SETTING} to the "whsec_…" signing ` +
        `secret of the endpoint (Clerk dashboard → Webhooks), or pass { secret }.`,
    );
  }
  if (!secret.startsWith("whsec_")) {
    throw new WebhookConfigError(
      `edgeguard: ${SECRET_SETTING} must be the endpoint's signing secret starting with "whsec_" ` +
        `(got a value starting with ${JSON.stringify(secret.slice(0, 4))}…).`,
    );
  }
  const check = checkWebhookSecret(secret);
  if (!check.ok && check.reason === "webhook-bad-secret") {
    throw new WebhookConfigError(`edgeguard: ${SECRET_SETTING} is not a valid signing secret: ${check.message}`);
  }
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof toleranceSeconds !== "number" || !(toleranceSeconds >= 0) || !Number.isFinite(toleranceSeconds)) {
    throw new RangeError(`Clerk webhook toleranceSeconds must be a number of seconds >= 0 (got ${String(toleranceSeconds)})`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError(`Clerk webhook maxBodyBytes must be a whole number of bytes >= 0 (got ${String(maxBodyBytes)})`);
  }
  return { secret, toleranceSeconds, maxBodyBytes };
}

async function verifyRequest(settings, store, request, now) {
  const read = await readBody(request, settings.maxBodyBytes);
  if (!read.ok) return refuse(read.reason, read.message);
  const body = read.bytes;
  const verified = verifyWebhook(settings.secret, request.headers, body, {
    toleranceSeconds: settings.toleranceSeconds,
    now,
  });
  if (!verified.ok) {
    if (verified.reason === "webhook-bad-secret") throw new WebhookConfigError(`edgeguard: ${verified.message}`);
    return refuse(verified.reason, verified.message);
  }
  const admitted = await admitWebhook(store, verified, { toleranceSeconds: settings.toleranceSeconds, now });
  if (!admitted.ok) return refuse(admitted.reason, admitted.message);
  return { ok: true, event: verified.event, id: verified.id };
}

/** The raw body, once, refusing more than `max` bytes before buffering them. */
async function readBody(request, max) {
  try {
    if (request.bodyUsed) {
      return failure("webhook-invalid-body", "the request body was already read: verify the webhook before anything else reads it");
    }
    const declared = Number(request.headers.get("content-length") ?? Number.NaN);
    if (declared > max) return failure("webhook-body-too-large", `the body declares ${declared} bytes, more than ${max}`);
    if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
    const reader = request.body.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        return failure("webhook-body-too-large", `the body is larger than ${max} bytes`);
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { ok: true, bytes };
  } catch (error) {
    return failure("webhook-invalid-body", `the request body could not be read: ${error?.message ?? error}`);
  }
}

function failure(reason, message) {
  return { ok: false, reason, message };
}

function refuse(reason, message) {
  const unavailable = UNAVAILABLE_REASONS.has(reason);
  const status = unavailable ? 503 : reason === "webhook-body-too-large" ? 413 : 400;
  const response = Response.json(
    { error: unavailable ? "webhook-unavailable" : "invalid-webhook", reason },
    { status, headers: unavailable ? { "retry-after": "60" } : undefined },
  );
  return { ok: false, reason, message, response };
}

function readEnv(name) {
  try {
    const value = typeof process !== "undefined" ? process.env?.[name] : undefined;
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}
