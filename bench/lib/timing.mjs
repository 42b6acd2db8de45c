// Interleaved timing: every variant runs a slice of its samples in each pass, in a rotating order,
// so drift on a shared machine (other processes, thermal, GC) spreads over all variants alike.

const clock = process.hrtime.bigint;

/** Wall-clock microseconds of one call (sync or awaited). */
export async function timeOnce(fn, arg) {
  const started = clock();
  const result = fn(arg);
  if (result && typeof result.then === "function") await result;
  return Number(clock() - started) / 1000;
}

/**
 * variants: [{ name, call(input) → value|Promise, input(pass, i) → argument, async? }].
 * Each pass runs `perPass` timed calls of each variant; async variants are awaited one at a time.
 * Returns { [name]: number[] } of per-call microseconds.
 */
export async function interleave(variants, { passes, perPass }) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let pass = 0; pass < passes; pass++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(pass + k) % variants.length];
      const out = samples[variant.name];
      if (variant.async) {
        for (let i = 0; i < perPass; i++) {
          const arg = variant.input(pass, i);
          const started = clock();
          await variant.call(arg);
          out.push(Number(clock() - started) / 1000);
        }
      } else {
        for (let i = 0; i < perPass; i++) {
          const arg = variant.input(pass, i);
          const started = clock();
          variant.call(arg);
          out.push(Number(clock() - started) / 1000);
        }
      }
    }
  }
  return samples;
}

/** Cost of the timer itself around an empty call, in µs (reported beside the figures). */
export function timerOverhead(rounds = 100_000) {
  const noop = () => undefined;
  const values = new Float64Array(rounds);
  for (let i = 0; i < rounds; i++) {
    const started = clock();
    noop(i);
    values[i] = Number(clock() - started) / 1000;
  }
  values.sort();
  return values[rounds >> 1];
}
