// Start-up checks of Clerk settings that edgeguard does not otherwise parse: a bad value must stop
// the app with a message naming the setting, not surface later as a per-request failure.
import { GuardError } from "./guard.js";

export const PUBLISHABLE_KEY_SETTING = "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY";
const PREFIXES = { pk_test_: "development", pk_live_: "production" };
// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, ≤ 253 chars.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/**
 * Parses a Clerk publishable key: `pk_test_` / `pk_live_` + base64 of "<frontend API host>$".
 * Stricter than Clerk's `isPublishableKey` (which only wants a `.` and a final `$`): the decoded
 * host must be a valid DNS host name and the base64 well-formed.
 * @returns {{ ok: true, instanceType: "development" | "production", frontendApi: string }
 *   | { ok: false, setting: string, message: string }}
 */
export function checkPublishableKey(key, setting = PUBLISHABLE_KEY_SETTING) {
  const fail = (why) => ({ ok: false, setting, message: `${setting} ${why}` });
  if (key === undefined || key === null || key === "") return fail("is missing (copy it from the Clerk dashboard, API keys)");
  if (typeof key !== "string") return fail(`must be a string (got ${typeof key})`);
  const prefix = Object.keys(PREFIXES).find((p) => key.startsWith(p));
  if (!prefix) return fail(`must start with "pk_test_" or "pk_live_" (got ${JSON.stringify(key.slice(0, 8))}…)`);
  const encoded = key.slice(prefix.length);
  if (!encoded || !BASE64.test(encoded)) return fail("is not valid: the part after the prefix must be base64");
  const decoded = atob(encoded); // runs in edge runtimes too: no Buffer
  if (!decoded.endsWith("$") || decoded.indexOf("$") !== decoded.length - 1) {
    return fail("is not valid: it must encode the frontend API host followed by a single \"$\"");
  }
  const host = decoded.slice(0, -1);
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return fail(`is not valid: ${JSON.stringify(host.slice(0, 80))} is not a host name`);
  }
  return { ok: true, instanceType: PREFIXES[prefix], frontendApi: host.toLowerCase() };
}

/** checkPublishableKey that throws a GuardError naming the setting. */
export function assertPublishableKey(key, setting = PUBLISHABLE_KEY_SETTING) {
  const checked = checkPublishableKey(key, setting);
  if (!checked.ok) throw new GuardError(`edgeguard: ${checked.message}`, [{ path: setting, message: checked.message }]);
  return checked;
}
