// Sections 1 and 2: cold decisions (a never-seen token each time) and warm decisions (the same
// tokens again: edgeguard's token cache hits; Clerk and jose verify again, they have no cache).
// edgeguard's guard.decide is synchronous; Clerk's verifyToken and jose's jwtVerify are async
// (WebCrypto) and are awaited one at a time.
import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import * as glue from "../../pkg/edgeguard_bg.js";
import { rsaPublicOp } from "../../js/node-rsa.js";
import { interleave, timerOverhead } from "../lib/timing.mjs";
import { summarize } from "../lib/stats.mjs";
import { clerkDecider, decisionRequest, joseDecider, POLICY } from "../lib/scenario.mjs";

const WARM_TOKENS = 64;

export async function runDecisions({ pool, refs, config, log }) {
  const { createGuard, verifyToken } = await import("edgeguard");
  const guard = await createGuard({ policy: POLICY, jwtKey: pool.jwtKey, onAudit: () => {} });
  const clerkDecide = clerkDecider({ ...refs, jwtKey: pool.jwtKey });
  const joseDecide = await joseDecider({ ...refs, jwtKey: pool.jwtKey });

  const { warmupCalls, cold, warm } = config.decisions;
  const needed = warmupCalls + 4 * cold.passes * cold.perPass + WARM_TOKENS;
  if (pool.tokens.length < needed) throw new Error(`token pool too small: ${pool.tokens.length} < ${needed}`);
  let next = 0;
  const take = (count) => pool.tokens.slice(next, (next += count)).map((token) => decisionRequest(token));
  const warmupRequests = take(warmupCalls);
  const coldRequests = take(cold.passes * cold.perPass);
  const warmRequests = take(WARM_TOKENS);
  // Its own never-seen tokens: whatever verifyToken might cache cannot reach the guard's requests.
  const verifyOnlyTokens = pool.tokens.slice(next, (next += cold.passes * cold.perPass));
  const wasmArithmeticRequests = take(cold.passes * cold.perPass);

  const bearerOf = (request) => request.headers.get("authorization").slice(7);
  const edgeguardAction = (request) => guard.decide(request);
  const variants = [
    { name: "edgeguard", call: edgeguardAction, async: false },
    { name: "clerk", call: clerkDecide, async: true },
    { name: "jose", call: joseDecide, async: true },
  ];

  // Reference rows, to show where a cold decision's time goes: edgeguard's verifyToken alone (no
  // route, no policy) and OpenSSL's RS256 signature check alone (node:crypto, synchronous).
  const publicKey = createPublicKey(pool.jwtKey);
  const references = [
    { name: "edgeguard-verifyToken", call: (token) => verifyToken(token, { jwtKey: pool.jwtKey }), async: false,
      input: (pass, i) => verifyOnlyTokens[pass * cold.perPass + i] },
    { name: "node-crypto-verify", call: opensslVerify(publicKey), async: false,
      input: (pass, i) => bearerOf(coldRequests[pass * cold.perPass + i]) },
    // The same decision with the core's own wasm RS256 arithmetic, as the edge entry runs it (the
    // Node entry hands the exponentiation to OpenSSL): the host operation is taken away for the
    // call and given back after it (two calls into wasm, well under a microsecond).
    { name: "edgeguard-wasm-arithmetic", call: wasmArithmetic(guard), async: false,
      input: (pass, i) => wasmArithmeticRequests[pass * cold.perPass + i] },
  ];
  if (!verifyToken(bearerOf(warmupRequests[0]), { jwtKey: pool.jwtKey }).ok) throw new Error("edgeguard verifyToken rejects the benchmark token");

  // Every path must reach the same verdict, or the timings compare different work.
  const probe = warmupRequests[0];
  const probeDecision = guard.decide(probe);
  const verdicts = {
    edgeguard: `${probeDecision.action}:${probeDecision.reason}`,
    clerk: await clerkDecide(probe),
    jose: await joseDecide(probe),
  };
  if (!verdicts.edgeguard.startsWith("allow") || verdicts.clerk !== "allow" || verdicts.jose !== "allow") {
    throw new Error(`the decision paths disagree or deny the benchmark request: ${JSON.stringify(verdicts)}`);
  }

  log(`decisions: warm-up (${warmupCalls} calls per path)`);
  for (const variant of variants) {
    for (const request of warmupRequests) await variant.call(request);
  }
  for (const reference of references) {
    for (const request of warmupRequests) reference.call(reference.name === "edgeguard-wasm-arithmetic" ? request : bearerOf(request));
  }

  log(`decisions: cold, ${cold.passes} interleaved passes × ${cold.perPass} never-seen tokens per path`);
  const coldSamples = await interleave(
    [...variants.map((v) => ({ ...v, input: (pass, i) => coldRequests[pass * cold.perPass + i] })), ...references],
    cold,
  );

  for (const request of warmRequests) guard.decide(request); // into edgeguard's cache
  log(`decisions: warm, ${warm.passes} interleaved passes × ${warm.perPass} calls per path (${WARM_TOKENS} tokens)`);
  const warmSamples = await interleave(
    variants.map((v) => ({ ...v, input: (pass, i) => warmRequests[(pass * warm.perPass + i) % WARM_TOKENS] })),
    warm,
  );

  const outcome = Object.fromEntries(
    [...coldRequests.slice(0, 50), ...warmRequests].map((r) => guard.decide(r)).map((d) => [`${d.action}:${d.reason}`, true]),
  );
  return {
    verdicts,
    edgeguardOutcomes: Object.keys(outcome),
    timerOverheadUs: timerOverhead(),
    cold: mapValues(coldSamples, summarize),
    warm: mapValues(warmSamples, summarize),
  };
}

function wasmArithmetic(guard) {
  return (request) => {
    glue.setRsaPublicOp(null);
    try {
      return guard.decide(request);
    } finally {
      glue.setRsaPublicOp(rsaPublicOp);
    }
  };
}

function opensslVerify(publicKey) {
  return (token) => {
    const dot = token.lastIndexOf(".");
    return cryptoVerify("RSA-SHA256", Buffer.from(token.slice(0, dot)), publicKey, Buffer.from(token.slice(dot + 1), "base64url"));
  };
}

function mapValues(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}
