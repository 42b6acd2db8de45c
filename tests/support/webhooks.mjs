// svix-style signed webhook requests (what Clerk sends), for suites and the demo.
import { createHmac, randomBytes } from "node:crypto";

export function generateWebhookSecret() {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** Headers for `body` signed with `secret` (v1 = HMAC-SHA256 over `${id}.${timestamp}.${body}`). */
export function signedWebhookHeaders(secret, body, { id = `msg_${randomBytes(8).toString("hex")}`, timestamp = Math.floor(Date.now() / 1000) } = {}) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(timestamp),
    "svix-signature": `v1,${signature}`,
  };
}
