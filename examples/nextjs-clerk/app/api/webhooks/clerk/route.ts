// Clerk webhooks (svix-signed). The policy marks this path public with `webhook: "clerk"`: no
// session is needed, the signature is the authentication. The handler reads the raw body once,
// verifies it in the edgeguard core (exactly svix's rules), refuses replays of a message id, and
// answers 400 { error: "invalid-webhook", reason } otherwise. A missing or non-"whsec_"
// CLERK_WEBHOOK_SECRET throws when this module loads: a misconfigured endpoint fails loudly.
import { createClerkWebhookHandler } from "edgeguard/next";

export const dynamic = "force-dynamic";

type RecentEvent = { type: string; id: string; receivedAt: string };
const RECENT_LIMIT = 10;
const recent: RecentEvent[] = [];

export const POST = createClerkWebhookHandler({
  secret: process.env.CLERK_WEBHOOK_SECRET,
  onEvent(event, { id }) {
    // A real app would dispatch on event.type (user.created, organization.membership.created, …)
    // and make the work idempotent by `id`: svix retries a message with the same id.
    recent.unshift({ type: event.type, id, receivedAt: new Date().toISOString() });
    recent.length = Math.min(recent.length, RECENT_LIMIT);
    return Response.json({ received: true, type: event.type, id });
  },
});

// For the end-to-end tests only: the last event types this server accepted. Off unless the
// server was started with EDGEGUARD_EXAMPLE_WEBHOOK_LOG=1.
export function GET() {
  if (process.env.EDGEGUARD_EXAMPLE_WEBHOOK_LOG !== "1") {
    return new Response(null, { status: 405, headers: { allow: "POST" } });
  }
  return Response.json({ recent });
}
