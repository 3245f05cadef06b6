//! Who acts. A request becomes an `Actor` once — from a bearer token at the API, from a
//! session in the consoles — and every operation is judged and recorded as that actor.

/// Whoever performs an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A user of an account: the delegated user of an API token, or a console session's user.
    User {
        account_id: String,
        user_id: String,
        email: String,
    },
    /// A service account acting as itself (a token without a delegated user).
    ServiceAccount {
        account_id: String,
        client_id: String,
    },
    /// The operator of the control API (a tester standing in for the platform).
    Operator,
    /// The platform itself, as time passes (trials end, terms renew).
    System,
}

impl Actor {
    /// The name events record.
    pub fn name(&self) -> &str {
        match self {
            Actor::User { email, .. } => email,
            Actor::ServiceAccount { client_id, .. } => client_id,
            Actor::Operator => "operator",
            Actor::System => "system",
        }
    }

    /// The account a user or service account belongs to.
    pub fn account_id(&self) -> Option<&str> {
        match self {
            Actor::User { account_id, .. } | Actor::ServiceAccount { account_id, .. } => {
                Some(account_id)
            }
            Actor::Operator | Actor::System => None,
        }
    }

    pub fn user_id(&self) -> Option<&str> {
        match self {
            Actor::User { user_id, .. } => Some(user_id),
            _ => None,
        }
    }
}
