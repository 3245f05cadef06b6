//! Transfer tokens: how a customer lets another reseller take it over.

use crate::clock::Millis;
use crate::subscription::DAY_MS;

/// A transfer token is valid for 30 days, as the Reseller API documentation says (the
/// Admin console help says 14; integrators code against the API).
pub const TOKEN_VALIDITY_MS: Millis = 30 * DAY_MS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferToken {
    /// SHA-256 digest of the hexadecimal `customerAuthToken`.
    pub digest: String,
    pub customer_id: String,
    /// The receiving reseller the customer's admin named.
    pub reseller_id: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

impl TransferToken {
    pub fn authorizes(&self, customer_id: &str, reseller_id: &str, now: Millis) -> bool {
        self.customer_id == customer_id && self.reseller_id == reseller_id && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_for_one_customer_one_reseller_thirty_days() {
        let t = TransferToken {
            digest: "d".into(),
            customer_id: "C0a".into(),
            reseller_id: "C0r".into(),
            created_at: 0,
            expires_at: TOKEN_VALIDITY_MS,
        };
        assert!(t.authorizes("C0a", "C0r", TOKEN_VALIDITY_MS - 1));
        assert!(!t.authorizes("C0a", "C0r", TOKEN_VALIDITY_MS));
        assert!(!t.authorizes("C0b", "C0r", 0));
        assert!(!t.authorizes("C0a", "C0x", 0));
    }
}
