// One-stop set-up for suites that run against the example app: a fresh signing key, the app built
// for a runtime variant and started with that key, and helpers to mint signed-in users.
import { prepareExample } from "./app-build.mjs";
import { startApp } from "./app-server.mjs";
import { generateSigningKey } from "./keys.mjs";
import { sessionCookieHeader, sessionToken } from "./tokens.mjs";
import { generateWebhookSecret } from "./webhooks.mjs";

export async function startExample({ runtime = "edge", env = {}, verbose = true } = {}) {
  const key = generateSigningKey();
  // The webhook route refuses to load without a whsec_ secret; one per run, like the signing key.
  const webhookSecret = env.CLERK_WEBHOOK_SECRET ?? generateWebhookSecret();
  const dir = await prepareExample({ runtime, verbose });
  const app = await startApp({ dir, jwtKey: key.publicKeyPem, env: { CLERK_WEBHOOK_SECRET: webhookSecret, ...env } });
  const user = (options = {}) => {
    const { token, claims } = sessionToken(key, { azp: app.origin, ...options });
    return { token, claims, userId: claims.sub, cookie: sessionCookieHeader(token, claims.iat) };
  };
  return { ...app, key, runtime, user, webhookSecret };
}

/** Headers a browser sends for a top-level navigation (what makes a request a "document"). */
export const DOCUMENT_HEADERS = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "sec-fetch-dest": "document",
  "sec-fetch-mode": "navigate",
  "sec-fetch-site": "none",
};
