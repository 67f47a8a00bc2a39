//! Time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the codes
//! authenticator apps show, and their base32 secrets (RFC 4648) for the apps' setup.

use hmac::{Hmac, Mac};

/// Seconds per code.
pub const STEP: i64 = 30;

/// A new random secret (160 bits, as RFC 4226 recommends).
pub fn new_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut s = vec![0u8; 20];
    rand::rng().fill_bytes(&mut s);
    s
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding, as authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The bytes of a base32 secret (spaces and case ignored); None when it is not base32.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code for the step that holds `unix` (seconds).
pub fn code_at(secret: &[u8], unix: i64) -> String {
    code_for_step(secret, unix.div_euclid(STEP))
}

fn code_for_step(secret: &[u8], step: i64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    format!("{:06}", value % 1_000_000)
}

/// The step of `code` when it is valid at `unix`, allowing one step of clock drift either way.
pub fn verify(secret: &[u8], code: &str, unix: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = unix.div_euclid(STEP);
    (now - 1..=now + 1).find(|step| {
        use subtle::ConstantTimeEq;
        bool::from(
            code_for_step(secret, *step)
                .as_bytes()
                .ct_eq(code.as_bytes()),
        )
    })
}

/// The `otpauth://` address an authenticator app reads (as a link or QR code).
pub fn otpauth_url(issuer: &str, account: &str, secret_b32: &str) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// Ten recovery codes (`xxxx-xxxx`, lower-case letters and digits), each good once.
pub fn recovery_codes() -> Vec<String> {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| {
            let mut s: String = (0..8)
                .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
                .collect();
            s.insert(4, '-');
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_rfc_6238_vectors() {
        // RFC 6238 appendix B, SHA-1 (the 8-digit codes end in these 6 digits).
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(secret, t), code, "T = {t}");
        }
        assert_eq!(verify(secret, "287 082", 59), Some(1));
        assert_eq!(verify(secret, "287082", 59 + 30), Some(1), "one step late");
        assert_eq!(verify(secret, "287082", 59 + 90), None, "three steps late");
        assert_eq!(verify(secret, "28708", 59), None);
    }

    #[test]
    fn secrets_round_trip_through_base32() {
        let s = new_secret();
        assert_eq!(from_base32(&base32(&s)).unwrap(), s);
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(from_base32("not base32!"), None);
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 9 && c.as_bytes()[4] == b'-')
        );
    }
}
