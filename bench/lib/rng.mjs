// A small seeded PRNG (mulberry32): the corpora are random but reproducible from the printed seed.
import { mulberry32 } from "../../tests/support/mulberry32.mjs";
export function createRng(seed) {
  const next = mulberry32(seed >>> 0);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}
