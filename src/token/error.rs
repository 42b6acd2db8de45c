//! Errors as data: a token verdict carries one of Clerk's `TokenVerificationErrorReason` strings.

use std::fmt;

/// Clerk's `TokenVerificationErrorReason` values (the ones a verification can produce here).
pub mod reason {
    pub const TOKEN_EXPIRED: &str = "token-expired";
    pub const TOKEN_INVALID: &str = "token-invalid";
    pub const TOKEN_INVALID_ALGORITHM: &str = "token-invalid-algorithm";
    pub const TOKEN_INVALID_AUTHORIZED_PARTIES: &str = "token-invalid-authorized-parties";
    pub const TOKEN_INVALID_ISSUER: &str = "token-invalid-issuer";
    pub const TOKEN_INVALID_SIGNATURE: &str = "token-invalid-signature";
    pub const TOKEN_NOT_ACTIVE_YET: &str = "token-not-active-yet";
    pub const TOKEN_IAT_IN_THE_FUTURE: &str = "token-iat-in-the-future";
    pub const TOKEN_VERIFICATION_FAILED: &str = "token-verification-failed";
    pub const JWK_KID_MISMATCH: &str = "jwk-kid-mismatch";
    pub const JWK_FAILED_TO_RESOLVE: &str = "jwk-failed-to-resolve";
}

/// Why a token was rejected: `reason` is stable (Clerk's strings), `message` is for humans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub reason: &'static str,
    pub message: String,
}

impl TokenError {
    pub fn new(reason: &'static str, message: impl Into<String>) -> TokenError {
        TokenError { reason, message: message.into() }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.message)
    }
}

impl std::error::Error for TokenError {}

/// A key configuration (PEM, JWKS) that cannot be used at all: reported at setup, not per token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
}

impl ConfigError {
    pub fn new(message: impl Into<String>) -> ConfigError {
        ConfigError { message: message.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}
