// The soak's request mix and what each request must get: the expected decision table of the
// example app's policy (examples/nextjs-clerk/edgeguard.policy.json). A check returns null when
// the response is what the policy says, else a description of the mismatch.

const status = (...expected) => (response) =>
  expected.includes(response.status) ? null : `status ${response.status}, expected ${expected.join(" or ")}`;

const redirectTo = (pathname) => (response, origin) => {
  if (response.status !== 307) return `status ${response.status}, expected 307 to ${pathname}`;
  const location = response.headers.get("location");
  if (!location) return "307 without a location";
  const url = new URL(location, origin);
  return url.pathname === pathname ? null : `redirected to ${url.pathname}, expected ${pathname}`;
};

/** Every request kind of the workload; `user` names a user minted by soak.mjs (null: signed out). */
export function expectedTable({ adapter, documentHeaders }) {
  const doc = documentHeaders;
  const table = [
    { name: "home (doc, signed out)", path: "/", headers: doc, user: null, check: status(200) },
    { name: "ping (public API)", path: "/api/public/ping", user: null, check: status(200) },
    { name: "dashboard (doc, signed out) → sign-in", path: "/dashboard", headers: doc, user: null, check: redirectTo("/sign-in") },
    { name: "dashboard (doc, member)", path: "/dashboard", headers: doc, user: "member", check: status(200) },
    { name: "dashboard (doc, other user)", path: "/dashboard?tab=1", headers: doc, user: "other", check: status(200) },
    { name: "me (API, signed out) → 401", path: "/api/me", user: null, check: status(401) },
    { name: "me (API, member cookie)", path: "/api/me", user: "member", check: status(200) },
    { name: "me (API, admin bearer)", path: "/api/me", user: "admin", via: "bearer", check: status(200) },
    { name: "me (API, expired bearer) → 401", path: "/api/me", user: "expired", via: "bearer", check: status(401) },
    { name: "admin (doc, admin)", path: "/admin", headers: doc, user: "admin", check: status(200) },
    { name: "admin (doc, member) → unauthorized", path: "/admin", headers: doc, user: "member", check: redirectTo("/unauthorized") },
    { name: "admin (doc, signed out) → sign-in", path: "/admin", headers: doc, user: null, check: redirectTo("/sign-in") },
    { name: "admin API (member) → 403", path: "/api/admin/stats", user: "member", check: status(403) },
    { name: "admin API (signed out) → 401", path: "/api/admin/stats", user: null, check: status(401) },
    { name: "unmatched path (admin) → default deny", path: "/not-in-the-policy", user: "admin", check: status(403, 404) },
    { name: "unmatched path (signed out) → default deny", path: "/not-in-the-policy", user: null, check: status(403, 404) },
  ];
  if (adapter) {
    table.push(
      { name: "x-middleware-subrequest → 400", path: "/dashboard", user: "member", headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" }, check: status(400) },
      { name: "bad percent-encoding → 400", path: "/dashboard/%E0%A4%A", user: "member", check: status(400) },
    );
  }
  return table;
}
