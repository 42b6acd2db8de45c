// Which paths run the app's middleware/proxy, decided exactly as Next.js decides: the matcher
// regexps of the build manifest when a build exists, else the `config.matcher` read statically
// with Next's own SWC parser and compiled with Next's own getMiddlewareMatchers.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const FILES = ["middleware", "proxy"].flatMap((name) => ["ts", "js", "mjs", "tsx", "jsx"].map((ext) => `${name}.${ext}`));

/** The middleware/proxy file Next would use, relative paths tried at the root then in src/. */
export function findMiddlewareFile(appDir) {
  for (const base of [appDir, path.join(appDir, "src")]) {
    for (const file of FILES) if (existsSync(path.join(base, file))) return path.join(base, file);
  }
  return null;
}

function nextRequire(appDir) {
  const fromApp = createRequire(path.join(path.resolve(appDir), "package.json"));
  try {
    fromApp.resolve("next/package.json");
    return fromApp;
  } catch {
    return createRequire(import.meta.url);
  }
}

/**
 * `{ file, source, matchers: [{ regexp, originalSource, has?, missing? }] }`; `matchers` is
 * null when there is no middleware at all.
 */
export async function loadMiddlewareMatchers(appDir) {
  const file = findMiddlewareFile(appDir);
  if (!file) return { file: null, source: "no middleware.* or proxy.* file", matchers: null };
  const fromManifest = manifestMatchers(appDir);
  if (fromManifest) return { file, source: ".next build manifest", matchers: fromManifest };
  const req = nextRequire(appDir);
  const swc = req("next/dist/build/swc");
  const { extractExportedConstValue } = req("next/dist/build/analysis/extract-const-value.js");
  const { getMiddlewareMatchers } = req("next/dist/build/analysis/get-page-static-info.js");
  await swc.loadBindings();
  const ast = await swc.parse(readFileSync(file, "utf8"), { isModule: "unknown", filename: file });
  let config = null;
  try {
    config = extractExportedConstValue(ast, "config");
  } catch (error) {
    throw new Error(`${path.relative(appDir, file)}: config is not a static value Next can read (${error.message})`);
  }
  if (config && "unsupported" in config) {
    throw new Error(`${path.relative(appDir, file)}: config.matcher is not statically analysable (${config.unsupported})`);
  }
  const matcher = config?.value?.matcher;
  if (matcher === undefined) return { file, source: "no config.matcher: every path", matchers: [{ regexp: "^/.*$", originalSource: "/:path*" }] };
  const nextConfig = await loadNextConfig(req, appDir);
  return { file, source: "config.matcher (compiled by next/dist)", matchers: getMiddlewareMatchers(matcher, nextConfig) };
}

function manifestMatchers(appDir) {
  const dir = path.join(appDir, ".next", "server");
  const read = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(dir, name), "utf8"));
    } catch {
      return null;
    }
  };
  const middleware = read("middleware-manifest.json")?.middleware ?? {};
  const fromEdge = Object.values(middleware).flatMap((m) => m.matchers ?? []);
  if (fromEdge.length) return fromEdge;
  const functions = read("functions-config-manifest.json")?.functions ?? {};
  const fromNode = Object.entries(functions).filter(([name]) => /middleware|proxy/.test(name)).flatMap(([, f]) => f.matchers ?? []);
  return fromNode.length ? fromNode : null;
}

/** basePath / i18n change the compiled matchers; read next.config the way `next build` does. */
async function loadNextConfig(req, appDir) {
  try {
    const { default: loadConfig } = req("next/dist/server/config");
    const { PHASE_PRODUCTION_BUILD } = req("next/dist/shared/lib/constants");
    const config = await loadConfig(PHASE_PRODUCTION_BUILD, path.resolve(appDir), { silent: true });
    return { basePath: config.basePath, i18n: config.i18n };
  } catch {
    return {};
  }
}

/**
 * Next's router (resolve-routes.js) runs middleware when a matcher matches the pathname or its
 * decodeURIComponent form. `has`/`missing` depend on the request: such a match is "conditional".
 */
export function middlewareCoverage(matchers, pathname) {
  if (!matchers) return "no";
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Next cannot decode it either
  }
  let conditional = false;
  for (const matcher of matchers) {
    const re = new RegExp(matcher.regexp);
    if (!re.test(pathname) && !re.test(decoded)) continue;
    if (matcher.has || matcher.missing) {
      conditional = true;
      continue;
    }
    return "yes";
  }
  return conditional ? "conditional" : "no";
}
