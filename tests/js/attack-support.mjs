// A small seeded PRNG for the attack generators: every run prints its seed, and
// EDGEGUARD_SEED=<n> replays a run exactly.
export function seededRandom(defaultSeed) {
  const seed = Number(process.env.EDGEGUARD_SEED ?? defaultSeed) >>> 0;
  let state = seed;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below) => Math.floor(next() * below);
  const pick = (items) => items[int(items.length)];
  const bytes = (length) => Buffer.from(Array.from({ length }, () => int(256)));
  return { seed, next, int, pick, bytes };
}
