import type { NextRequest, NextResponse } from "next/server";
import type { Auth } from "./token.js";
import type { Decision, Guard, GuardOptions } from "./guard.js";
export { GuardError } from "./guard.js";
export * from "./next-webhook.js";

export type PublishableKeyCheck =
  | { ok: true; instanceType: "development" | "production"; frontendApi: string }
  | { ok: false; setting: string; message: string };
export declare function checkPublishableKey(key: unknown, setting?: string): PublishableKeyCheck;
export declare function assertPublishableKey(key: unknown, setting?: string): Extract<PublishableKeyCheck, { ok: true }>;

type GuardSource = Guard | Promise<Guard> | GuardOptions;
type ClerkAuthFn = (options?: { treatPendingAsSignedOut?: boolean }) => Promise<{ sessionClaims?: object | null }>;

export interface MiddlewareHooks {
  onDecision?: (decision: Decision, request: Request) => void;
}

export declare function edgeguardMiddleware(
  guard: GuardSource,
  hooks?: MiddlewareHooks,
): (auth: ClerkAuthFn, request: NextRequest, event?: unknown) => Promise<NextResponse>;

export declare function toResponse(decision: Decision, request?: Request): NextResponse;
export declare function applyHeaders<R extends Response>(response: R, decision: Decision): R;

export type Gate =
  | { ok: true; userId: string | null; orgId: string | null; auth: Auth | null; decision: Decision }
  | { ok: false; response: NextResponse; decision: Decision };

export declare function protect(request: Request, guard: GuardSource): Promise<Gate>;

export declare class EdgeguardDenied extends Error {
  readonly decision: Decision;
  readonly status: number;
  readonly reason: string;
}

export declare function requireAuth(
  guard: GuardSource,
  options: { path: string },
): Promise<{ userId: string | null; orgId: string | null; auth: Auth | null; decision: Decision }>;

export declare function createNextGuard(
  guard: GuardSource,
  hooks?: MiddlewareHooks,
): {
  middleware: ReturnType<typeof edgeguardMiddleware>;
  protect(request: Request): Promise<Gate>;
  requireAuth(options: { path: string }): Promise<{ userId: string | null; orgId: string | null; auth: Auth | null; decision: Decision }>;
};
