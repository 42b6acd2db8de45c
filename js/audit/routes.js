// The route tree of a Next.js app, as Next builds it from the file system: app router pages and
// route handlers (route groups and @slots dropped, intercepting routes resolved, private folders
// skipped) and pages router pages and API routes, in `app/`/`pages/` or `src/app/`/`src/pages/`.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const CODE = /\.(?:js|jsx|ts|tsx|mjs|mdx|md)$/;
const PAGES_SPECIAL = new Set(["_app", "_document", "_error", "_middleware"]);

/** `{ route, kind, file, segments }` for every routable file. */
export function collectRoutes(appDir) {
  const routes = [];
  for (const base of [appDir, path.join(appDir, "src")]) {
    const app = path.join(base, "app");
    if (isDir(app)) walkApp(app, app, [], routes, appDir);
    const pages = path.join(base, "pages");
    if (isDir(pages)) walkPages(pages, pages, routes, appDir);
    if (isDir(app) || isDir(pages)) break; // Next ignores src/ when app/ or pages/ is at the root
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route) || a.kind.localeCompare(b.kind));
}

function isDir(p) {
  return existsSync(p) && statSync(p).isDirectory();
}

function walkApp(root, dir, segments, out, appDir) {
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (isDir(full)) {
      if (entry.startsWith("_")) continue; // private folder
      walkApp(root, full, appSegments(segments, entry), out, appDir);
      continue;
    }
    const stem = entry.replace(CODE, "");
    if (stem === entry || (stem !== "page" && stem !== "route")) continue;
    const intercepting = segments.some((s) => s.intercepts);
    out.push({
      route: "/" + segments.filter((s) => s.url !== null).map((s) => s.url).join("/"),
      kind: stem === "page" ? (intercepting ? "app page (intercepting)" : "app page") : "app route handler",
      file: path.relative(appDir, full),
    });
  }
}

/** Next's URL for a folder: groups and slots vanish, `(.)x` `(..)x` `(...)x` re-root `x`. */
function appSegments(segments, folder) {
  if (/^\(.*\)$/.test(folder) && !/^\(\.+\)/.test(folder)) return [...segments, { url: null }]; // (group)
  if (folder.startsWith("@")) return [...segments, { url: null }]; // parallel slot
  const marker = /^(\(\.\)|\(\.\.\.\)|(?:\(\.\.\))+)(.*)$/.exec(folder);
  if (!marker) return [...segments, { url: folder }];
  const visible = segments.filter((s) => s.url !== null);
  let kept;
  if (marker[1] === "(.)") kept = visible;
  else if (marker[1] === "(...)") kept = [];
  else kept = visible.slice(0, Math.max(0, visible.length - marker[1].length / 4));
  return [...kept, { url: marker[2], intercepts: true }];
}

function walkPages(root, dir, out, appDir) {
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (isDir(full)) {
      walkPages(root, full, out, appDir);
      continue;
    }
    if (!CODE.test(entry) || /\.d\.ts$/.test(entry)) continue;
    const rel = path.relative(root, full).replace(CODE, "").split(path.sep);
    if (rel.length === 1 && PAGES_SPECIAL.has(rel[0])) continue;
    if (rel[rel.length - 1] === "index") rel.pop();
    const route = "/" + rel.join("/");
    out.push({ route, kind: rel[0] === "api" ? "pages API route" : "pages page", file: path.relative(appDir, full) });
  }
}

/**
 * Concrete paths standing for a route: `[x]` → `x-value`, `[...x]` → `a/b`, `[[...x]]` → both
 * without and with segments. Matchers are evaluated on every sample; the worst one counts.
 */
export function samplePaths(route) {
  let samples = [""];
  for (const segment of route.split("/").slice(1)) {
    let values;
    if (/^\[\[\.\.\..+\]\]$/.test(segment)) values = [null, "a/b"];
    else if (/^\[\.\.\..+\]$/.test(segment)) values = ["a/b"];
    else if (/^\[.+\]$/.test(segment)) values = [`${segment.slice(1, -1)}-value`];
    else values = [segment];
    samples = samples.flatMap((prefix) => values.map((v) => (v === null ? prefix : `${prefix}/${v}`)));
  }
  return samples.map((s) => s || "/");
}
