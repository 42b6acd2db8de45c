// Differential test: Clerk's own auth.protect() against edgeguard, side by side, through the REAL
// clerkMiddleware of @clerk/nextjs (CommonJS build, offline: a local RSA key as jwtKey).
//
// One access policy is written twice (tests/support/protect-policy.mjs): as an edgeguard policy run
// by the edgeguard adapter (`clerkMiddleware(edgeguardMiddleware({ policy }))`, js/next.js), and as
// the Clerk-idiomatic handler (`createRouteMatcher` + `auth.protect(...)`). Every generated request
// (user × path × method × request kind) goes through both; their responses are reduced to outcome
// classes (allow / redirect <url> / not-found / status <n> / handshake) and must be identical, except
// where a NAMED predicate (tests/support/protect-outcome.mjs BY_DESIGN) says edgeguard answers
// differently on purpose. Both sides must also reach the same verdict (allow / signed-out /
// unauthorized / bad request) in every case a predicate does not name.
//
// PROTECT_DIFF_SEED=<n> replays a run; PROTECT_DIFF_CASES=<n> sets the number of generated requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clerkMiddleware, NextRequest, nextAdapter } from "../support/clerk-middleware.mjs";
import { createGuard } from "edgeguard";
import { generateSigningKey } from "../support/keys.mjs";
import { mulberry32 } from "../support/mulberry32.mjs";
import { ORIGINS, drawPath, drawRequest, drawUser } from "../support/protect-gen.mjs";
import { UNAUTHORIZED_URL, clerkHandler, edgeguardPolicy } from "../support/protect-policy.mjs";
import { BY_DESIGN, KNOWN_GAPS, clerkIsPageRequest, clerkVerdict, edgeguardVerdict, explainDifference, outcomeClass } from "../support/protect-outcome.mjs";

