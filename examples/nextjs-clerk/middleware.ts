import { clerkMiddleware } from "@clerk/nextjs/server";
import { edgeguardMiddleware } from "edgeguard/next";
import { policy } from "./lib/policy";

// Edge runtime (the default for middleware.ts). Clerk verifies the session token networklessly
// with `jwtKey`; edgeguard decides from the verified claims and edgeguard.policy.json. The options
// are a function so the key is read from the server's environment per request (at `next start`
// time), not inlined by `next build`.
export default clerkMiddleware(edgeguardMiddleware({ policy }), () => ({
  jwtKey: process.env.CLERK_JWT_KEY,
  signInUrl: "/sign-in",
}));

export const config = {
  matcher: [
    // Clerk's recommended matcher: everything except Next internals and static files...
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    // ...and always API routes.
    "/(api|trpc)(.*)",
  ],
};
