/** A path-to-regexp 6 pattern (as Clerk's createRouteMatcher takes it) or a RegExp. */
export type RoutePattern = string | RegExp;

/** What a route matcher accepts: a Request (a NextRequest's `nextUrl` is used), a URL, or a
 * string (an absolute URL or a pathname starting with `/`). */
export type RouteMatcherInput = Request | URL | string | { nextUrl: { pathname: string } };

/**
 * Clerk's `createRouteMatcher`, exactly: case-insensitive, optional trailing delimiter, anchored,
 * tested on `decodeURI(pathname)` with `//+` collapsed. Invalid patterns throw
 * `RoutePatternError` at creation; a malformed percent-escape throws `MalformedURLError` (400).
 */
export declare function createRouteMatcher<Req = RouteMatcherInput>(
  patterns: RoutePattern | RoutePattern[] | ((req: Req) => boolean),
): (req: Req) => boolean;

export type CanonicalPath =
  | { ok: true; path: string }
  | { ok: false; reason: "bad-path"; message: string };

/** The hardened canonical form of a WHATWG pathname (what Next.js routes), or why it is refused. */
export declare function canonicalizePath(pathname: string): CanonicalPath;

export declare class MalformedURLError extends Error {
  readonly name: "MalformedURLError";
  readonly statusCode: 400;
}

export declare class RoutePatternError extends Error {
  readonly name: "RoutePatternError";
  readonly pattern: string;
  /** The construct edgeguard refuses although Clerk accepts the pattern; null for Clerk's own errors. */
  readonly unsupported: string | null;
}
