/** The decoded Clerk session, the same for v1 and v2 session tokens. */
export interface Auth {
  userId: string;
  sessionId: string | null;
  /** `sts`: e.g. "active" or "pending" (a pending session is not signed in for protected routes). */
  sessionStatus: string | null;
  orgId: string | null;
  orgRole: string | null;
  orgSlug: string | null;
  orgPermissions: string[];
  /** `fea` entries as issued, e.g. "o:reports", "u:export". */
  features: string[];
  /** `pla` as issued, e.g. "u:pro". */
  plan?: string;
  /** Minutes since first / second factor verification (-1: never). */
  factorVerificationAge: [number, number] | null;
  issuedAt: number | null;
  expiresAt: number;
  claims: Record<string, unknown>;
}

export interface VerifyTokenOptions {
  /** SPKI PEM (Clerk's "JWT public key"), networkless. */
  jwtKey?: string;
  /** A JWKS document already fetched. */
  jwks?: { keys: JsonWebKey[] };
  authorizedParties?: string[];
  issuer?: string | string[] | ((iss: string) => boolean);
  audience?: string | string[];
  headerType?: string | string[];
  /** Default 5000, as Clerk. */
  clockSkewInMs?: number;
  /** Unix seconds; default: the current time. */
  now?: number;
}

export type VerifyTokenResult =
  | { ok: true; claims: Record<string, unknown>; auth: Auth }
  | { ok: false; reason: string; message: string };

export declare function verifyToken(token: string, options: VerifyTokenOptions): VerifyTokenResult;

export declare function authFromClaims(
  claims: Record<string, unknown>,
): { ok: true; auth: Auth } | { ok: false; reason: string; message: string };

export type ReverificationPreset = "strict_mfa" | "strict" | "moderate" | "lax";

export interface HasParams {
  role?: string;
  permission?: string;
  feature?: string;
  plan?: string;
  reverification?:
    | ReverificationPreset
    | { level: "first_factor" | "second_factor" | "multi_factor"; afterMinutes: number };
}

/** Clerk's `has()`: true only when every requested dimension passes. */
export declare function hasAuthorization(auth: Auth, params: HasParams): boolean;