const seed = Number(process.env.PROTECT_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const caseCount = Number(process.env.PROTECT_DIFF_CASES ?? 1200);
const SHOW = process.env.PROTECT_DIFF_SHOW; // print the cases a predicate (name substring) explains
console.log(`protect-diff seed: ${seed} (PROTECT_DIFF_SEED=${seed} to replay), ${caseCount} requests`);

/** pick / int / chance over the shared seeded PRNG. */
function mulberry32Rng(seedValue) {
  const next = mulberry32(seedValue);
  return {
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const key = generateSigningKey();
const otherKey = generateSigningKey();
const EVENT = { waitUntil() {}, passThroughOnException() {} };

// Clerk warns on every cookie token without `azp` (generated on purpose): keep the output readable.
const quietWarn = async (fn) => {
  const { warn } = console;
  console.warn = () => {};
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
};

/** Both middlewares for one edgeguard policy; `run(request)` drives one case through both. */
async function makeRunner(policy) {
  const guard = await createGuard({ policy });
  let lastDecision = null;
  let clerkSaw = null;
  const clerkOptions = { jwtKey: key.publicKeyPem, signInUrl: "/sign-in" };
  const ours = clerkMiddleware(nextAdapter.edgeguardMiddleware(guard, { onDecision: (d) => (lastDecision = d) }), clerkOptions);
  const theirs = {
    unauthorizedUrl: clerkMiddleware(clerkHandler({ variant: "unauthorizedUrl", seen: (s) => (clerkSaw = s) }), clerkOptions),
    plain: clerkMiddleware(clerkHandler({ variant: "plain", seen: (s) => (clerkSaw = s) }), clerkOptions),
  };
  // A session Clerk verified, exactly as the adapter gets it, for explain()'s trace.
  let claimsSeen;
  const probe = clerkMiddleware(async (auth) => {
    claimsSeen = (await auth({ treatPendingAsSignedOut: false })).sessionClaims ?? null;
  }, clerkOptions);

  return async function run({ url, method, headers, variant }) {
    const make = () => new NextRequest(url, { method, headers });
    lastDecision = null;
    clerkSaw = null;
    claimsSeen = undefined;
    const ourResponse = await quietWarn(() => ours(make(), EVENT));
    const decision = lastDecision;
    const clerkResponse = await quietWarn(() => theirs[variant](make(), EVENT));
    const saw = clerkSaw;
    await quietWarn(() => probe(make(), EVENT));
    const explained = claimsSeen === undefined ? null : guard.explain(make(), { claims: claimsSeen });
    return { ourResponse, decision, clerkResponse, clerkSignedIn: Boolean(saw?.signedIn), explained, claims: claimsSeen ?? null };
  };
}

/** Facts of one case, for the comparison and the named predicates. */
function facts(c, result) {
  const ours = outcomeClass(result.ourResponse);
  const clerk = outcomeClass(result.clerkResponse);
  const trace = result.explained?.trace ?? [];
  const pathLine = trace.find((line) => line.startsWith("path: ")) ?? "";
  const [, raw, canonical] = /^path: (.*) \(canonical (.*)\)$/.exec(pathLine) ?? [];
  return {
    ours,
    clerk,
    variant: c.variant,
    decision: result.decision,
    clerkVerdict: clerkVerdict(clerk, result.clerkSignedIn),
    ourVerdict: edgeguardVerdict(ours, result.decision),
    ourDocument: trace.includes("kind: document navigation"),
    clerkPage: clerkIsPageRequest(new Headers(c.headers)),
    pathDiffers: result.decision?.reason === "bad-path" || raw !== canonical || trace.some((l) => l.startsWith("raw path matches rule")),
    unauthorizedAbsolute: new URL(UNAUTHORIZED_URL, new NextRequest(c.url).nextUrl.origin).href,
    explained: result.explained,
    claims: result.claims,
  };
}

function drawCase(r, paths) {
  const origin = r.pick(ORIGINS);
  const now = Math.floor(Date.now() / 1000);
  const user = drawUser(r, { key, otherKey, origin, now });
  const request = drawRequest(r);
  const path = paths ? r.pick(paths) : drawPath(r);
  const headers = { ...request.headers, ...user.headers };
  if (request.method !== "GET" && request.method !== "HEAD" && r.chance(0.5)) headers.origin = origin;
  return { url: origin + path, method: request.method, kind: request.kind, headers, user: user.label, variant: r.pick(["unauthorizedUrl", "plain"]) };
}

/** Runs `count` cases; returns agreements, named differences (by predicate) and unexplained ones. */
async function compare(run, r, count, { paths } = {}) {
  const named = Object.fromEntries([...Object.keys(BY_DESIGN), ...Object.keys(KNOWN_GAPS).map((n) => `gap:${n}`)].map((name) => [name, 0]));
  const verdicts = {};
  const unexplained = [];
  let exact = 0;
  let skippedUrl = 0;
  for (let i = 0; i < count; i++) {
    const c = drawCase(r, paths);
    try {
      new NextRequest(c.url);
    } catch {
      skippedUrl++; // not a URL Next could hand a middleware
      continue;
    }
    const f = facts(c, await run(c));
    verdicts[f.clerkVerdict] = (verdicts[f.clerkVerdict] ?? 0) + 1;
    // The adapter must have decided exactly what explain() decides from the same Clerk claims.
    if (f.decision && f.explained) {
      const pick = (d) => ({ action: d.action, status: d.status, location: d.location ?? null, reason: d.reason, rule: d.rule });
      if (JSON.stringify(pick(f.decision)) !== JSON.stringify(pick(f.explained.decision))) {
        unexplained.push({ why: "adapter decision differs from guard.explain with Clerk's claims", c, adapter: pick(f.decision), explain: pick(f.explained.decision) });
        continue;
      }
    }
    if (f.ours === f.clerk) {
      exact++;
      continue;
    }
    const name = explainDifference(f);
    if (name) {
      named[name]++;
      if (SHOW && name.includes(SHOW)) console.log(`[${name}] ${c.method} ${c.url} ${c.kind} ${c.variant} | clerk ${f.clerk} | ours ${f.ours} (${f.decision?.reason})`);
      continue;
    }
    unexplained.push({ c, clerk: f.clerk, ours: f.ours, clerkVerdict: f.clerkVerdict, ourVerdict: f.ourVerdict, reason: f.decision?.reason, rule: f.decision?.rule, ourDocument: f.ourDocument, clerkPage: f.clerkPage, trace: f.explained?.trace });
  }
  return { exact, named, verdicts, unexplained, skippedUrl };
}

const describeCase = (u) => JSON.stringify({ ...u, c: { ...u.c, headers: Object.keys(u.c.headers).join(",") } }, null, 1).slice(0, 1500);

test("auth.protect() and edgeguard agree on every generated request, except by named design", async () => {
  const run = await makeRunner(edgeguardPolicy());
  const r = mulberry32Rng(seed);
  const result = await compare(run, r, caseCount);
  console.log(`protect-diff: ${result.exact} identical outcomes; by design: ${JSON.stringify(result.named)}; verdicts: ${JSON.stringify(result.verdicts)}; ${result.skippedUrl} unparsable URLs`);
  assert.deepEqual(result.unexplained.slice(0, 5).map(describeCase), [], `${result.unexplained.length} unexplained difference(s) (seed ${seed})`);
  // The matrix must really exercise every verdict, or "agreement" proves little.
  for (const verdict of ["allow", "signed-out", "unauthorized", "bad-request", "handshake"]) {
    assert.ok((result.verdicts[verdict] ?? 0) > 0, `no case reached the verdict ${verdict} (seed ${seed})`);
  }
  assert.ok(result.exact > caseCount / 3, `only ${result.exact} identical outcomes`);
});

test("hand-written cases: each named difference is what it says, and the rest is identical", async () => {
  const run = await makeRunner(edgeguardPolicy());
  const { signJwt, ISSUER } = await import("../support/tokens.mjs");
  const now = Math.floor(Date.now() / 1000);
  const origin = "https://app.example.com";
  const token = (extra = {}) => signJwt(key, { azp: origin, exp: now + 300, iat: now - 10, nbf: now - 15, iss: ISSUER, sid: "sess_1", sub: "user_1", v: 2, fva: [0, -1], ...extra });
  const doc = { accept: "text/html", "sec-fetch-dest": "document" };
  const api = { accept: "application/json", "sec-fetch-dest": "empty" };
  const cookie = (t) => ({ cookie: `__session=${t}; __client_uat=${now - 10}` });
  const member = token({ o: { id: "org_1", rol: "member", slg: "acme" } });
  const admin = token({ o: { id: "org_1", rol: "admin", slg: "acme" } });
  const cases = [
    // [path, method, headers, variant, expected ours, expected clerk (null = same), predicate (null = identical)]
    ["/", "GET", doc, "plain", "allow", null, null],
    ["/dashboard", "GET", doc, "plain", `redirect ${origin}/sign-in?redirect_url=${encodeURIComponent(`${origin}/dashboard`)}`, null, null],
    ["/dashboard", "GET", api, "plain", "status 401", "not-found", "clerk404WhereEdgeguard401"],
    ["/admin", "GET", { ...doc, ...cookie(admin) }, "plain", "allow", null, null],
    ["/admin", "GET", { ...doc, ...cookie(member) }, "unauthorizedUrl", `redirect ${origin}/unauthorized`, null, null],
    ["/admin", "GET", { ...doc, ...cookie(member) }, "plain", `redirect ${origin}/unauthorized`, "not-found", "clerk404WhereEdgeguardRedirectsToUnauthorizedUrl"],
    ["/api/admin", "GET", { ...api, authorization: `Bearer ${member}` }, "plain", "status 403", "not-found", "clerkHidesOrRedirectsWhereEdgeguard403"],
    ["/api/admin", "GET", { ...api, authorization: `Bearer ${member}` }, "unauthorizedUrl", "status 403", `redirect ${origin}/unauthorized`, "clerkHidesOrRedirectsWhereEdgeguard403"],
    ["/recent", "GET", { ...api, authorization: `Bearer ${token({ iat: now - 3600 })}` }, "plain", "status 403", "allow", "maxAgeHasNoClerkEquivalent"],
    ["/dashboard", "POST", { ...doc }, "plain", "status 401", `redirect ${origin}/sign-in?redirect_url=${encodeURIComponent(`${origin}/dashboard`)}`, "requestKindDiffers"],
    ["/dashboard", "GET", { accept: "text/html", "sec-fetch-dest": "empty" }, "plain", "status 401", `redirect ${origin}/sign-in?redirect_url=${encodeURIComponent(`${origin}/dashboard`)}`, "requestKindDiffers"],
    ["/billing", "GET", { ...api, authorization: `Bearer ${token({ fva: [0, 2] })}` }, "plain", "allow", null, null],
    ["/admin%ZZ", "GET", doc, "plain", "status 400", null, null],
    ["/dashboard%2Fx", "GET", doc, "plain", "status 400", `redirect ${origin}/sign-in?redirect_url=${encodeURIComponent(`${origin}/dashboard%2Fx`)}`, "edgeguardCanonicalPathStricter"],
    ["/dashboard", "GET", { ...api, authorization: `Bearer ${token({ fva: [1, 2, 3] })}` }, "plain", "status 401", "allow", "edgeguardRefusesClaimsOutsideClerkTypes"],
    ["/dashboard", "GET", { ...doc, ...cookie(token({ sts: "pending" })) }, "plain", `redirect ${origin}/sign-in/tasks?redirect_url=${encodeURIComponent(`${origin}/dashboard`)}`, null, null],
  ];
  const problems = [];
  for (const [path, method, headers, variant, expectOurs, expectClerk, predicate] of cases) {
    const c = { url: origin + path, method, headers, variant };
    const f = facts(c, await run(c));
    const got = { ours: f.ours, clerk: f.clerk, predicate: f.ours === f.clerk ? null : explainDifference(f) };
    const want = { ours: expectOurs, clerk: expectClerk ?? expectOurs, predicate };
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${method} ${path} (${variant}): got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  assert.deepEqual(problems, []);
});

test("control: a policy that disagrees with the Clerk handler is caught", async () => {
  // The edgeguard side wrongly asks for "enterprise" where the Clerk side asks for "pro", and the
  // org-admin rule is made public: both must surface as unexplained differences.
  const broken = edgeguardPolicy((rules) => rules.map((rule) => {
    if (rule.name === "pro") return { ...rule, require: { plan: "enterprise" } };
    if (rule.name === "org-admin") return { name: rule.name, match: rule.match, public: true };
    return rule;
  }));
  const run = await makeRunner(broken);
  const r = mulberry32Rng(seed ^ 0x5eed);
  // The broad matrix, plus requests aimed at the two planted rules so the control cannot miss them
  // by chance.
  const broad = await compare(run, r, Math.min(caseCount, 600));
  const aimed = await compare(run, r, 300, { paths: ["/pro", "/api/pro/x", "/admin", "/api/admin/stats"] });
  const result = { unexplained: [...broad.unexplained, ...aimed.unexplained] };
  const rules = new Set(result.unexplained.map((u) => u.rule ?? u.c?.url));
  assert.ok(result.unexplained.length > 0, "the planted disagreement went unnoticed");
  assert.ok([...rules].some((rule) => rule === "org-admin"), `the public admin rule was not caught: ${[...rules].join(", ")}`);
  assert.ok([...rules].some((rule) => rule === "pro"), `the wrong plan was not caught: ${[...rules].join(", ")}`);
});
