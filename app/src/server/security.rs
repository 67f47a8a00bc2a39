//! Secrets, signed links, session tokens and password hashing.

use super::db::{Db, internal};
use crate::error::AppResult;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use surrealdb::types::RecordId;

type HmacSha256 = Hmac<Sha256>;

/// The installation's signing key.
#[derive(Clone)]
pub struct Keys {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

/// Why a signed token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    BadSignature,
    WrongPurpose,
    Expired,
}

impl Keys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            secret: secret.to_vec(),
        }
    }

    /// Uses `APP_SECRET` when given; otherwise a random secret kept in the database, so
    /// every app node on one database signs alike and links survive restarts.
    pub async fn load(db: &Db, configured: Option<&str>) -> Result<Self, String> {
        if let Some(s) = configured {
            return Ok(Self::from_secret(s.as_bytes()));
        }
        let candidate = random_token(32);
        let mut res = db
            .query("UPSERT setting:secret SET value = value ?? $candidate RETURN VALUE value")
            .bind(("candidate", candidate))
            .await
            .map_err(|e| e.to_string())?;
        let value: Option<String> = res.take(0).map_err(|e| e.to_string())?;
        let value = value.ok_or("secret missing after upsert")?;
        Ok(Self::from_secret(value.as_bytes()))
    }

    fn mac(&self, data: &[u8]) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("hmac takes any key length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// Signs `purpose|subject|expires` (unix seconds; 0 = never expires).
    pub fn sign(&self, purpose: &str, subject: &str, expires: i64) -> String {
        let payload = format!("{purpose}|{subject}|{expires}");
        let sig = self.mac(payload.as_bytes());
        format!("{}.{}", B64.encode(payload.as_bytes()), B64.encode(sig))
    }

    /// Verifies a token made by [`Keys::sign`] and returns its subject.
    pub fn verify(&self, token: &str, purpose: &str, now: i64) -> Result<String, TokenError> {
        let (payload_b64, sig_b64) = token.trim().split_once('.').ok_or(TokenError::Malformed)?;
        let payload = B64.decode(payload_b64).map_err(|_| TokenError::Malformed)?;
        let sig = B64.decode(sig_b64).map_err(|_| TokenError::Malformed)?;
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("hmac takes any key length");
        mac.update(&payload);
        mac.verify_slice(&sig)
            .map_err(|_| TokenError::BadSignature)?;
        let payload = String::from_utf8(payload).map_err(|_| TokenError::Malformed)?;
        let mut parts = payload.splitn(3, '|');
        let (Some(p), Some(subject), Some(exp)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(TokenError::Malformed);
        };
        if p != purpose {
            return Err(TokenError::WrongPurpose);
        }
        let exp: i64 = exp.parse().map_err(|_| TokenError::Malformed)?;
        if exp != 0 && now > exp {
            return Err(TokenError::Expired);
        }
        Ok(subject.to_string())
    }
}

/// `n` random bytes, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    B64.encode(bytes)
}

/// Hex SHA-256, used to store session tokens.
pub fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(internal)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so timing does not reveal it.
pub fn dummy_hash() -> &'static str {
    use std::sync::OnceLock;
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_password("not-a-real-password").unwrap_or_default())
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The signed subject for a person (used by portal and unsubscribe links).
pub fn person_subject(id: &RecordId) -> String {
    super::db::key(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_roundtrip_and_refuse_tampering() {
        let k = Keys::from_secret(b"k1");
        let t = k.sign("portal", "abc", 2_000);
        assert_eq!(k.verify(&t, "portal", 1_000), Ok("abc".into()));
        assert_eq!(k.verify(&t, "portal", 3_000), Err(TokenError::Expired));
        assert_eq!(k.verify(&t, "unsub", 1_000), Err(TokenError::WrongPurpose));
        assert_eq!(
            Keys::from_secret(b"k2").verify(&t, "portal", 1_000),
            Err(TokenError::BadSignature)
        );
        let forged = format!(
            "{}.{}",
            B64.encode("portal|other|2000"),
            t.split_once('.').unwrap().1
        );
        assert_eq!(
            k.verify(&forged, "portal", 1_000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            k.verify("nonsense", "portal", 0),
            Err(TokenError::Malformed)
        );
        let forever = k.sign("unsub", "p1", 0);
        assert_eq!(k.verify(&forever, "unsub", i64::MAX), Ok("p1".into()));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token(32);
        assert!(a.len() >= 43);
        assert_ne!(a, random_token(32));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
