// Generates tests/rs256_fixtures/node_signatures.json: RSA keys made by Node's crypto (OpenSSL)
// and RS256 signatures, each case labelled with Node's own `crypto.verify` verdict, which
// tests/rs256.rs must reproduce. Run: node tests/rs256_fixtures/generate.mjs [seed]
// Key generation uses OpenSSL's RNG (not seedable); the messages and mutations come from the
// printed seed. The file is checked in so the Rust tests need no Node.
import crypto from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const seed = Number(process.argv[2] ?? 20250611);
console.log(`rs256 fixtures: seed ${seed}`);
let state = BigInt(seed);
// splitmix64: a small, reproducible message generator.
function next64() {
  state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return z ^ (z >> 31n);
}
const randInt = (below) => Number(next64() % BigInt(below));
const randBytes = (len) => Buffer.from(Array.from({ length: len }, () => randInt(256)));

const b64urlToHex = (s) => Buffer.from(s, "base64url").toString("hex");
const keySpecs = [
  { bits: 2048, e: 65537 },
  { bits: 2048, e: 3 },
  { bits: 2049, e: 65537 },
  { bits: 2071, e: 65537 },
  { bits: 3071, e: 17 },
  { bits: 3072, e: 65537 },
  { bits: 4095, e: 0x7fffffff },
  { bits: 4096, e: 65537 },
];

function caseFor(privateKey, publicKey, message, signature, label) {
  const valid = crypto.verify("sha256", message, publicKey, signature);
  return { label, message: message.toString("hex"), signature: signature.toString("hex"), valid };
}

const keys = [];
for (const spec of keySpecs) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
    modulusLength: spec.bits,
    publicExponent: spec.e,
  });
  const jwk = publicKey.export({ format: "jwk" });
  const cases = [];
  const messages = [
    Buffer.alloc(0),
    Buffer.from("eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18xIn0.eyJzdWIiOiJ1c2VyXzEifQ"),
    randBytes(1 + randInt(300)),
    randBytes(1 + randInt(600)),
  ];
  for (const message of messages) {
    const signature = crypto.sign("sha256", message, privateKey);
    cases.push(caseFor(privateKey, publicKey, message, signature, "signed"));
    const flipped = Buffer.from(signature);
    flipped[randInt(flipped.length)] ^= 1 << randInt(8);
    cases.push(caseFor(privateKey, publicKey, message, flipped, "signature bit flipped"));
    const other = Buffer.concat([message, Buffer.from([randInt(256)])]);
    cases.push(caseFor(privateKey, publicKey, other, signature, "message changed"));
    const sha384 = crypto.sign("sha384", message, privateKey);
    cases.push(caseFor(privateKey, publicKey, message, sha384, "signed with SHA-384"));
  }
  if (spec.bits === 2048 && spec.e === 65537) {
    // A signature whose first byte is 0x00 (s < 2^(8k−8)): still exactly k bytes, must verify.
    for (let i = 0; ; i++) {
      const message = Buffer.from(`leading zero search ${seed} ${i}`);
      const signature = crypto.sign("sha256", message, privateKey);
      if (signature[0] === 0) {
        cases.push(caseFor(privateKey, publicKey, message, signature, "signature with leading zero byte"));
        cases.push(caseFor(privateKey, publicKey, message, signature.subarray(1), "leading zero byte stripped"));
        break;
      }
    }
  }
  const modulusBits = BigInt("0x" + b64urlToHex(jwk.n)).toString(2).length;
  keys.push({ requestedBits: spec.bits, modulusBits, n: b64urlToHex(jwk.n), e: b64urlToHex(jwk.e), cases });
}

const out = fileURLToPath(new URL("./node_signatures.json", import.meta.url));
writeFileSync(out, JSON.stringify({ generator: "tests/rs256_fixtures/generate.mjs", seed, node: process.version, keys }, null, 1) + "\n");
console.log(`wrote ${out}: ${keys.length} keys, ${keys.reduce((s, k) => s + k.cases.length, 0)} cases`);
