// Hostile-path bypass measurement for a protected rule ["/admin(.*)", "/api/admin(.*)"]:
// how many paths make Next.js serve a protected page while Clerk's matcher says "not protected",
// versus edgeguard's rule (raw OR canonical matches, or the canonical form is refused: bad-path).
//
// What Next serves comes from a model of the routing observed on a real `next start` of
// tests/fixtures/route-next-app (next 16.4.6). With EDGEGUARD_NEXT_PROBE=1 the fixture is built
// and started, and the model is checked against the real server for every path (ground truth).
import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalizePath, createRouteMatcher } from "edgeguard";
import { clerkCreateRouteMatcher, outcome } from "./support/route-clerk.mjs";
import { hostilePaths, makeRng, seedFromEnv } from "./support/route-gen.mjs";

const SEED = seedFromEnv();
const PROTECTED = ["/admin(.*)", "/api/admin(.*)"];
const PROTECTED_PAGES = new Set(["/admin", "/admin/[...rest]", "/api/admin", "/api/admin/do-thing"]);

/**
 * Next 16 routing of a raw request-target in the fixture app, as observed: `\` or `//` in the path
 * and a trailing `/` answer 308 before middleware; the WHATWG URL parser resolves dot segments
 * (also `%2e`); an undecodable escape answers 400; routes match the still-encoded pathname
 * case-sensitively (`/%61dmin` and `/ADMIN` are not `/admin`); params are decoded afterwards.
 */
