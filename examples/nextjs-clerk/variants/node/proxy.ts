// Node.js-runtime variant of middleware.ts (Next 16 `proxy.ts` always runs on Node). The test
// harness builds it in a generated copy of this app (tests/support/app-build.mjs, runtime "node"),
// where this file replaces middleware.ts; the two must make the same decisions.
import { clerkMiddleware } from "@clerk/nextjs/server";
import policy from "./edgeguard.policy.json";
import { interimGuard } from "./lib/interim-guard";

export default clerkMiddleware(interimGuard(policy as Parameters<typeof interimGuard>[0]), () => ({
  jwtKey: process.env.CLERK_JWT_KEY,
  signInUrl: "/sign-in",
}));

export const config = {
  matcher: [
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    "/(api|trpc)(.*)",
  ],
};
