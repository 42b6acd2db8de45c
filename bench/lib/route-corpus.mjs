// 50 patterns of the kind a real Clerk app's middleware lists, and 1,000 request paths drawn with a
// seeded PRNG: instances of the patterns (parameters filled in), near misses, case and trailing
// slash variants, percent-encoding, doubled slashes and paths no pattern covers.
import { createRng } from "./rng.mjs";

export const ROUTE_PATTERNS = [
  "/", "/about", "/pricing", "/contact", "/changelog", "/search",
  "/blog(.*)", "/docs(.*)", "/legal/:document", "/careers/:slug?",
  "/sign-in(.*)", "/sign-up(.*)", "/sso-callback(.*)", "/unauthorized", "/verify-email/:token",
  "/api/webhooks/clerk", "/api/webhooks/stripe", "/api/public/(.*)", "/api/health", "/api/og/:image",
  "/dashboard(.*)", "/settings(.*)", "/settings/profile", "/settings/security/:tab?", "/onboarding/:step?",
  "/admin(.*)", "/api/admin(.*)", "/org/:slug(.*)", "/org/:slug/members", "/org/:slug/billing/:section?",
  "/projects/:projectId", "/projects/:projectId/issues/:issueId", "/projects/:projectId/files/:path*",
  "/teams/:team/settings", "/users/:id", "/users/:id/edit", "/invoices/:id.pdf",
  "/api/billing(.*)", "/api/v1/users/:id", "/api/v1/projects/:id/(.*)", "/api/v2/(.*)", "/api/trpc/:procedure",
  "/shop/:category/:product?", "/embed/:widget", "/reports/:year(\\d+)/:month(\\d+)",
  "/(en|fr|de)/docs(.*)", "/share/:token+", "/files/:name.:ext", "/go/:code([a-z0-9]{6})", "/status",
];

const WORDS = ["alpha", "beta", "acme", "invoices", "42", "2024", "x", "settings", "Überblick", "new-project",
  "a.b", "profile", "%20", "user_2abc", "docs", "..", "café", "%2F", "index", "z9y8x7"];
const UNKNOWN = ["/wp-admin", "/favicon.ico", "/robots.txt", "/api", "/apis/v1", "/dashboardx", "/adminpanel",
  "/org", "/projects", "/reports/2024/may", "/go/ABCDEFG", "/share", "/files/readme", "/_next/data/b/page.json"];

function instantiate(pattern, rng) {
  let path = pattern
    .replace(/\((en\|fr\|de)\)/, () => rng.pick(["en", "fr", "de", "es"]))
    .replace(/:([A-Za-z]+)\(\\d\+\)/g, () => (rng.chance(0.8) ? String(1 + rng.int(3000)) : rng.pick(WORDS)))
    .replace(/:([A-Za-z]+)\(\[a-z0-9\]\{6\}\)/g, () => (rng.chance(0.7) ? "ab12cd" : rng.pick(WORDS)))
    .replace(/:([A-Za-z]+)([*+])/g, () => Array.from({ length: 1 + rng.int(3) }, () => rng.pick(WORDS)).join("/"))
    .replace(/\/:([A-Za-z]+)\?/g, () => (rng.chance(0.5) ? `/${rng.pick(WORDS)}` : ""))
    .replace(/:([A-Za-z]+)/g, () => rng.pick(WORDS))
    .replace(/\(\.\*\)/g, () => (rng.chance(0.5) ? "" : `/${rng.pick(WORDS)}`));
  if (rng.chance(0.1)) path = path.toUpperCase();
  if (rng.chance(0.1) && path !== "/") path += "/";
  if (rng.chance(0.05)) path = path.replace("/", "//");
  return encodeURI(path).replace(/%25/g, "%");
}

/** `count` paths (default 1,000) from `seed`; every one starts with "/". */
export function routePaths(seed, count = 1000) {
  const rng = createRng(seed);
  const paths = [];
  while (paths.length < count) {
    const roll = rng.next();
    if (roll < 0.7) paths.push(instantiate(rng.pick(ROUTE_PATTERNS), rng));
    else if (roll < 0.85) paths.push(rng.pick(UNKNOWN) + (rng.chance(0.3) ? `/${rng.pick(WORDS)}` : ""));
    else paths.push(`/${Array.from({ length: 1 + rng.int(4) }, () => encodeURIComponent(rng.pick(WORDS))).join("/")}`);
  }
  return paths;
}
