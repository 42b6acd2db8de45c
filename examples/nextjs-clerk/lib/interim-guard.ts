// STAND-IN for `edgeguardMiddleware` of `edgeguard/next` until the adapter lands: a minimal reading
// of edgeguard.policy.json (public / role / signed-in / default deny) on top of Clerk's own
// primitives, so the harness, tokens and browser tests can run end to end. Delete when
// middleware.ts switches to `edgeguard/next`.
import { createRouteMatcher, type ClerkMiddlewareAuth } from "@clerk/nextjs/server";
import { NextResponse, type NextRequest } from "next/server";

type Rule = { name: string; match: string[]; public?: boolean; require?: { role?: string } };
type Policy = {
  signInUrl: string;
  unauthorizedUrl: string;
  routes: Rule[];
  default: "deny" | "signed-in";
  headers?: Record<string, string>;
};

export function interimGuard(policy: Policy) {
  const rules = policy.routes.map((rule) => ({ rule, matches: createRouteMatcher(rule.match) }));
  return async (auth: ClerkMiddlewareAuth, request: NextRequest) => {
    const withHeaders = (response: Response, reason: string, rule: string | null) => {
      for (const [name, value] of Object.entries(policy.headers ?? {})) response.headers.set(name, value);
      response.headers.set("x-edgeguard-reason", reason);
      if (rule) response.headers.set("x-edgeguard-rule", rule);
      return response;
    };
    const isDocument =
      (request.method === "GET" || request.method === "HEAD") &&
      (request.headers.get("sec-fetch-dest") === "document" ||
        (request.headers.get("accept") ?? "").includes("text/html"));
    const deny = (status: number, reason: string, rule: string | null, to?: string) => {
      if (isDocument && to) {
        const location = new URL(to, request.url);
        if (reason === "signed-out") location.searchParams.set("redirect_url", request.url);
        return withHeaders(NextResponse.redirect(location, 307), reason, rule);
      }
      const response = NextResponse.json({ error: status === 401 ? "unauthenticated" : "forbidden", reason, rule }, { status });
      if (status === 401) response.headers.set("WWW-Authenticate", "Bearer");
      return withHeaders(response, reason, rule);
    };

    const hit = rules.find(({ matches }) => matches(request));
    if (!hit && policy.default === "deny") return deny(403, "default-deny", null);
    if (hit?.rule.public) return withHeaders(NextResponse.next(), "public", hit.rule.name);
    const session = await auth();
    const ruleName = hit ? hit.rule.name : null;
    if (!session.userId) return deny(401, "signed-out", ruleName, policy.signInUrl);
    const role = hit?.rule.require?.role;
    const claims = (session.sessionClaims ?? {}) as { metadata?: { role?: unknown } };
    if (role && claims.metadata?.role !== role && session.orgRole !== `org:${role}`) {
      return deny(403, "missing-role", ruleName, policy.unauthorizedUrl);
    }
    return withHeaders(NextResponse.next(), "allow", ruleName);
  };
}
