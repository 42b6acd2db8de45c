// Drops custom sections (name, producers, target_features) from the wasm-bindgen output: metadata
// only, never read at run time; the name section alone is ~200 KB. Used by scripts/build.sh
// because Debian's wasm-opt (which would strip them) is too old for wasm-bindgen 0.2.130.
import { readFileSync, writeFileSync } from "node:fs";
import { stripCustomSections } from "./wasm-sections.mjs";

const [input, output = input] = process.argv.slice(2);
writeFileSync(output, stripCustomSections(readFileSync(input), input));
