// Drops custom sections (name, producers, target_features) from the wasm-bindgen output: metadata
// only, never read at run time; the name section alone is ~200 KB. Used by scripts/build.sh
// because Debian's wasm-opt (which would strip them) is too old for wasm-bindgen 0.2.130.
import { readFileSync, writeFileSync } from "node:fs";

const [input, output = input] = process.argv.slice(2);
const bytes = readFileSync(input);
if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${input} is not a wasm module`);
const kept = [bytes.subarray(0, 8)];
let at = 8;
function leb128() {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = leb128();
  const end = at + size;
  if (end > bytes.length) throw new Error(`${input}: section at byte ${start} runs past the end`);
  if (id !== 0) kept.push(bytes.subarray(start, end));
  at = end;
}
writeFileSync(output, Buffer.concat(kept));
