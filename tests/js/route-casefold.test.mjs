// The case-folding table in src/route/casefold_table.rs must be what this V8 does for RegExp `i`
// without `u`: regenerate and compare, then check the table's claims against real RegExps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { caseClasses, renderTable } from "./support/route-casefold-gen.mjs";
import { makeRng, seedFromEnv } from "./support/route-gen.mjs";

const strip = (text) => text.replace(/^\/\/! GENERATED.*\n/, "");

test("checked-in table equals the one generated from this V8", () => {
  const checkedIn = readFileSync(new URL("../../src/route/casefold_table.rs", import.meta.url), "utf8");
  assert.equal(strip(checkedIn), strip(renderTable()), "run: node tests/js/support/route-casefold-gen.mjs > src/route/casefold_table.rs");
});

test("each unit matches exactly its class under /i (members and a random sample of others)", () => {
  const seed = seedFromEnv();
  const rng = makeRng(seed);
  const classOf = new Map();
  for (const members of caseClasses()) for (const m of members) classOf.set(m, members);
  let all = "";
  for (let unit = 0; unit < 0x10000; unit++) all += String.fromCharCode(unit);
  const probes = [...classOf.keys()].filter(() => rng.chance(0.25));
  for (let i = 0; i < 150; i++) probes.push(rng.int(0x10000));
  for (const unit of probes) {
    const escaped = "\\u" + unit.toString(16).padStart(4, "0");
    const found = [...all.matchAll(new RegExp(escaped, "gi"))].map((m) => m.index);
    const expected = classOf.get(unit) ?? [unit];
    assert.deepEqual(found, expected, `seed ${seed}: U+${unit.toString(16)}`);
  }
});
