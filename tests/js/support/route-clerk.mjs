// The real Clerk pieces the route tests compare against (CommonJS builds: the ESM build of
// @clerk/nextjs/server does not load in plain Node), and the named predicate for the patterns
// edgeguard deliberately refuses.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const originalWarn = console.warn;
const originalLog = console.log;
// createRouteMatcher prints a deprecation banner on first use; keep test output readable.
console.warn = console.log = () => {};
export const { createRouteMatcher: clerkCreateRouteMatcher } = require("@clerk/nextjs/server");
export const { NextRequest } = require("next/server");
export const { pathToRegexp: clerkPathToRegexp } = require("@clerk/shared/pathToRegexp");
try {
  clerkCreateRouteMatcher(["/"])(new NextRequest("http://localhost/"));
} finally {
  console.warn = originalWarn;
  console.log = originalLog;
}

/** "true" | "false" | "throw:<name>" — what a call did. */
export function outcome(fn) {
  try {
    return String(fn());
  } catch (error) {
    return `throw:${error?.name ?? typeof error}`;
  }
}

/**
 * Named predicate: Clerk accepts `pattern` but edgeguard refuses it on purpose (a construct a
 * linear-time automaton cannot match identically), or any pattern with a lone UTF-16 surrogate
 * (which cannot reach the Rust core). The category edgeguard names must be visible
 * in the RegExp source Clerk itself compiles — checked independently of edgeguard's parser.
 */
export function isDeliberatelyUnsupported(pattern, ourError, { clerkRejects = false } = {}) {
  if (!ourError || !ourError.unsupported) return false;
  // Lone surrogates cannot cross into the core (Rust strings): refused whatever Clerk says.
  if (!pattern.isWellFormed()) return ourError.unsupported === "lone surrogate";
  if (clerkRejects) return false;
  let source;
  try {
    source = clerkPathToRegexp(pattern).source;
  } catch {
    return false; // Clerk rejects it: not a deliberate difference
  }
  const category = ourError.unsupported;
  const checks = [
    [/^lookbehind/, () => /\(\?<[=!]/.test(source)],
    [/^backreference/, () => /\\[1-9]/.test(source)],
    [/^named backreference/, () => /\\k/.test(source)],
    [/^lookahead|^quantified lookahead/, () => /\(\?[=!]/.test(source)],
    [/^counted repetition expanding/, () => /\{\d+(,\d*)?\}/.test(source)],
    [/^counted repetition above/, () => [...source.matchAll(/\{(\d+)(?:,(\d*))?\}/g)].some((m) => Number(m[1]) > 1000 || Number(m[2] || 0) > 1000)],
    [/^groups nested deeper/, () => (source.match(/\(/g) ?? []).length > 40],
    [/capture group name$/, () => /\(\?<[^=!]/.test(source)],
    [/^a pattern this large/, () => source.length > 500],
  ];
  return checks.some(([name, holds]) => name.test(category) && holds());
}
