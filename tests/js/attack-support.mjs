// A small seeded PRNG for the attack generators: every run prints its seed, and
// EDGEGUARD_SEED=<n> replays a run exactly.
import { mulberry32 } from "../support/mulberry32.mjs";
export function seededRandom(defaultSeed) {
  const seed = Number(process.env.EDGEGUARD_SEED ?? defaultSeed) >>> 0;
  const next = mulberry32(seed);
  const int = (below) => Math.floor(next() * below);
  const pick = (items) => items[int(items.length)];
  const bytes = (length) => Buffer.from(Array.from({ length }, () => int(256)));
  return { seed, next, int, pick, bytes };
}
