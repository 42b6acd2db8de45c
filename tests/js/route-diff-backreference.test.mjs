// Differential test for backreferences in custom parameter patterns (`\k<name>`, `\N`): edgeguard's
// createRouteMatcher against Clerk's, and Clerk's verdict against V8's own `new RegExp` on the same
// source with path-to-regexp 6's flags ("i", never "u"). Named references resolve after the whole
// pattern (a reference may precede its group); a missing group is V8's "Invalid named capture
// referenced"; without named groups `\k` is an identity escape (Annex B, non-unicode mode).
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRouteMatcher } from "edgeguard";
import { clerkCreateRouteMatcher, isDeliberatelyUnsupported, NextRequest, outcome } from "./support/route-clerk.mjs";
import { makeRng, seedFromEnv } from "./support/route-gen.mjs";

const SEED = seedFromEnv();
console.log(`route-diff-backreference seed: ${SEED} (EDGEGUARD_SEED=${SEED} to replay)`);

function compile(make) {
  try {
    return { matcher: make() };
  } catch (error) {
    return { error };
  }
}

/** The RegExp source path-to-regexp 6 builds for `/:id(<body>)` (default options). */
const sourceFor = (body) => `^(?:\\/(${body}))[\\/#\\?]?$`;
const lastLine = (message) => message.split("\n").pop();

const NAMES = ["a", "b", "ab", "n1", "$", "_x", "A"];
const BAD_NAMES = ["", "1a", "a-b", "a b"];
// Escaped names are the names they spell; a non-ASCII one edgeguard refuses instead of guessing.
const ESCAPED_OR_NON_ASCII_NAMES = ["\\u0061", "\\u{62}", "a\\u0031", "\\u0031", "\\u006", "\\x61", "\\u00e9", "é", "\\uD835\\uDC9C"];

function piece(rng) {
  const name = () => (rng.chance(0.9) ? rng.pick(NAMES) : rng.chance(0.6) ? rng.pick(BAD_NAMES) : rng.pick(ESCAPED_OR_NON_ASCII_NAMES));
  return rng.pick([
    () => `(?<${name()}>x)`,
    () => `(?<${name()}>x)`,
    () => `\\k<${name()}>`,
    () => `\\k<${name()}>`,
    () => "\\k",
    () => `\\k<${rng.pick(NAMES)}`,
    () => `\\${rng.int(4)}`,
    () => "(?:y)",
    () => "(?<=w)",
    () => "(?=q)",
    () => "[k<>]",
    () => "[\\k]",
    () => "z",
    () => "|",
    () => "+",
    () => "{2,1}",
    () => "{1,2}",
  ])();
}

/** A `<name>` in the source that spells a non-ASCII code point (literally or by `\u` escapes). */
const nonAsciiName = (source) => [...source.matchAll(/<([^<>]*)>/g)].some(([, raw]) =>
  /[^\x00-\x7f]/.test(raw.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_, long, short) => (parseInt(long ?? short, 16) > 0x7f ? "\u0080" : "a"))));

/**
 * Named deliberate difference [nonAsciiGroupName]: whether V8 takes a non-ASCII name as an
 * identifier needs Unicode ID_Start/ID_Continue tables the core does not carry, so edgeguard
 * refuses it, and a reference next to it stays unresolved; where Clerk rejects the pattern (a
 * missing group, or an invalid name) both reject, with other messages. The same when V8's error
 * is about a name (a non-ASCII name given twice is "Duplicate capture group name" for V8, which
 * edgeguard cannot tell from an invalid one) and edgeguard stops at a later syntax error.
 */
const nonAsciiGroupName = (source, clerk, ours) =>
  !!clerk.error && !!ours.error && nonAsciiName(source) &&
  (!!ours.error.unsupported || /capture group name|named capture/.test(lastLine(clerk.error.message)));

