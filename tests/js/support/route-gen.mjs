// Randomised (seeded) generators of Clerk route patterns, paths that should and should not match
// them, hostile paths, and malformed patterns — for the differential tests against Clerk.
import { mulberry32 } from "../../support/mulberry32.mjs";

/** Seed from EDGEGUARD_SEED, else fresh; always printed by the caller. */
export function seedFromEnv() {
  const fromEnv = process.env.EDGEGUARD_SEED;
  if (fromEnv !== undefined && fromEnv !== "") return Number(fromEnv) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** mulberry32: small, fast, good enough for test generation. */
export function makeRng(seed) {
  const next = mulberry32(seed >>> 0);
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    repeat: (min, max, make) => Array.from({ length: min + Math.floor(next() * (max - min + 1)) }, make),
  };
  return rng;
}

// Words seen in real apps, plus case-folding traps: full-width letters, Kelvin sign, long s,
// dotted I, final sigma, ligatures, astral characters.
const WORDS = [
  "admin", "api", "dashboard", "blog", "sign-in", "sign-up", "org", "settings", "billing", "webhooks",
  "users", "en", "fr", "de-DE", "v1", "v2", "_next", "static", "café", "über", "straße", "日本",
  "ａｄｍｉｎ", "\u212Aey", "ſecret", "İstanbul", "σοφία", "ǅemal", "ﬁle", "😀", "a.b", "x_y", "~me",
];
const VALUES = [
  "1", "42", "0007", "abc", "ABC", "a-b", "a.b", "a_b", "é", "É", "ß", "SS", "ｆｕｌｌ", "K", "k", "\u212A",
  "ſ", "s", "S", "😀", "x y", "%", "%25", "-", ".", "..", "...", "~", "!", "$", ";", ":", "@", "+", "=",
  "\u0130", "i", "\u0131", "ς", "Σ", "\u00B5", "\u039C", "\u1E9E", "tab\t", "nl\n",
];
const HOSTILE_PATHS = [
  "//admin", "///admin//x", "/ADMIN", "/Admin", "/%61dmin", "/%41DMIN", "/admin%2Fx", "/admin%2fx",
  "/%2e%2e/admin", "/%2E%2E/admin", "/.%2e/admin", "/x/../admin", "/x/%2e%2e/admin", "/admin/%0Asecret",
  "/admin%00", "/%00admin", "/admin%0d%0a", "%", "/%", "/admin%", "/admin%2", "/admin%zz", "/%C3%28",
  "/%E0%A4%A", "/%ED%A0%80", "/%C0%AF", "/%F4%90%80%80", "/%FF", "/admin;x", "/admin;/x", "/admin\\x",
  "/\\admin", "/ａｄｍｉｎ", "/%EF%BD%81dmin", "/admin%20", "/%20admin", "/admin/", "/admin//",
  "/admin%252F", "/%2561dmin", "/admin/./x", "/admin#frag", "/admin?q=1", "/admin%3F", "/admin%23x",
  "/%F0%9F%98%80", "/\u212Admin", "/ſecret", "/admin%E2%80%A8", "/admin\u2028", "/%5Cadmin",
  "/_next/data/build/admin.json", "/_next/data/build/index.json", "/_next/data/b/admin/x.json",
  "/api/../admin", "/api%2F..%2Fadmin", "/admin.", "/admin..", "/admin~", "/admin%7E",
];

/** Hand-written hostile paths plus random ones (bytes, escapes, very long). */
export function hostilePaths(rng, randomCount = 60) {
  const out = [...HOSTILE_PATHS];
  for (let i = 0; i < randomCount; i++) out.push(randomPath(rng));
  out.push("/admin/" + "a".repeat(65536));
  out.push("/" + "%2e%2e/".repeat(2000) + "admin");
  out.push("/" + "/".repeat(30000) + "admin");
  return out;
}

function randomPath(rng) {
  const kind = rng.int(4);
  if (kind === 0) {
    // random bytes, percent-encoded (mostly invalid UTF-8)
    return "/" + rng.repeat(1, 8, () => "%" + rng.int(256).toString(16).padStart(2, "0")).join("");
  }
  if (kind === 1) {
    // random code units (lone surrogates included): the URL parser encodes them
    return "/" + rng.repeat(1, 8, () => String.fromCharCode(rng.int(0x10000))).join("");
  }
  if (kind === 2) return "/" + rng.repeat(1, 5, () => rng.pick(WORDS)).join(rng.pick(["/", "//", "-", ".", "%2F", "%2e"]));
  return "/" + encodeChunk(rng, rng.pick(WORDS)) + rng.pick(["", "/", "%2f", "%00", "%", ";", "\\"]);
}

