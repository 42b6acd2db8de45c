// Node only: OpenSSL's raw RSA public operation (s^e mod n) for the core's RS256 check, handed to
// the engine with setRsaPublicOp. The core keeps everything else: the signature's range check and
// the comparison of the whole PKCS#1 v1.5 block (src/token/public_op.rs), so whatever this returns
// or throws can only make a signature fail. Verified against the core's own arithmetic in
// tests/js/rsa-public-op.test.mjs.
import { constants, createPublicKey, publicDecrypt } from "node:crypto";

const MAX_KEYS = 64;
const keys = new Map();

const base64url = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");

function exponentBytes(exponent) {
  const bytes = [];
  for (let e = exponent; e > 0; e = Math.floor(e / 256)) bytes.unshift(e % 256);
  return Uint8Array.from(bytes);
}

// The key of the last call, compared byte for byte: one key per deployment is the usual case, and
// naming it by its base64url text cost a microsecond a call.
let last = null;

function keyFor(modulus, exponent) {
  if (last && last.exponent === exponent && Buffer.compare(last.modulus, modulus) === 0) return last.key;
  const key = keyByText(modulus, exponent);
  last = { modulus: Buffer.from(modulus), exponent, key };
  return key;
}

function keyByText(modulus, exponent) {
  const id = `${exponent}.${base64url(modulus)}`;
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: { kty: "RSA", n: base64url(modulus), e: base64url(exponentBytes(exponent)) }, format: "jwk" });
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
    keys.set(id, key);
  }
  return key;
}

/** `signature^exponent mod modulus`, big-endian, as long as the modulus (RSA without padding). */
export function rsaPublicOp(modulus, exponent, signature) {
  return publicDecrypt({ key: keyFor(modulus, exponent), padding: constants.RSA_NO_PADDING }, signature);
}
