import { clerkMiddleware } from "@clerk/nextjs/server";
import policy from "./edgeguard.policy.json";
import { interimGuard } from "./lib/interim-guard";

// Edge runtime (the default for middleware.ts). Clerk's options are read per request, so the JWT
// public key comes from the server's environment at `next start` time, not from the build.
export default clerkMiddleware(interimGuard(policy as Parameters<typeof interimGuard>[0]), () => ({
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
