//! Identifiers shaped like Google's, and the secrets partnerd hands out.

use rand::Rng;
use sha2::{Digest, Sha256};

const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// A customer (account) id: `C0` followed by seven base-36 characters, like Google's.
pub fn new_customer_id() -> String {
    format!("C0{}", random_from(BASE36, 7))
}

pub fn is_customer_id(s: &str) -> bool {
    s.len() == 9
        && s.starts_with("C0")
        && s[2..]
            .bytes()
            .all(|b| BASE36.contains(&b.to_ascii_lowercase()))
}

/// A 21-digit numeric id, the shape of Google user ids and OAuth client ids.
pub fn new_numeric_id() -> String {
    let mut rng = rand::thread_rng();
    let mut id = String::with_capacity(21);
    id.push(char::from(b'1' + rng.gen_range(0..9u8)));
    for _ in 0..20 {
        id.push(char::from(b'0' + rng.gen_range(0..10u8)));
    }
    id
}

/// The public reseller ID a customer types when it moves to a reseller: ten characters
/// without look-alikes (no O/0, I/1), easy to read out over the phone.
pub fn new_public_reseller_id() -> String {
    random_from(UPPER_ALNUM, 10)
}

/// 40 hex characters, the shape of a service-account `private_key_id`.
pub fn new_key_id() -> String {
    random_hex(20)
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill(&mut buf[..]);
    hex::encode(buf)
}

/// A bearer access token: `ya29.` like Google's, then 43 characters of randomness.
pub fn new_access_token() -> String {
    let mut buf = [0u8; 32];
    rand::thread_rng().fill(&mut buf[..]);
    let body: String = buf
        .iter()
        .map(|b| BASE36[usize::from(*b) % BASE36.len()] as char)
        .collect();
    format!("ya29.{body}")
}

/// Secrets are stored only as this digest.
pub fn secret_digest(secret: &str) -> String {
    content_digest(secret.as_bytes())
}

/// An OAuth client ID in Google's shape: `<12 digits>-<32 base-36>.apps.googleusercontent.com`.
pub fn new_oauth_client_id() -> String {
    format!(
        "{}-{}.apps.googleusercontent.com",
        &new_numeric_id()[..12],
        random_from(BASE36, 32)
    )
}

/// An OAuth client secret: `GOCSPX-` like Google's, then 28 characters (166 bits).
pub fn new_client_secret() -> String {
    format!("GOCSPX-{}", random_from(BASE36, 28))
}

/// A refresh token: `1//` like Google's, then 64 characters (330 bits).
pub fn new_refresh_token() -> String {
    format!("1//{}", random_from(BASE36, 64))
}

/// SHA-256 of binary data, in hexadecimal (attachments are checked against it).
pub fn content_digest(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_ids_look_like_googles() {
        for _ in 0..1000 {
            let id = new_customer_id();
            assert!(is_customer_id(&id), "{id}");
        }
        assert!(!is_customer_id("C1abcdefg"));
        assert!(!is_customer_id("C0abcdef"));
        assert!(!is_customer_id("C0abcdef!"));
    }

    #[test]
    fn numeric_ids_have_21_digits_without_leading_zero() {
        let id = new_numeric_id();
        assert_eq!(id.len(), 21);
        assert!(id.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(id.as_bytes()[0], b'0');
    }

    #[test]
    fn digests_are_stable_and_distinct() {
        assert_eq!(secret_digest("a"), secret_digest("a"));
        assert_ne!(secret_digest("a"), secret_digest("b"));
        assert_ne!(new_access_token(), new_access_token());
    }
}
