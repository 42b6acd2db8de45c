// Offline example: Clerk's hosted <SignIn /> needs Clerk's servers, so this page only says where the
// user would sign in. The demo and the tests sign in by setting a locally signed `__session` cookie.
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ redirect_url?: string }>;
}) {
  const { redirect_url: redirectUrl } = await searchParams;
  return (
    <>
      <h1>Sign in</h1>
      <p>
        Signing in happens through Clerk. In this offline example a signed session cookie stands in
        for it.
      </p>
      {redirectUrl ? (
        <p>
          After signing in you return to <code data-testid="redirect-url">{redirectUrl}</code>.
        </p>
      ) : null}
    </>
  );
}
