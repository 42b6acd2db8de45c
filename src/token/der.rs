//! The little DER an SPKI RSA public key needs (RFC 5280 §4.1, RFC 8017 A.1.1), strictly:
//! definite minimal lengths, no trailing bytes, positive minimal INTEGERs.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_NULL: u8 = 0x05;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;
/// 1.2.840.113549.1.1.1 (rsaEncryption).
const OID_RSA_ENCRYPTION: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

const PEM_BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
const PEM_END: &str = "-----END PUBLIC KEY-----";

/// RSA public key components, big-endian, without sign bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaComponents {
    pub modulus: Vec<u8>,
    pub exponent: Vec<u8>,
}

/// The DER body of a single `BEGIN PUBLIC KEY` PEM block (whitespace anywhere is ignored, as
/// Clerk's `jwtKey` handling ignores line breaks).
pub fn spki_der_from_pem(pem: &str) -> Result<Vec<u8>, String> {
    let trimmed = pem.trim();
    let Some(after_begin) = trimmed.strip_prefix(PEM_BEGIN) else {
        return Err(match trimmed.find("-----BEGIN ") {
            Some(_) if trimmed.contains("PRIVATE KEY") => {
                "jwtKey is a private key; give the public key (\"-----BEGIN PUBLIC KEY-----\")".to_owned()
            }
            Some(_) if trimmed.contains("BEGIN RSA PUBLIC KEY") => {
                "jwtKey is a PKCS#1 \"RSA PUBLIC KEY\"; give the SPKI form (\"-----BEGIN PUBLIC KEY-----\"), as Clerk's dashboard shows it".to_owned()
            }
            _ => "jwtKey must be a PEM public key starting with \"-----BEGIN PUBLIC KEY-----\"".to_owned(),
        });
    };
    let Some(body) = after_begin.strip_suffix(PEM_END) else {
        return Err("jwtKey PEM must end with \"-----END PUBLIC KEY-----\" (exactly one key)".to_owned());
    };
    let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("jwtKey PEM body is not valid base64: {e}"))
}

/// `SubjectPublicKeyInfo { AlgorithmIdentifier { rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }`.
pub fn rsa_components_from_spki(der: &[u8]) -> Result<RsaComponents, String> {
    let mut outer = Reader::new(der);
    let spki = outer.expect(TAG_SEQUENCE, "SubjectPublicKeyInfo")?;
    outer.finish("SubjectPublicKeyInfo")?;

    let mut spki = Reader::new(spki);
    let mut algorithm = Reader::new(spki.expect(TAG_SEQUENCE, "AlgorithmIdentifier")?);
    let oid = algorithm.expect(TAG_OID, "algorithm OID")?;
    if oid != OID_RSA_ENCRYPTION {
        return Err("the public key is not an RSA key (only RS256 keys are supported)".to_owned());
    }
    // RFC 3279 §2.3.1: the parameters MUST be present and NULL.
    if !algorithm.expect(TAG_NULL, "rsaEncryption parameters")?.is_empty() {
        return Err("rsaEncryption parameters must be NULL".to_owned());
    }
    algorithm.finish("AlgorithmIdentifier")?;

    let bits = spki.expect(TAG_BIT_STRING, "subjectPublicKey")?;
    spki.finish("SubjectPublicKeyInfo")?;
    let Some((&0, key)) = bits.split_first() else {
        return Err("subjectPublicKey BIT STRING must have no unused bits".to_owned());
    };
    rsa_components_from_pkcs1(key)
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
pub fn rsa_components_from_pkcs1(der: &[u8]) -> Result<RsaComponents, String> {
    let mut outer = Reader::new(der);
    let mut key = Reader::new(outer.expect(TAG_SEQUENCE, "RSAPublicKey")?);
    outer.finish("RSAPublicKey")?;
    let modulus = positive_integer(key.expect(TAG_INTEGER, "modulus")?, "modulus")?;
    let exponent = positive_integer(key.expect(TAG_INTEGER, "publicExponent")?, "publicExponent")?;
    key.finish("RSAPublicKey")?;
    Ok(RsaComponents { modulus: modulus.to_vec(), exponent: exponent.to_vec() })
}

fn positive_integer<'a>(content: &'a [u8], what: &str) -> Result<&'a [u8], String> {
    match content {
        [] => Err(format!("{what} INTEGER is empty")),
        [first, ..] if first & 0x80 != 0 => Err(format!("{what} is negative")),
        [0, second, ..] if second & 0x80 == 0 => Err(format!("{what} INTEGER is not minimally encoded")),
        [0, rest @ ..] => Ok(rest),
        _ => Ok(content),
    }
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// Reads one TLV with the given tag and returns its content.
    fn expect(&mut self, tag: u8, what: &str) -> Result<&'a [u8], String> {
        let malformed = || format!("malformed DER in {what}");
        let (&found, after_tag) = self.rest.split_first().ok_or_else(malformed)?;
        if found != tag {
            return Err(format!("unexpected DER tag 0x{found:02x} in {what}"));
        }
        let (&first_len, mut after_len) = after_tag.split_first().ok_or_else(malformed)?;
        let length = if first_len < 0x80 {
            usize::from(first_len)
        } else {
            let count = usize::from(first_len & 0x7f);
            if count == 0 || count > 4 {
                return Err(malformed());
            }
            let (len_bytes, after) = after_len.split_at_checked(count).ok_or_else(malformed)?;
            after_len = after;
            // Minimal: no leading zero byte, and long form only for lengths ≥ 128.
            if len_bytes.first() == Some(&0) {
                return Err(malformed());
            }
            let length = len_bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if length < 0x80 {
                return Err(malformed());
            }
            length
        };
        let (content, rest) = after_len.split_at_checked(length).ok_or_else(malformed)?;
        self.rest = rest;
        Ok(content)
    }

    fn finish(&self, what: &str) -> Result<(), String> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!("trailing bytes after {what}"))
        }
    }
}
