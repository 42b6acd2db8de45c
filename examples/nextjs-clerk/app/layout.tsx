import type { ReactNode } from "react";
import { ClerkProvider } from "@clerk/nextjs";

export const metadata = { title: "edgeguard example" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <ClerkProvider>
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
