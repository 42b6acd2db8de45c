// The real clerkMiddleware of @clerk/nextjs (CommonJS build), run offline in plain Node: a local
// RSA key as `jwtKey`, a production publishable key for the fake frontend API clerk.example.com
// (a pk_test_ key would send documents to Clerk's development handshake), and `edgeguard/next`
// loaded against that same Clerk instance (see clerk-cjs-hooks.mjs).
import { createRequire, register } from "node:module";

process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY = "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k";
process.env.CLERK_SECRET_KEY = "sk_live_edgeguard_offline_test_not_a_real_key";
register("./clerk-cjs-hooks.mjs", import.meta.url);

const require = createRequire(import.meta.url);
const quiet = (fn) => {
  const { warn, log } = console;
  console.warn = console.log = () => {};
  try {
    return fn();
  } finally {
    console.warn = warn;
    console.log = log;
  }
};
export const { clerkMiddleware, createRouteMatcher } = require("@clerk/nextjs/server");
export const { NextRequest } = require("next/server");
// createRouteMatcher prints a deprecation banner on first use.
quiet(() => createRouteMatcher(["/"])(new NextRequest("http://localhost/")));
export const nextAdapter = await import("edgeguard/next");
