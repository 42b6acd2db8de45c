// Differential test: edgeguard's verifyToken against the real `verifyToken` of @clerk/backend,
// same token, same options, same frozen clock. Verdicts and reasons must be identical, except
// where a named strictness predicate (tests/js/support/tokens.mjs) says edgeguard rejects what
// Clerk is lax about; there edgeguard must reject.
//
// TOKEN_DIFF_SEED=<n> replays a run; TOKEN_DIFF_CASES=<n> sets the number of generated cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyToken } from "edgeguard";
import { makeKeys, clerkVerify, strictnessPredicates, canonical, STRICTNESS_REASONS } from "./support/tokens.mjs";
import { handWrittenCases, generatedCase, NOW } from "./support/token-cases.mjs";

const keys = makeKeys();
const seed = Number(process.env.TOKEN_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const generatedCount = Number(process.env.TOKEN_DIFF_CASES ?? 2500);
console.log(`token-diff seed: ${seed} (TOKEN_DIFF_SEED=${seed} to replay), ${generatedCount} generated cases`);

const tally = { same: 0, excused: {}, outcomes: {} };

function describe(result) {
  if (result.ok) return "ok";
  return result.reason ?? `THREW ${result.threw}`;
}

async function compare(name, token, options) {
  const ours = verifyToken(token, options);
  const theirs = await clerkVerify(token, options);
  assert.notEqual(ours.reason, "engine-unavailable", `${name}: engine unavailable: ${ours.message}`);
  assert.notEqual(ours.reason, "invalid-options", `${name}: our options rejected: ${ours.message}`);
  const outcome = `${describe(theirs)} → ${describe(ours)}`;
  tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
  const same = ours.ok === theirs.ok && (ours.ok ? canonical(ours.claims) === canonical(theirs.claims) : ours.reason === theirs.reason);
  if (same) {
    tally.same += 1;
    return { ours, theirs, excused: [] };
  }
  const excused = strictnessPredicates(token, options);
  const detail = `\n  ours:  ${JSON.stringify(ours).slice(0, 400)}\n  clerk: ${JSON.stringify(theirs).slice(0, 400)}\n  token: ${String(token).slice(0, 300)}\n  options: ${JSON.stringify({ ...options, jwtKey: options.jwtKey ? "<pem>" : undefined, jwks: options.jwks ? "<jwks>" : undefined })}`;
  assert.ok(excused.length > 0, `${name}: verdicts differ and no documented strictness explains it${detail}`);
  assert.equal(ours.ok, false, `${name}: edgeguard accepted what Clerk rejected (${excused})${detail}`);
  const explained = excused.map((name) => STRICTNESS_REASONS[name]);
  assert.ok(explained.includes(ours.reason), `${name}: our reason ${ours.reason} is not the one of [${excused}]${detail}`);
  for (const predicate of excused) tally.excused[predicate] = (tally.excused[predicate] ?? 0) + 1;
  return { ours, theirs, excused };
}

test("hand-written cases: same verdict and reason as Clerk, or an expected documented strictness", async () => {
  const failures = [];
  for (const c of handWrittenCases(keys)) {
    try {
      const { ours, theirs, excused } = await compare(c.name, c.token, c.options);
      if (c.clerk !== undefined) {
        assert.equal(describe(theirs), c.clerk, `${c.name}: Clerk's verdict changed (the case no longer tests what it says)`);
      }
      if (c.ours !== undefined) assert.equal(describe(ours), c.ours, `${c.name}: our verdict`);
      if (c.strictness !== undefined) {
        assert.ok(excused.includes(c.strictness), `${c.name}: expected strictness ${c.strictness}, got [${excused}]`);
      }
    } catch (error) {
      failures.push(error.message);
    }
  }
  assert.deepEqual(failures, []);
});

test(`generated cases (seed ${seed}): same verdict and reason as Clerk, or a documented strictness`, async () => {
  for (let i = 0; i < generatedCount; i++) {
    const c = generatedCase(keys, seed, i);
    await compare(`case ${i} (seed ${seed}; ${c.name})`, c.token, c.options);
  }
  // The generator must reach every verdict, or the comparison says little.
  const reasons = new Set(Object.keys(tally.outcomes).map((o) => o.split(" → ")[0]));
  for (const expected of [
    "ok",
    "token-invalid",
    "token-invalid-algorithm",
    "token-invalid-signature",
    "token-verification-failed",
    "token-expired",
    "token-not-active-yet",
    "token-iat-in-the-future",
    "token-invalid-authorized-parties",
    "token-invalid-issuer",
    "jwk-kid-mismatch",
  ]) {
    assert.ok(reasons.has(expected), `the generator never produced a Clerk verdict of ${expected}`);
  }
  console.log("outcomes (clerk → edgeguard):", tally.outcomes);
  console.log("excused by strictness predicates:", tally.excused);
});

test("an issuer function decides at Clerk's issuer step (before exp/nbf/iat)", () => {
  const list = ["https://clerk.example.com", "https://other.example.com"];
  for (let i = 0; i < 400; i++) {
    const c = generatedCase(keys, seed + 1, i);
    const asList = verifyToken(c.token, { ...c.options, issuer: list });
    const asFunction = verifyToken(c.token, { ...c.options, issuer: (iss) => list.includes(iss) });
    const verdict = (r) => (r.ok ? canonical(r.claims) : r.reason);
    assert.equal(verdict(asFunction), verdict(asList), `case ${i}: ${c.name}`);
  }
  const c = generatedCase(keys, seed + 2, 0);
  const throwing = verifyToken(c.token, { ...c.options, issuer: () => { throw new Error("boom"); } });
  assert.equal(throwing.ok, false);
  const truthyNotTrue = verifyToken(c.token, { ...c.options, issuer: () => 1 });
  assert.equal(truthyNotTrue.ok, false);
});

test("bad options are errors as data, never an acceptance", () => {
  const { token, options } = handWrittenCases(keys)[0];
  for (const bad of [
    { clockSkewInMs: -1 },
    { clockSkewInMs: 1.5 },
    { clockSkewInMs: "5000" },
    { authorizedParties: "https://app.example.com" }, // Clerk would do a substring match
    { audience: 5 },
    { issuer: [1] },
    { headerType: {} },
    { now: -1 },
    { now: Number.NaN },
    { jwtKey: options.jwtKey, jwks: { keys: [] } },
  ]) {
    const result = verifyToken(token, { ...options, ...bad });
    assert.equal(result.ok, false, JSON.stringify(bad));
    assert.equal(result.reason, "invalid-options", JSON.stringify(bad));
  }
  assert.equal(verifyToken(token, { now: NOW }).reason, "jwk-failed-to-resolve");
  for (const jwtKey of ["not a pem", keys.rsa1024.pem, "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----"]) {
    const result = verifyToken(token, { jwtKey, now: NOW });
    assert.equal(result.reason, "invalid-options");
    assert.match(result.message, /jwtKey/);
  }
  for (const jwks of [{}, { keys: [] }, { keys: [null] }, { keys: [{ kty: "RSA" }] }]) {
    assert.equal(verifyToken(token, { jwks, now: NOW }).reason, "invalid-options", JSON.stringify(jwks));
  }
});
