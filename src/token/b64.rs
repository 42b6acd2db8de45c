//! base64url as JWS segments need it, and the lenient form JWKS documents are found in.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;

/// Why a JWS segment is not canonical unpadded base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentError {
    /// `=` padding: Clerk's loose parser strips it, RFC 7515 §2 forbids it (edgeguard rejects).
    Padding,
    /// A character outside the base64url alphabet, a length ≡ 1 (mod 4), or non-zero trailing
    /// bits: Clerk's parser rejects these too.
    Malformed,
}

/// Decodes one JWS segment (RFC 7515 base64url, no padding, canonical trailing bits).
pub fn decode_segment(segment: &str) -> Result<Vec<u8>, SegmentError> {
    if segment.ends_with('=') {
        return Err(SegmentError::Padding);
    }
    URL_SAFE_NO_PAD.decode(segment).map_err(|_| SegmentError::Malformed)
}

/// Decodes a JWK member (`n`, `e`): base64url or standard base64, padded or not, as WebCrypto's
/// JWK import accepts them. Key material is configuration, not attacker input, so leniency here
/// only avoids refusing a key that Clerk would use.
pub fn decode_jwk_member(value: &str) -> Option<Vec<u8>> {
    let unpadded = value.trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(unpadded)
        .or_else(|_| STANDARD_NO_PAD.decode(unpadded))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_must_be_canonical_unpadded_base64url() {
        assert_eq!(decode_segment("").unwrap(), b"");
        assert_eq!(decode_segment("YQ").unwrap(), b"a");
        assert_eq!(decode_segment("YQ=="), Err(SegmentError::Padding));
        assert_eq!(decode_segment("YR"), Err(SegmentError::Malformed)); // trailing bits
        assert_eq!(decode_segment("Y"), Err(SegmentError::Malformed)); // length ≡ 1 mod 4
        assert_eq!(decode_segment("Y+Q"), Err(SegmentError::Malformed));
        assert_eq!(decode_segment("Y=Q"), Err(SegmentError::Malformed));
        assert_eq!(decode_segment("_-8").unwrap(), vec![0xff, 0xef]);
    }

    #[test]
    fn jwk_members_accept_both_alphabets_and_padding() {
        assert_eq!(decode_jwk_member("AQAB").unwrap(), vec![1, 0, 1]);
        assert_eq!(decode_jwk_member("_w==").unwrap(), vec![0xff]);
        assert_eq!(decode_jwk_member("/w").unwrap(), vec![0xff]);
        assert!(decode_jwk_member("*").is_none());
    }
}
