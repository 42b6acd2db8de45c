import type { ReactNode } from "react";
import { headers } from "next/headers";
import { ClerkProvider } from "@clerk/nextjs";

export const metadata = { title: "edgeguard example" };

// CSP (edgeguard policy `csp`): the middleware passes the request's nonce on as the `x-nonce`
// request header. `dynamic` renders every page per request, so Next and Clerk can put that nonce on
// the scripts they render (a page prerendered at build time has none, and its scripts would be
// blocked); `nonce` also reaches the script tag Clerk inserts in the browser when it (re)loads
// clerk-js.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <ClerkProvider dynamic nonce={nonce}>
      <html lang="en">
        <body style={{ fontFamily: "system-ui, sans-serif", margin: "2rem auto", maxWidth: "40rem" }}>
          <nav style={{ display: "flex", gap: "1rem" }}>
            <a href="/">Home</a>
            <a href="/dashboard">Dashboard</a>
            <a href="/admin">Admin</a>
            <a href="/api/me">/api/me</a>
          </nav>
          <main>{children}</main>
        </body>
      </html>
    </ClerkProvider>
  );
}
