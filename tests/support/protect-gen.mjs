// Generators for protect-diff.test.mjs: users (signed out, signed in with and without an org, org
// roles and permissions in v1 and v2 claims, features and plans, fva, session age, pending,
// expired / forged / malformed tokens, cookie or Authorization header), paths (every rule, unmatched,
// hostile forms), methods and request kinds (document, iframe, fetch, API client, RSC navigation,
// server action, ...). All draws come from one seeded generator.
import { signJwt, ISSUER } from "./tokens.mjs";

export const ORIGINS = ["https://app.example.com", "http://localhost:3000"];

const ORG_ROLES = ["org:admin", "org:member", "org:billing", "admin", "org:Admin"];
const ORG_FEATURES = ["invoices", "billing", "reports"];
const ORG_PERMISSION_NAMES = ["read", "manage", "write"];
const USER_FEATURES = ["reports", "export"];
const PLANS = ["u:pro", "o:pro", "u:free", "o:enterprise", "u:enterprise"];
// Minutes: around Clerk's 10-minute "strict" window and edgeguard's 600 s maxAgeSeconds.
const FVA_MINUTES = [-1, 0, 1, 5, 9, 10, 11, 30, 1440];
// Seconds since iat, away from the 600 s boundary so the two clocks cannot disagree.
const TOKEN_AGES = [0, 30, 300, 540, 660, 900, 3600];

const subset = (r, list, p = 0.4) => list.filter(() => r.chance(p));

/** Session claims of a signed-in user (v1 or v2 organization encoding), plus what was drawn. */
function signedInClaims(r, { origin, now }) {
  const age = r.pick(TOKEN_AGES);
  const iat = now - age;
  const claims = {
    azp: origin,
    exp: now + r.int(60, 600),
    iat,
    iss: ISSUER,
    nbf: iat - 5,
    sid: `sess_${r.int(1, 9999)}`,
    sub: `user_${r.int(1, 9999)}`,
  };
  if (r.chance(0.1)) delete claims.azp;
  if (r.chance(0.9)) claims.fva = r.chance(0.05) ? [r.pick(FVA_MINUTES), r.pick(FVA_MINUTES), 1] : [r.pick(FVA_MINUTES), r.pick(FVA_MINUTES)];
  if (r.chance(0.1)) claims.sts = "pending";
  else if (r.chance(0.5)) claims.sts = "active";
  if (r.chance(0.3)) claims.metadata = { role: r.pick(["admin", "member", "Admin"]) };
  const userFeatures = subset(r, USER_FEATURES);
  const plans = subset(r, PLANS, 0.3);
  const v2 = r.chance(0.65);
  const withOrg = r.chance(0.65);
  if (v2) {
    claims.v = 2;
    let orgFeatures = [];
    if (withOrg) {
      orgFeatures = subset(r, ORG_FEATURES, 0.6);
      const names = subset(r, ORG_PERMISSION_NAMES, 0.6);
      claims.o = { id: `org_${r.int(1, 99)}`, rol: r.pick(ORG_ROLES).replace(/^org:/, ""), slg: "acme" };
      if (names.length) claims.o.per = names.join(",");
      if (orgFeatures.length && names.length) claims.o.fpm = orgFeatures.map(() => String(r.int(0, 2 ** names.length - 1))).join(",");
    }
    const fea = [...orgFeatures.map((f) => `o:${f}`), ...userFeatures.map((f) => `u:${f}`)];
    if (fea.length) claims.fea = fea.join(",");
  } else {
    if (withOrg) {
      claims.org_id = `org_${r.int(1, 99)}`;
      claims.org_role = r.pick(ORG_ROLES);
      claims.org_slug = "acme";
      claims.org_permissions = subset(r, ["org:invoices:read", "org:invoices:write", "org:billing:manage", "org:reports:read"], 0.4);
    }
    if (userFeatures.length) claims.fea = userFeatures.map((f) => `u:${f}`).join(",");
  }
  if (plans.length) claims.pla = plans.join(",");
  return claims;
}

/**
 * A user: `{ label, headers }` (the credentials a request carries). Signed-in users carry a token
 * signed with `key`; the hostile ones an expired, not-yet-valid, forged (another key) or
 * malformed token.
 */
export function drawUser(r, { key, otherKey, origin, now }) {
  const kind = r.pick(["signed-out", "signed-in", "signed-in", "signed-in", "signed-in", "signed-in", "expired", "forged", "future", "malformed"]);
  if (kind === "signed-out") return { label: "signed-out", headers: r.chance(0.2) ? { cookie: "theme=dark" } : {} };
  const claims = signedInClaims(r, { origin, now });
  let token;
  if (kind === "expired") {
    claims.iat = now - 7200;
    claims.nbf = claims.iat - 5;
    claims.exp = now - r.pick([60, 3600]);
  }
  if (kind === "future") {
    claims.nbf = now + 600;
    claims.iat = now + 600;
  }
  if (kind === "malformed") token = r.pick(["abc.def.ghi", "null", "eyJhbGciOiJub25lIn0.e30.", "x".repeat(40)]);
  else token = signJwt(kind === "forged" ? otherKey : key, claims);
  const transport = r.pick(["cookie", "cookie", "cookie", "bearer", "cookie-no-uat"]);
  const uat = Math.min(claims.iat, now);
  const headers =
    transport === "bearer"
      ? { authorization: `Bearer ${token}` }
      : { cookie: transport === "cookie-no-uat" ? `__session=${token}` : `__session=${token}; __client_uat=${uat}` };
  return { label: `${kind}/${transport}/${JSON.stringify(claims)}`, headers, claims: kind === "malformed" ? null : claims };
}