export function nextRouting(target) {
  const pathPart = target.split("?")[0].split("#")[0];
  if (/\\|\/\//.test(pathPart)) return { status: 308 };
  const url = new URL(`http://127.0.0.1${target.startsWith("/") ? "" : "/"}${target}`);
  const pathname = url.pathname;
  if (pathname !== "/" && pathname.endsWith("/")) return { status: 308 };
  try {
    decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  const segments = pathname.split("/").slice(1);
  let page = pathname === "/" ? "/" : "/[slug]/[[...rest]]";
  if (segments[0] === "admin") page = segments.length === 1 ? "/admin" : "/admin/[...rest]";
  else if (segments[0] === "api" && segments[1] === "admin" && segments.length === 2) page = "/api/admin";
  else if (segments[0] === "api" && segments[1] === "admin" && segments[2] === "do-thing" && segments.length === 3) page = "/api/admin/do-thing";
  else if (segments[0] === "_next") page = null;
  return { status: page ? 200 : 404, middlewarePathname: nextUrlPathname(pathname), page };
}

function nextUrlPathname(pathname) {
  if (!pathname.startsWith("/_next/data/") || !pathname.endsWith(".json")) return pathname;
  const paths = pathname.replace(/^\/_next\/data\//, "").replace(/\.json$/, "").split("/");
  return paths[1] !== "index" ? `/${paths.slice(1).join("/")}` : "/";
}

/** The corpus: generic hostile paths plus admin-specific ones (encoded bytes after /admin/). */
export function corpus(rng) {
  const out = hostilePaths(rng, 200);
  const bytes = ["%0A", "%0D", "%0a", "%E2%80%A8", "%E2%80%A9", "%00", "%09", "%7F", "%C2%85", "%20", "%2F", "%5C", "%23", "%3F", "%25", "%2e", "%2e%2e", ";", "~"];
  for (const b of bytes) {
    out.push(`/admin/${b}`, `/admin/${b}x`, `/admin/x${b}`, `/admin${b}`, `/api/admin/${b}`, `/api/admin${b}`, `/api/admin/do-thing${b}`);
  }
  for (let i = 0; i < 100; i++) out.push(`/admin/${rng.pick(bytes)}${rng.pick(["", "secret", "%0A", "/x"])}${rng.pick(bytes)}`);
  return [...new Set(out)].filter((p) => p.length < 100_000);
}

const clerk = clerkCreateRouteMatcher(PROTECTED);
const ours = createRouteMatcher(PROTECTED);

/** Clerk's verdict on what its middleware would see; a throw means no page (500), not a bypass. */
function clerkProtects(middlewarePathname) {
  const verdict = outcome(() => clerk({ nextUrl: { pathname: middlewarePathname } }));
  return verdict !== "false";
}

/** edgeguard: raw OR canonical matches, or the canonical form is refused (deny, bad-path). */
function edgeguardProtects(middlewarePathname) {
  const canonical = canonicalizePath(middlewarePathname);
  if (!canonical.ok) return true;
  const raw = outcome(() => ours(middlewarePathname));
  return raw !== "false" || ours(canonical.path);
}

export function measure(paths, routing = nextRouting) {
  const result = { paths: paths.length, servedProtected: 0, clerkBypasses: [], edgeguardBypasses: [] };
  for (const target of paths) {
    const seen = routing(target);
    if (seen.status !== 200 || !PROTECTED_PAGES.has(seen.page)) continue;
    result.servedProtected++;
    if (seen.middlewarePathname == null) {
      // Middleware did not run at all: nobody can protect this.
      result.clerkBypasses.push(target);
      result.edgeguardBypasses.push(target);
      continue;
    }
    if (!clerkProtects(seen.middlewarePathname)) result.clerkBypasses.push(target);
    if (!edgeguardProtects(seen.middlewarePathname)) result.edgeguardBypasses.push(target);
  }
  return result;
}

test("hostile corpus: edgeguard lets no protected page through; Clerk's matcher does", () => {
  const rng = makeRng(SEED);
  const paths = corpus(rng);
  const result = measure(paths);
  console.log(`route-hostile seed ${SEED}: ${result.paths} paths, ${result.servedProtected} served a protected page; ` +
    `Clerk matcher bypasses: ${result.clerkBypasses.length}, edgeguard bypasses: ${result.edgeguardBypasses.length}`);
  console.log(`Clerk bypass examples: ${JSON.stringify(result.clerkBypasses.slice(0, 8))}`);
  assert.deepEqual(result.edgeguardBypasses, [], `seed ${SEED}`);
  assert.ok(result.clerkBypasses.includes("/admin/%0Asecret"), "the known newline hole must be measured");
});

test("ground truth: the routing model agrees with a real `next start` (EDGEGUARD_NEXT_PROBE=1)", { skip: process.env.EDGEGUARD_NEXT_PROBE !== "1" && "set EDGEGUARD_NEXT_PROBE=1 (builds the fixture app, ~45 s)" }, async () => {
  const { probe } = await import("./support/route-next-probe.mjs");
  const rng = makeRng(SEED);
  // Raw targets go on the wire as UTF-8: keep the ones Node's HTTP parser accepts (ASCII).
  const paths = corpus(rng).filter((p) => /^[\x21-\x7e]*$/.test(p) && p.length < 8000);
  const real = await probe(paths);
  const byTarget = new Map(real.map((r) => [r.target, r]));
  const disagreements = [];
  for (const target of paths) {
    const model = nextRouting(target);
    const seen = byTarget.get(target);
    const realPage = seen.status === 200 ? seen.page : null;
    const modelPage = model.status === 200 ? model.page : null;
    const sameStatusClass = seen.status === model.status || (seen.status >= 400 && model.status >= 400);
    if (realPage !== modelPage || !sameStatusClass || (realPage && seen.middlewarePathname !== model.middlewarePathname)) {
      disagreements.push({ target, real: seen, model });
    }
  }
  const realResult = measure(paths, (target) => {
    const seen = byTarget.get(target);
    return { status: seen.status, page: seen.page, middlewarePathname: seen.middlewarePathname };
  });
  console.log(`real next start: ${paths.length} paths, ${realResult.servedProtected} served a protected page; ` +
    `Clerk matcher bypasses: ${realResult.clerkBypasses.length}, edgeguard bypasses: ${realResult.edgeguardBypasses.length}`);
  console.log(`Clerk bypass examples (real): ${JSON.stringify(realResult.clerkBypasses.slice(0, 12))}`);
  assert.deepEqual(disagreements.slice(0, 10), [], `seed ${SEED}`);
  assert.deepEqual(realResult.edgeguardBypasses, []);
});
