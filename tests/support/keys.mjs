// The one RSA key pair a test run signs its Clerk session tokens with. Clerk's `jwtKey` parser only
// understands RSA-2048, e = 65537, SPKI "BEGIN PUBLIC KEY" PEM, so exactly that is generated.
import { generateKeyPairSync } from "node:crypto";

export function generateSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return { privateKey, publicKeyPem, kid: "ins_edgeguard_local" };
}

/** Clerk-style "JWT public key" as one line (how the dashboard shows it and how env files hold it). */
export function pemAsEnvValue(pem) {
  return pem.trim().replace(/\n/g, "\\n");
}
