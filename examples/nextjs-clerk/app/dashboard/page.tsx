import { auth } from "@clerk/nextjs/server";

export default async function Dashboard() {
  const { userId, orgId } = await auth();
  return (
    <>
      <h1>Dashboard</h1>
      <p>
        Signed in as <code data-testid="user-id">{userId}</code>
        {orgId ? (
          <>
            {" "}in organization <code data-testid="org-id">{orgId}</code>
          </>
        ) : null}
      </p>
    </>
  );
}