test("named and numbered backreferences: same verdict and message as Clerk, and Clerk's is V8's under \"i\"", () => {
  const rng = makeRng(SEED ^ 0x6b6b);
  const differences = [];
  const seen = { missingReference: 0, refusedBackreference: 0, identityEscape: 0, otherSyntax: 0, nonAscii: 0 };
  for (let i = 0; i < 3000 && differences.length < 10; i++) {
    const body = `a${rng.repeat(1, 6, () => piece(rng)).join("")}`;
    const pattern = `/:id(${body})`;
    const clerk = compile(() => clerkCreateRouteMatcher(pattern));
    const v8 = compile(() => new RegExp(sourceFor(body), "i"));
    if (clerk.error && !/^Invalid regular expression/.test(lastLine(clerk.error.message))) continue; // path-to-regexp's lexer, not V8
    // Clerk's verdict is V8's under "i": the mode this parser implements.
    assert.equal(!!clerk.error, !!v8.error, `${pattern}: Clerk ${clerk.error?.message ?? "accepts"} / V8 ${v8.error?.message ?? "accepts"}`);
    if (clerk.error) assert.equal(lastLine(clerk.error.message), v8.error.message, pattern);

    const ours = compile(() => createRouteMatcher(pattern));
    if (nonAsciiGroupName(body, clerk, ours)) {
      seen.nonAscii++;
      continue;
    }
    if (ours.error?.unsupported && !clerk.error && isDeliberatelyUnsupported(pattern, ours.error)) {
      if (/backreference/.test(ours.error.unsupported)) seen.refusedBackreference++;
      continue;
    }
    if (!!clerk.error !== !!ours.error || (clerk.error && lastLine(clerk.error.message) !== lastLine(ours.error.message))) {
      differences.push({ pattern, clerk: clerk.error ? lastLine(clerk.error.message) : "accepts", ours: ours.error ? (ours.error.unsupported ? `refuses: ${ours.error.unsupported}` : lastLine(ours.error.message)) : "accepts" });
      continue;
    }
    if (clerk.error) {
      if (/Invalid named capture referenced/.test(clerk.error.message)) seen.missingReference++;
      else seen.otherSyntax++;
      continue;
    }
    if (/\\k/.test(body) && !/\(\?<[^=!]/.test(body)) seen.identityEscape++;
    for (const path of ["/ax", "/ak<b>", "/AK<A>", "/az", "/axx", "/a"]) {
      const expected = outcome(() => clerk.matcher(new NextRequest(`http://localhost${path}`)));
      const got = outcome(() => ours.matcher(`http://localhost${path}`));
      if (expected !== got) differences.push({ pattern, path, clerk: expected, ours: got });
    }
  }
  console.log("backreference stats:", JSON.stringify(seen));
  assert.equal(differences.length, 0, `seed ${SEED}:\n${differences.map((d) => JSON.stringify(d)).join("\n")}`);
  assert.ok(seen.missingReference > 50 && seen.refusedBackreference > 50 && seen.otherSyntax > 50 && seen.identityEscape > 10, `too few of some kind: ${JSON.stringify(seen)}`);
});

test("hand-picked: the reference resolves over the whole source, after every syntax error", () => {
  const cases = [
    ["/:id(a(?<a>x)\\k<b>)", "Invalid named capture referenced"],
    ["/:id(a(?<a>x))/:p(\\k<c>)", "Invalid named capture referenced"],
    ["/:id(a(?<a>x)(?<=y)\\k<b>\\1)", "Invalid named capture referenced"],
    ["/:id(a(?<a>x)\\k<b>{2,1})", "numbers out of order in {} quantifier"],
    ["/:id(a(?<a>x)\\k<b)", "Invalid capture group name"],
    ["/:id(a(?<a>x)\\k)", "Invalid named reference"],
  ];
  for (const [pattern, message] of cases) {
    const clerk = compile(() => clerkCreateRouteMatcher(pattern));
    const ours = compile(() => createRouteMatcher(pattern));
    assert.ok(lastLine(clerk.error.message).endsWith(`: ${message}`), `${pattern}: Clerk ${clerk.error.message}`);
    assert.equal(lastLine(ours.error?.message ?? "accepts"), lastLine(clerk.error.message), pattern);
    assert.equal(ours.error.unsupported ?? null, null, `${pattern}: a syntax error, not a refusal`);
  }
  // An existing group (even one defined after the reference): a backreference, refused on purpose.
  for (const pattern of ["/:id(a(?<a>x)\\k<a>)", "/:id(a\\k<b>(?<b>x))"]) {
    assert.doesNotThrow(() => clerkCreateRouteMatcher(pattern), pattern);
    assert.match(compile(() => createRouteMatcher(pattern)).error?.unsupported ?? "", /^named backreference/, pattern);
  }
  // No named group anywhere: `\k` is a plain "k" in non-unicode mode (with "u" V8 would reject it).
  const identity = "/:id(a\\k<b>)";
  assert.throws(() => new RegExp(sourceFor("a\\k<b>"), "iu"), /Invalid named capture referenced/);
  const ours = createRouteMatcher(identity);
  const clerk = clerkCreateRouteMatcher(identity);
  for (const path of ["/ak<b>", "/AK<B>", "/ab"]) {
    assert.equal(ours(`http://localhost${path}`), clerk(new NextRequest(`http://localhost${path}`)), path);
  }
});
