import type { Auth } from "./token.js";

export type ReverificationPreset = "strict_mfa" | "strict" | "moderate" | "lax";
export type ReverificationConfig =
  | ReverificationPreset
  | { level: "first_factor" | "second_factor" | "multi_factor"; afterMinutes: number };

/** All present requirements are ANDed; an array inside one requirement means "any of". */
export interface Requirements {
  /** `metadata.role` / `public_metadata.role` session claim, or the org role `org:<role>`. */
  role?: string | string[];
  orgRole?: string | string[];
  org?: boolean;
  permission?: string | string[];
  feature?: string | string[];
  plan?: string | string[];
  mfa?: boolean;
  maxAgeSeconds?: number;
  reverification?: ReverificationConfig;
}

export interface PolicyRule {
  name: string;
  match: string | string[];
  public?: boolean;
  webhook?: "clerk";
  require?: Requirements;
  /** Answer 404 instead of 403 / redirect when a requirement is unmet. */
  hide?: boolean;
  /** Emit one audit event per decision taken by this rule. */
  log?: boolean;
}

export interface Policy {
  $schema?: string;
  version: 1;
  signInUrl: string;
  unauthorizedUrl?: string;
  routes: PolicyRule[];
  default?: "deny" | "signed-in";
  headers?: Record<string, string>;
  /** Content-Security-Policy; `{nonce}` is replaced by a fresh per-request nonce. */
  csp?: string;
  csrf?: { allowedOrigins?: string[]; jsonOnly?: boolean };
  rejectSubrequestHeader?: boolean;
  /** Paths answered as API (JSON, never redirected). Default ["/api", "/trpc"]. */
  apiPrefixes?: string[];
  /** Adds X-Edgeguard-Reason / X-Edgeguard-Rule response headers. Default false. */
  exposeDecision?: boolean;
}

export interface Diagnostic {
  path: string;
  message: string;
}

export interface Decision {
  action: "allow" | "redirect" | "deny";
  status: number;
  location?: string;
  headers: Record<string, string>;
  reason: string;
  rule: string | null;
  /** Frozen all the way down: the decisions of one cached session token share this object. */
  auth: Auth | null;
  /** Per-request CSP nonce when the policy sets `csp`. */
  nonce?: string;
}

export interface AuditEvent {
  type: "edgeguard.decision";
  time: string;
  rule: string | null;
  action: Decision["action"];
  status: number;
  reason: string;
  userId: string | null;
  orgId: string | null;
  method: string;
  path: string;
}

export interface GuardOptions {
  policy: Policy | string;
  jwtKey?: string;
  jwks?: { keys: JsonWebKey[] };
  authorizedParties?: string[];
  issuer?: string | string[];
  audience?: string | string[];
  clockSkewInMs?: number;
  webhookSecrets?: Record<string, string>;
  tokenCacheSize?: number;
  onAudit?: (event: AuditEvent) => void;
}

export type RequestLike =
  | Request
  | { method: string; url: string; headers: Headers | Record<string, string> };

export interface DecideContext {
  /** Unix seconds; default: now. */
  now?: number;
  /** Session claims already verified by Clerk; `null` = Clerk found no session. */
  claims?: object | null;
  /** Raw body, for webhook signature checks. */
  body?: string;
}

export declare class Guard {
  readonly policy: Policy;
  readonly warnings: Diagnostic[];
  decide(request: RequestLike, context?: DecideContext): Decision;
  explain(request: RequestLike, context?: DecideContext): { decision: Decision; trace: string[] };
}

export declare class GuardError extends Error {
  readonly errors: Diagnostic[];
}

export declare function validatePolicy(policy: Policy | string): { ok: boolean; errors: Diagnostic[]; warnings: Diagnostic[] };
export declare function createGuard(options: GuardOptions): Promise<Guard>;
