import { auth } from "@clerk/nextjs/server";

export default async function Admin() {
  const { userId, sessionClaims } = await auth();
  const metadata = (sessionClaims?.metadata ?? {}) as { role?: unknown };
  return (
    <>
      <h1>Admin</h1>
      <p>
        <code data-testid="admin-user-id">{userId}</code> holds the role{" "}
        <code data-testid="admin-role">{String(metadata.role ?? "")}</code>.
      </p>
    </>
  );
}
