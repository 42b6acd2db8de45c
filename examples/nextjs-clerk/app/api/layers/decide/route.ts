import { EdgeguardDenied, protect, requireAuth } from "edgeguard/next";
import { policy } from "@/lib/policy";

// Test probe for tests/e2e/layers.e2e.test.mjs: asks the route-handler layer (protect) and the
// server-action layer (requireAuth, through next/headers) what they decide for an arbitrary target
// path, with the caller's own headers and Clerk session. It reveals decisions for any path, so it
// answers 404 unless the e2e harness starts the app with EDGEGUARD_EXAMPLE_LAYERS=1.
export const dynamic = "force-dynamic";

type DecisionLike = { action: string; status: number; reason: string; rule: string | null; location?: string | null };

function summary(decision: DecisionLike) {
  return {
    action: decision.action,
    status: decision.status,
    reason: decision.reason,
    rule: decision.rule ?? null,
    location: decision.location ?? null,
  };
}

async function decide(request: Request) {
  if (process.env.EDGEGUARD_EXAMPLE_LAYERS !== "1") return new Response("Not Found", { status: 404 });
  const url = new URL(request.url);
  const path = url.searchParams.get("path");
  const method = (url.searchParams.get("method") ?? request.method).toUpperCase();
  if (!path || !path.startsWith("/")) return Response.json({ error: "path must start with /" }, { status: 400 });
  const target = new URL(path, url.origin);
  // Same headers (cookie, Origin, Accept, Sec-Fetch-*) as the probe request, so the only thing that
  // changes between the middleware's decision and this one is the layer that asks.
  const gate = await protect(new Request(target, { method, headers: request.headers }), { policy });
  const answer: Record<string, unknown> = { protect: summary(gate.decision) };
  if (url.searchParams.get("action") === "1") {
    try {
      const granted = await requireAuth({ policy }, { path: target.pathname });
      answer.requireAuth = summary(granted.decision);
    } catch (error) {
      if (!(error instanceof EdgeguardDenied)) throw error;
      answer.requireAuth = summary(error.decision);
    }
  }
  return Response.json(answer, { headers: { "Cache-Control": "no-store" } });
}

export const GET = decide;
export const POST = decide;
