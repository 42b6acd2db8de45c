// Profiles warm decisions, cold decisions and route matching in one fresh process; prints JSON.
// argv: <pool.json> <seconds per kind>
import { namedWasm } from "../lib/named-wasm.mjs";
import { profileWork } from "../lib/profile-work.mjs";
import { loadPool } from "../lib/scenario.mjs";

const [poolFile, seconds] = process.argv.slice(2);
const pool = loadPool(poolFile);
const module = namedWasm();
const out = { module: { named: module.named, source: module.source ?? null, why: module.why ?? null } };
for (const kind of ["warm", "cold", "route"]) {
  const { profile, ...summary } = await profileWork(kind, { pool, seconds: Number(seconds), module });
  out[kind] = summary;
}
module.dispose();
process.stdout.write(`${JSON.stringify(out)}\n`);
