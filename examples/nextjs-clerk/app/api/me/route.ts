import { auth } from "@clerk/nextjs/server";

// The middleware already requires a session here; the handler checks again (defence in depth).
export async function GET() {
  const { userId, orgId } = await auth();
  if (!userId) {
    return Response.json(
      { error: "unauthenticated", reason: "signed-out", rule: null },
      { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  return Response.json({ userId, orgId: orgId ?? null });
}
