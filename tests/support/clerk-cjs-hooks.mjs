// Module hooks: resolve `@clerk/nextjs/server` (and `@clerk/nextjs`) to their CommonJS builds, whose
// ESM builds do not load in plain Node outside Next, and `next/server` / `next/headers` (no
// `exports` map: Node's ESM resolver wants the `.js` that bundlers add) the way `require` does. Lets `edgeguard/next` (js/next.js), which
// imports them, run inside a node:test process against the same Clerk instance the test requires.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const REDIRECTED = new Set(["@clerk/nextjs/server", "@clerk/nextjs", "next/server", "next/headers"]);

export async function resolve(specifier, context, nextResolve) {
  if (REDIRECTED.has(specifier)) {
    return { url: pathToFileURL(require.resolve(specifier)).href, format: "commonjs", shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
