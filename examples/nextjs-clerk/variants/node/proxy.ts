// Node.js-runtime variant of middleware.ts (Next 16 `proxy.ts` always runs on Node). The test
// harness builds it in a generated copy of this app (tests/support/app-build.mjs, runtime "node"),
// where this file replaces middleware.ts; the two must make the same decisions.
import { clerkMiddleware } from "@clerk/nextjs/server";
import { edgeguardMiddleware } from "edgeguard/next";
import { policy } from "./lib/policy";

export default clerkMiddleware(edgeguardMiddleware({ policy }), () => ({
  jwtKey: process.env.CLERK_JWT_KEY,
  signInUrl: "/sign-in",
}));

export const config = {
  matcher: [
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    "/(api|trpc)(.*)",
  ],
};
