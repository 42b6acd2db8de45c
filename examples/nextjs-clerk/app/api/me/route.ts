import { protect } from "edgeguard/next";
import { policy } from "@/lib/policy";

// The middleware already decided; the handler asks the same guard again (defence in depth, and the
// only way to get ids it may trust: never ids sent by the client).
export async function GET(request: Request) {
  const gate = await protect(request, { policy });
  if (!gate.ok) return gate.response;
  return Response.json({ userId: gate.userId, orgId: gate.orgId });
}