function encodeChunk(rng, text) {
  let out = "";
  for (const ch of text) {
    if (rng.chance(0.3) && ch.isWellFormed()) {
      const encoded = encodeURIComponent(ch);
      out += encoded === ch ? "%" + ch.charCodeAt(0).toString(16).padStart(2, "0") : encoded;
    }
    else out += rng.chance(0.3) ? ch.toUpperCase() : ch;
  }
  return out;
}

// --- custom parameter regexes: { src, sample() } -------------------------------------------

const REGEX_ATOMS = [
  ["\\d", () => "7"], ["\\D", () => "x"], ["\\w", () => "a"], ["\\W", () => "-"], ["\\s", () => " "],
  ["\\S", () => "s"], [".", () => "q"], ["[a-z]", () => "m"], ["[^/]", () => "z"], ["[A-Z0-9_-]", () => "Q"],
  ["[\\w-]", () => "-"], ["[\\d.]", () => "."], ["[^-]", () => "a"], ["[é-ü]", () => "ö"], ["[\\b]", () => "\b"],
  ["\\x41", () => "a"], ["\\u00e9", () => "É"], ["\\u212a", () => "k"], ["\\cJ", () => "\n"], ["\\0", () => "\0"],
  ["\\12", () => "\n"], ["\\101", () => "A"], ["\\8", () => "8"], ["\\-", () => "-"], ["\\.", () => "."],
  ["a", () => "A"], ["k", () => "K"], ["s", () => "ſ"], ["ß", () => "ẞ"], ["σ", () => "ς"], ["µ", () => "μ"],
  ["😀", () => "😀"], ["[😀]", () => "\ud83d"], ["\\ud83d", () => "\ud83d"], ["[^a]", () => "A"],
  ["[]", () => ""], ["[^]", () => "\n"], ["\\k", () => "k"], ["\\p", () => "p"], ["]", () => "]"],
  ["{", () => "{"], ["}", () => "}"], ["x{,2}", () => "x{,2}"], ["\\c", () => "\\c"], ["[\\c_]", () => "\x1f"],
  ["\\b", () => ""], ["\\B", () => ""], ["^", () => ""], ["$", () => ""],
];

export function genRegex(rng, depth = 0) {
  const pieces = rng.repeat(1, 4, () => regexPiece(rng, depth));
  if (rng.chance(0.15) && depth < 2) {
    const other = genRegex(rng, depth + 1);
    return { src: pieces.map((p) => p.src).join("") + "|" + other.src, sample: () => (rng.chance(0.5) ? pieces.map((p) => p.sample()).join("") : other.sample()) };
  }
  return { src: pieces.map((p) => p.src).join(""), sample: () => pieces.map((p) => p.sample()).join("") };
}

