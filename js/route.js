// createRouteMatcher (Clerk's, exactly) and canonicalizePath. String patterns compile in the core
// (linear-time regexes); RegExp objects and functions are evaluated here, the way Clerk does.
import { discardEngine, engine, engineGeneration, EngineUnavailableError } from "./engine.js";

/** Clerk's error for a path whose percent-encoding `decodeURI` rejects (HTTP 400). */
export class MalformedURLError extends Error {
  constructor(pathname, cause) {
    super(`Malformed encoding in URL path: ${pathname}`);
    this.name = "MalformedURLError";
    this.statusCode = 400;
    this.cause = cause;
  }
}

/** Clerk's pattern error (`Invalid path: …`); `unsupported` names a construct edgeguard refuses. */
export class RoutePatternError extends Error {
  constructor({ pattern, message, unsupported }) {
    super(message);
    this.name = "RoutePatternError";
    this.pattern = pattern;
    this.unsupported = unsupported ?? null;
  }
}

/**
 * Same contract as `createRouteMatcher` of `@clerk/nextjs/server`: patterns are path-to-regexp 6
 * strings, RegExps, an array of both, or a predicate over the request.
 * The returned matcher takes a Request (a NextRequest's `nextUrl` is used as Clerk does), a URL,
 * or a string (an absolute URL, or a pathname starting with `/`).
 */
export function createRouteMatcher(routes) {
  if (typeof routes === "function") return (req) => routes(req);
  const entries = [routes || ""].flat().filter(Boolean);
  const segments = [];
  let run = null;
  for (const entry of entries) {
    if (typeof entry === "string") {
      if (!run) segments.push((run = { patterns: [] }));
      run.patterns.push(entry);
    } else if (isRegExp(entry)) {
      run = null;
      segments.push({ regexp: entry });
    } else {
      throw new TypeError(`createRouteMatcher: a pattern must be a string or a RegExp, got ${describe(entry)}`);
    }
  }
  for (const segment of segments) if (segment.patterns) compileSegment(segment);

  return (req) => {
    const pathname = requestPathname(req);
    if (segments.length === 0) return false;
    const normalized = normalizePath(pathname);
    for (const segment of segments) {
      if (segment.regexp ? segment.regexp.test(normalized) : testSegment(segment, pathname)) return true;
    }
    return false;
  };
}

/**
 * The hardened canonical form of a WHATWG pathname (what Next.js would route), or why it is
 * refused: `{ ok: true, path } | { ok: false, reason: "bad-path", message }`.
 */
export function canonicalizePath(pathname) {
  if (typeof pathname !== "string") {
    return { ok: false, reason: "bad-path", message: "the path must be a string" };
  }
  const glue = engine();
  try {
    return JSON.parse(glue.routeCanonicalize(pathname));
  } catch (error) {
    throw discardEngine(error);
  }
}

/** Clerk's `normalizePath`: `decodeURI` (a malformed escape throws), then `//+` → `/`. */
function normalizePath(pathname) {
  let decoded;
  try {
    decoded = decodeURI(pathname);
  } catch (error) {
    throw new MalformedURLError(pathname, error);
  }
  return decoded.replace(/\/\/+/g, "/");
}

function compileSegment(segment) {
  for (const pattern of segment.patterns) {
    if (!pattern.isWellFormed()) {
      throw new RoutePatternError({
        pattern,
        message: `Invalid path: ${pattern}.\nedgeguard refuses a pattern containing a lone UTF-16 surrogate`,
        unsupported: "lone surrogate",
      });
    }
  }
  const glue = engine();
  try {
    segment.handle = glue.routeCompile(segment.patterns);
    segment.generation = engineGeneration();
  } catch (error) {
    // A bad pattern is thrown as the JSON text of { pattern, message, unsupported }; anything
    // else (a trap) is the engine's failure.
    const record = typeof error === "string" ? parsePatternError(error) : null;
    if (record) throw new RoutePatternError(record);
    throw discardEngine(error);
  }
}

function parsePatternError(text) {
  let record;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  return record && typeof record === "object" && typeof record.message === "string" && "pattern" in record
    ? record
    : null;
}

function testSegment(segment, pathname) {
  // A handle belongs to the instance that built it: after a reset, compile again.
  if (segment.generation !== engineGeneration() || !segment.handle) compileSegment(segment);
  let answer;
  try {
    answer = segment.handle.test(pathname);
  } catch (error) {
    if (error instanceof EngineUnavailableError) throw error;
    segment.handle = null;
    throw discardEngine(error);
  }
  if (answer === 2) throw new MalformedURLError(pathname);
  return answer === 1;
}

/** The pathname Clerk's matcher would see: `req.nextUrl.pathname` of the NextRequest. */
function requestPathname(req) {
  if (req && typeof req === "object" && req.nextUrl && typeof req.nextUrl.pathname === "string") {
    return req.nextUrl.pathname;
  }
  let url;
  if (typeof req === "string") {
    url = req.startsWith("/") ? new URL(`http://localhost${req}`) : new URL(req);
  } else if (req instanceof URL) {
    url = req;
  } else if (req && typeof req === "object" && typeof req.url === "string") {
    url = new URL(req.url);
  } else {
    throw new TypeError(`route matcher: expected a Request, a URL or a string, got ${describe(req)}`);
  }
  return nextUrlPathname(url.pathname);
}

/**
 * What NextURL does to a pathname with no basePath/i18n config (Next's getNextPathnameInfo with
 * parseData): a `/_next/data/<build>/<page>.json` request is seen as the page's path.
 */
function nextUrlPathname(pathname) {
  if (globalThis.process?.env?.__NEXT_NO_MIDDLEWARE_URL_NORMALIZE) return pathname;
  if (!pathname.startsWith("/_next/data/") || !pathname.endsWith(".json")) return pathname;
  const paths = pathname.replace(/^\/_next\/data\//, "").replace(/\.json$/, "").split("/");
  return paths[1] !== "index" ? `/${paths.slice(1).join("/")}` : "/";
}

function isRegExp(value) {
  return value instanceof RegExp || Object.prototype.toString.call(value) === "[object RegExp]";
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a nested array";
  return typeof value;
}
