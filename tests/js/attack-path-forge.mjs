// Hostile spellings of protected paths for tests/js/attack-paths.test.mjs, and the oracle of
// where Next.js would route them. Generators compose random transformations (seeded), so the
// corpus is broad rather than a list tuned to one canonicaliser.

const hex = (byte, lower) => {
  const h = byte.toString(16).padStart(2, "0");
  return `%${lower ? h : h.toUpperCase()}`;
};
const encodeChar = (c, lower) => Array.from(new TextEncoder().encode(c), (b) => hex(b, lower)).join("");

// Overlong UTF-8 forms of ASCII (invalid UTF-8 that old decoders mapped to the ASCII character).
const overlong2 = (code) => `%${(0xc0 | (code >> 6)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
const overlong3 = (code) => `%e0%${(0x80 | (code >> 6)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;

const FULLWIDTH = (c) => (c >= "!" && c <= "~" ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c);
const HOMOGLYPHS = { a: "а", e: "е", o: "о", i: "і", c: "с", d: "ԁ", s: "ѕ", p: "р", h: "һ", n: "ո", m: "ṃ", r: "г", b: "Ь", l: "ӏ" };
const COMBINING = ["\u0301", "\u0308", "\u200b", "\u200d", "\ufeff", "\u00ad"];

/** One transformation of a path; each takes (path, rng) and returns a new path string. */
export const TRANSFORMS = {
  percentOneChar(path, rng) {
    const i = 1 + rng.int(Math.max(1, path.length - 1));
    if (path[i] === "/" || path[i] === "%") return path;
    return path.slice(0, i) + encodeChar(path[i], rng.next() < 0.5) + path.slice(i + 1);
  },
  percentAll(path, rng) {
    return path.split("/").map((seg) => Array.from(seg, (c) => encodeChar(c, rng.next() < 0.5)).join("")).join("/");
  },
  doubleEncode(path, rng) {
    const i = 1 + rng.int(Math.max(1, path.length - 1));
    if (path[i] === "/") return path;
    return path.slice(0, i) + encodeChar(path[i], true).replace("%", "%25") + path.slice(i + 1);
  },
  encodedSlash(path, rng) {
    const slashes = [...path.matchAll(/\//g)].map((m) => m.index).filter((i) => i > 0);
    if (!slashes.length) return `${path}${rng.pick(["%2f", "%2F", "%5c", "%5C"])}`;
    const at = rng.pick(slashes);
    return path.slice(0, at) + rng.pick(["%2f", "%2F", "%5c", "%5C", "%252f"]) + path.slice(at + 1);
  },
  overlong(path, rng) {
    const i = 1 + rng.int(Math.max(1, path.length - 1));
    const code = path.charCodeAt(i);
    if (!(code < 0x80)) return path;
    return path.slice(0, i) + (rng.next() < 0.5 ? overlong2(code) : overlong3(code)) + path.slice(i + 1);
  },
  mixedCase(path, rng) {
    return Array.from(path, (c) => (rng.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join("");
  },
  dotSegments(path, rng) {
    const segs = path.split("/");
    const at = 1 + rng.int(segs.length);
    const junk = rng.pick([".", "..", "%2e", "%2E%2E", ".%2e", "x/..", "x/%2e%2e", "x/.%2E", "...", "..;", ".;x"]);
    segs.splice(at, 0, junk);
    return segs.join("/");
  },
  parentEscape(path, rng) {
    return `${rng.pick(["/sign-in", "/", "/blog/x", "/about"])}/${rng.pick(["..", "%2e%2e", "..%2f..", "%2e%2e%2f", "..\\", "..%5c"])}${path}`;
  },
  doubleSlash(path, rng) {
    const i = path.indexOf("/", 1 + rng.int(Math.max(1, path.length - 1)));
    return i < 0 ? `/${path}` : `${path.slice(0, i)}/${path.slice(i)}`;
  },
  leadingSlashes(path, rng) {
    return "/".repeat(1 + rng.int(3)) + path;
  },
  matrixParam(path, rng) {
    const segs = path.split("/");
    const at = 1 + rng.int(Math.max(1, segs.length - 1));
    segs[at] = `${segs[at] ?? ""};${rng.pick(["", "x", "jsessionid=1", "a=b;c", "%2f"])}`;
    return segs.join("/");
  },
  controlByte(path, rng) {
    const i = 1 + rng.int(Math.max(1, path.length));
    return path.slice(0, i) + rng.pick(["%00", "%09", "%0a", "%0d", "%7f", "%1f", "%0A%0D", "\t", "%20", "+"]) + path.slice(i);
  },
  backslash(path, rng) {
    return path.replace(/\//g, () => (rng.next() < 0.5 ? "\\" : "/"));
  },
  fullwidth(path, rng) {
    return Array.from(path, (c) => (c !== "/" && rng.next() < 0.4 ? FULLWIDTH(c) : c)).join("");
  },
  homoglyph(path, rng) {
    return Array.from(path, (c) => (HOMOGLYPHS[c] && rng.next() < 0.5 ? HOMOGLYPHS[c] : c)).join("");
  },
  combining(path, rng) {
    const i = 2 + rng.int(Math.max(1, path.length - 2));
    return path.slice(0, i) + rng.pick(COMBINING) + path.slice(i);
  },
  trailing(path, rng) {
    return path + rng.pick(["/", "//", "/.", "/..", ".", "%20", "%00", "#x", "?x=/public", "/%2e", ";", "~", "%23"]);
  },
  veryLong(path, rng) {
    const pad = rng.pick(["/a/..", "/.", "//", "/%2e"]).repeat(2000 + rng.int(6000));
    return rng.next() < 0.5 ? pad + path : path + pad;
  },
};

export function hostilePath(base, rng) {
  const names = Object.keys(TRANSFORMS);
  let path = base;
  const applied = [];
  for (let n = 1 + rng.int(3); n > 0; n -= 1) {
    const name = rng.pick(names);
    path = TRANSFORMS[name](path, rng);
    applied.push(name);
  }
  return { path, applied };
}

/**
 * Where Next.js routes a pathname (as the WHATWG URL parser left it): each segment
 * percent-decoded once (a malformed escape: Next answers 400, routed nowhere), the trailing slash
 * dropped. Deliberately generous: also lower-cased, so a case variant counts as the protected page
 * (the guard must match case-insensitively, as Clerk does). `null` = no page.
 */
export function nextRoute(pathname) {
  const segments = [];
  for (const raw of pathname.split("/").slice(1)) {
    let decoded;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return null;
    }
    segments.push(decoded);
  }
  let route = `/${segments.join("/")}`;
  while (route.length > 1 && route.endsWith("/")) route = route.slice(0, -1);
  return route.toLowerCase();
}