function regexPiece(rng, depth) {
  let base;
  let grouped = false;
  const roll = rng.next();
  if (roll < 0.12 && depth < 2) {
    const inner = genRegex(rng, depth + 1);
    base = { src: `(?:${inner.src})`, sample: inner.sample };
    grouped = true;
  } else if (roll < 0.16 && depth < 2) {
    const inner = regexPiece(rng, depth + 1);
    const neg = rng.chance(0.5);
    base = { src: `(?${neg ? "!" : "="}${inner.src})`, sample: () => "" };
  } else if (roll < 0.18) {
    base = { src: rng.pick(["(?<=a)", "(?<!b)", "\\1", "(?<n>x)\\k<n>", "(?<n>y)"]), sample: () => "x" };
  } else {
    const [src, sample] = rng.pick(REGEX_ATOMS);
    base = { src, sample };
  }
  // Unbounded quantifiers only on single-unit atoms: nested `(?:a+)+` makes Clerk's backtracking
  // V8 regex exponential (edgeguard is linear; the test would just hang on Clerk's side).
  const quant = grouped
    ? rng.pick(["", "", "?", "{2}", "{2,1}"])
    : rng.pick(["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "{2,1}", "{1001}"]);
  if (!quant) return base;
  return { src: base.src + quant, sample: () => rng.repeat(quant.startsWith("{2}") ? 2 : 1, quant === "?" ? 1 : 2, base.sample).join("") };
}

// --- route patterns: { pattern, sample() } ---------------------------------------------------

const NAMES = ["id", "slug", "locale", "path", "rest", "x", "Y_1"];
const MODIFIERS = ["", "", "", "?", "*", "+"];

function part(rng) {
  const roll = rng.next();
  const word = rng.pick(WORDS);
  const name = rng.pick(NAMES);
  const mod = rng.pick(MODIFIERS);
  const value = () => rng.pick(VALUES.concat(WORDS));
  const repeated = (one) => () => (mod === "*" || mod === "+" ? rng.repeat(mod === "+" ? 1 : 0, 3, one).join("") : mod === "?" && rng.chance(0.3) ? "" : one());
  if (roll < 0.3) return { src: "/" + escapeLiteral(word), sample: () => "/" + word };
  if (roll < 0.45) return { src: `/:${name}${mod}`, sample: repeated(() => "/" + value()) };
  if (roll < 0.58) {
    const re = genRegex(rng);
    return { src: `/:${name}(${re.src})${mod}`, sample: repeated(() => "/" + re.sample()) };
  }
  if (roll < 0.66) return { src: "(.*)", sample: () => rng.pick(["", "/x", "/a/b", "-y"]) };
  if (roll < 0.72) return { src: "/(.*)", sample: () => "/" + value() };
  if (roll < 0.8) {
    const inner = rng.pick([`/${escapeLiteral(word)}`, `/:${name}`, `-:${name}`, `.:${name}`, `/:${name}(\\d+)`, `/${escapeLiteral(word)}-`]);
    return { src: `{${inner}}${mod}`, sample: repeated(() => inner.replace(/:[A-Za-z_0-9]+(\([^)]*\))?/, value()).replace(/\\/g, "")) };
  }
  if (roll < 0.86) return { src: rng.pick(["-", ".", "_", "~"]) + `:${name}`, sample: () => "-" + value() };
  if (roll < 0.91) return { src: `/:locale(${rng.pick(["en|fr|de", "[a-z]{2}", "en-US|fr-FR"])})`, sample: () => "/" + rng.pick(["en", "fr", "DE", "en-US", "xx"]) };
  if (roll < 0.95) return { src: rng.pick(["\\.", "\\(", "\\:", "\\\\", "\\*", "\\{"]) + word, sample: () => "." + word };
  return { src: rng.pick(["/", "//", "#", "?", ";", "%", "%2F", " "]), sample: () => "/" };
}

function escapeLiteral(word) {
  return word.replace(/[:(){}*+?\\]/g, "\\$&");
}

export function genPattern(rng) {
  const parts = rng.repeat(1, 4, () => part(rng));
  return { pattern: parts.map((p) => p.src).join(""), sample: () => parts.map((p) => p.sample()).join("") };
}

/** Paths for one pattern: instances, near misses (case, slashes, encodings) and noise. */
export function pathsFor(rng, generated, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    let path = generated.sample();
    if (!path.startsWith("/")) path = "/" + path;
    const mutation = rng.int(10);
    if (mutation === 1) path = path.toUpperCase();
    else if (mutation === 2) path += rng.pick(["/", "//", "/x", "-", ".", "?q", "#h", "%2F", "%", "%00", ";"]);
    else if (mutation === 3) path = path.replace("/", "//");
    else if (mutation === 4) path = encodeChunk(rng, path);
    else if (mutation === 5) path = path.slice(0, Math.max(1, rng.int(path.length)));
    else if (mutation === 6) path = randomPath(rng);
    out.push(path);
  }
  return out;
}

/** Strings that look like patterns but are often invalid: creation-time error parity. */
export function genMalformedPattern(rng) {
  const alphabet = ["/", ":", "a", "id", "(", ")", "{", "}", "*", "+", "?", "\\", "[", "]", "|", "^", "$", ".", "-", "1", "?:", "?=", "?<", "\\d", "é"];
  if (rng.chance(0.5)) return rng.repeat(1, 10, () => rng.pick(alphabet)).join("");
  const base = genPattern(rng).pattern;
  const at = rng.int(base.length + 1);
  return rng.chance(0.5) ? base.slice(0, at) + rng.pick(alphabet) + base.slice(at) : base.slice(0, at) + base.slice(at + 1);
}