// Paths each rule covers, paths no rule covers, and near misses.
const BASE_PATHS = [
  "/", "/sign-in", "/sign-in/factor-one", "/sign-up", "/unauthorized", "/blog", "/blog/post-1", "/api/public/ping",
  "/admin", "/admin/users", "/api/admin", "/api/admin/stats", "/staff", "/staff/rota",
  "/invoices", "/invoices/42", "/api/invoices", "/org/acme", "/org/acme/settings", "/org",
  "/org-billing", "/api/org-billing/charge", "/reports", "/reports/q3", "/api/reports", "/pro", "/api/pro/x",
  "/billing", "/api/billing/charge", "/security", "/security/keys", "/recent", "/recent/activity",
  "/dashboard", "/dashboard/a/b", "/api/me", "/api", "/other", "/x/y/z", "/dashboardx", "/administrator",
  "/invoicesx", "/sign-inx", "/blogger", "/api/publicity", "/.well-known/x", "/favicon.ico",
];

/** Forms a path can take on the wire: case, trailing slash, encodings, dot segments, slashes. */
const PATH_FORMS = [
  (p) => p,
  (p) => p,
  (p) => p,
  (p) => (p === "/" ? p : `${p}/`),
  (p) => p.toUpperCase(),
  (p) => p.replace(/^\/(.)/, (_, c) => `/${c.toUpperCase()}`),
  (p) => p.replace(/a/, "%61"),
  (p) => p.replace(/a/, "%41"),
  (p) => `/${p}`,
  (p) => `//${p.slice(1)}`,
  (p) => p.replace(/\//g, "//"),
  (p) => `/x/..${p}`,
  (p) => `/x/%2e%2e${p}`,
  (p) => `/.${p}`,
  (p) => `${p}/.`,
  (p) => p.replace(/\/(?=[^/]*$)/, "/%2f"),
  (p) => p.replace(/\/(?=[^/]*$)/, "%2F"),
  (p) => `${p};jsessionid=1`,
  (p) => `${p}%00`,
  (p) => `${p}%ZZ`,
  (p) => `${p}%`,
  (p) => `${p}%c3%a9`,
  (p) => `${p}\u00e9`,
  (p) => `${p}%20`,
  (p) => p.replace(/\//g, "\\"),
  (p) => `${p}#frag`,
];

export function drawPath(r) {
  const base = r.pick(BASE_PATHS);
  const form = r.chance(0.45) ? r.pick(PATH_FORMS) : (p) => p;
  let path = form(base);
  if (!path.startsWith("/")) path = `/${path}`;
  if (r.chance(0.25)) path += r.pick(["?tab=2", "?q=a%20b&x=1", "?redirect_url=https://evil.example", "?a=%ZZ", "?"]);
  return path;
}

const DOCUMENT = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "sec-fetch-dest": "document", "sec-fetch-mode": "navigate", "sec-fetch-site": "none" };

/** Request kinds as browsers, Next's router and API clients send them. */
export const KINDS = {
  document: () => ({ ...DOCUMENT }),
  "document-same-origin": () => ({ ...DOCUMENT, "sec-fetch-site": "same-origin" }),
  iframe: () => ({ ...DOCUMENT, "sec-fetch-dest": "iframe" }),
  "fetch-json": () => ({ accept: "application/json", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors", "sec-fetch-site": "same-origin" }),
  "fetch-any": () => ({ accept: "*/*", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors", "sec-fetch-site": "same-origin" }),
  "fetch-html": () => ({ accept: "text/html", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors", "sec-fetch-site": "same-origin" }),
  "api-client": () => ({ accept: "application/json" }),
  curl: () => ({ accept: "*/*" }),
  "bare": () => ({}),
  "html-no-fetch-metadata": () => ({ accept: "text/html" }),
  "rsc-navigation": () => ({ accept: "*/*", rsc: "1", "next-router-state-tree": "%5B%22%22%5D", "next-url": "/", "sec-fetch-dest": "empty" }),
  image: () => ({ accept: "image/avif,image/webp,*/*", "sec-fetch-dest": "image" }),
  "server-action": () => ({ accept: "text/x-component", "next-action": "7f3a", "next-url": "/", "content-type": "text/plain;charset=UTF-8", "sec-fetch-dest": "empty" }),
};

export function drawRequest(r) {
  const kind = r.pick(Object.keys(KINDS));
  let method;
  if (kind === "server-action") method = "POST";
  else if (kind.startsWith("document") || kind === "iframe") method = r.chance(0.85) ? "GET" : r.pick(["HEAD", "POST"]);
  else method = r.pick(["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
  return { kind, method, headers: KINDS[kind]() };
}
