// Profiles warm decisions, cold decisions and route matching in one fresh process; prints JSON.
// argv: <pool.json> <seconds per kind>
import { profileWork } from "../lib/profile-work.mjs";
import { loadPool } from "../lib/scenario.mjs";

const [poolFile, seconds] = process.argv.slice(2);
const pool = loadPool(poolFile);
const out = {};
for (const kind of ["warm", "cold", "route"]) {
  const { profile, ...summary } = await profileWork(kind, { pool, seconds: Number(seconds) });
  out[kind] = summary;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
