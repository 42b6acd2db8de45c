// One access policy written twice: as an edgeguard policy, and as the clerkMiddleware handler a Clerk
// user would write for it with `createRouteMatcher` and `auth.protect()` (the forms Clerk's docs
// use: `auth.protect()`, `auth.protect({ role })`, `auth.protect({ permission })`,
// `auth.protect({ reverification })`, `auth.protect((has) => has({ feature | plan | reverification }))`,
// and `orgId` from `auth()` for "an active organization"). protect-diff.test.mjs runs both.
import { createRouteMatcher } from "./clerk-middleware.mjs";

export const SIGN_IN_URL = "/sign-in";
export const UNAUTHORIZED_URL = "/unauthorized";
export const MAX_AGE_SECONDS = 600;

/** Rules in order (first match wins on both sides). `clerk(auth, req, options)` is the Clerk form. */
export const RULES = [
  {
    name: "public",
    match: ["/", "/sign-in(.*)", "/sign-up(.*)", "/unauthorized", "/blog(.*)", "/api/public(.*)"],
    public: true,
  },
  {
    name: "org-admin",
    match: ["/admin(.*)", "/api/admin(.*)"],
    require: { orgRole: "org:admin" },
    clerk: (auth, _req, options) => auth.protect({ role: "org:admin" }, options),
  },
  {
    // edgeguard's `role`: the app role in the session's `metadata` claim, or the org role. Clerk's
    // docs write the metadata half by hand ("basic RBAC with metadata").
    name: "staff",
    match: ["/staff(.*)"],
    require: { role: "admin" },
    clerk: async (auth, _req, options) => {
      const { sessionClaims } = await auth();
      return auth.protect((has) => has({ role: "admin" }) || sessionClaims?.metadata?.role === "admin", options);
    },
  },
  {
    name: "invoices",
    match: ["/invoices(.*)", "/api/invoices(.*)"],
    require: { permission: "org:invoices:read" },
    clerk: (auth, _req, options) => auth.protect({ permission: "org:invoices:read" }, options),
  },
  {
    name: "org",
    match: ["/org/:slug(.*)"],
    require: { org: true },
    clerk: async (auth, _req, options) => {
      const { orgId } = await auth();
      return auth.protect(() => Boolean(orgId), options);
    },
  },
  {
    name: "org-billing",
    match: ["/org-billing(.*)", "/api/org-billing(.*)"],
    require: { org: true, permission: "org:billing:manage", plan: ["pro", "enterprise"] },
    clerk: async (auth, _req, options) => {
      const { orgId } = await auth();
      return auth.protect(
        (has) => Boolean(orgId) && has({ permission: "org:billing:manage" }) && (has({ plan: "pro" }) || has({ plan: "enterprise" })),
        options,
      );
    },
  },
  {
    name: "reports",
    match: ["/reports(.*)", "/api/reports(.*)"],
    require: { feature: "reports" },
    clerk: (auth, _req, options) => auth.protect((has) => has({ feature: "reports" }), options),
  },
  {
    name: "pro",
    match: ["/pro(.*)", "/api/pro(.*)"],
    require: { plan: "pro" },
    clerk: (auth, _req, options) => auth.protect((has) => has({ plan: "pro" }), options),
  },
  {
    name: "billing",
    match: ["/billing(.*)", "/api/billing(.*)"],
    require: { reverification: "strict" },
    clerk: (auth, _req, options) => auth.protect({ reverification: "strict" }, options),
  },
  {
    name: "security",
    match: ["/security(.*)"],
    require: { reverification: { level: "second_factor", afterMinutes: 10 } },
    clerk: (auth, _req, options) =>
      auth.protect((has) => has({ reverification: { level: "second_factor", afterMinutes: 10 } }), options),
  },
  {
    // Clerk's protect() has no session-age option: the nearest Clerk form is plain protect().
    name: "recent",
    match: ["/recent(.*)"],
    require: { maxAgeSeconds: MAX_AGE_SECONDS },
    clerk: (auth) => auth.protect(),
  },
  {
    name: "app",
    match: ["/dashboard(.*)", "/api/(.*)"],
    require: {},
    clerk: (auth) => auth.protect(),
  },
];

/** The edgeguard policy; `mutate(rules)` lets the control test plant a disagreement. */
export function edgeguardPolicy(mutate = (rules) => rules) {
  const rules = mutate(structuredClone(RULES.map(({ clerk, ...rule }) => rule)));
  return {
    version: 1,
    signInUrl: SIGN_IN_URL,
    unauthorizedUrl: UNAUTHORIZED_URL,
    routes: rules,
    // Unmatched paths: signed in, like `if (!isPublicRoute(req)) await auth.protect()` in Clerk.
    default: "signed-in",
  };
}

/**
 * The Clerk-idiomatic handler. `variant`: "unauthorizedUrl" passes `{ unauthorizedUrl }` (absolute:
 * a relative one makes clerkMiddleware throw "URL is malformed") so a signed-in user who lacks a
 * requirement is redirected like edgeguard's documents are; "plain" leaves it out (Clerk then
 * answers 404). `seen(info)` receives what Clerk's own session said, for the named predicates.
 */
export function clerkHandler({ variant, seen }) {
  const compiled = RULES.map((rule) => ({ ...rule, matches: createRouteMatcher(rule.match) }));
  return async (auth, req) => {
    const session = await auth();
    seen({ signedIn: Boolean(session.userId), userId: session.userId ?? null });
    const rule = compiled.find((r) => r.matches(req));
    if (rule?.public) return undefined;
    const options = variant === "unauthorizedUrl" ? { unauthorizedUrl: new URL(UNAUTHORIZED_URL, req.url).href } : undefined;
    if (!rule) {
      await auth.protect();
      return undefined;
    }
    await rule.clerk(auth, req, options);
    return undefined;
  };
}
