//! The one error of every operation. Each front door renders it: the API as Google's
//! JSON error (the first violation, with the status and reason the real API uses), a
//! console form as a message beside each field it names.

use partnerd_domain::RuleError;
use partnerd_domain::auth::GrantRefusal;
use partnerd_store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
    /// The input breaks rules: every violation found, each naming its field path
    /// (`postalAddress.countryCode`). Never empty.
    Rules(Vec<RuleError>),
    /// Nothing there (the message names what).
    NotFound(String),
    /// The actor's roles do not allow the operation.
    NotAuthorized,
    /// The actor may not reach this resource, or not do this to it.
    Forbidden(String),
    /// The customer turned its reseller's access to its Admin console and APIs off.
    ResellerAccessOff,
    /// The token endpoint refuses to issue a token (OAuth renders each kind its way).
    Grant(GrantRefusal),
    /// Storage failed, or kept conflicting after every retry.
    Store(StoreError),
}

impl OpError {
    /// Google's answer for an account the actor may not administer, whatever is there.
    pub fn not_administrable() -> Self {
        OpError::Forbidden("Not Authorized to access this resource/api".into())
    }

    /// The violations of a rejected input (empty for other errors).
    pub fn violations(&self) -> &[RuleError] {
        match self {
            OpError::Rules(v) => v,
            _ => &[],
        }
    }
}

impl From<RuleError> for OpError {
    fn from(e: RuleError) -> Self {
        OpError::Rules(vec![e])
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpError::Rules(v) => {
                let messages: Vec<&str> = v.iter().map(|e| e.message.as_str()).collect();
                f.write_str(&messages.join("; "))
            }
            OpError::NotFound(m) | OpError::Forbidden(m) => f.write_str(m),
            OpError::NotAuthorized => {
                f.write_str("Authenticated user is not authorized to perform this action.")
            }
            OpError::ResellerAccessOff => f.write_str("Domain cannot use apis."),
            OpError::Grant(GrantRefusal::InvalidScope(m)) => f.write_str(m),
            OpError::Grant(GrantRefusal::UnauthorizedClient) => {
                f.write_str("The client is not authorized for the scopes requested.")
            }
            OpError::Grant(GrantRefusal::UnknownSubject) => f.write_str("Invalid email or User ID"),
            OpError::Grant(GrantRefusal::InvalidClient) => f.write_str("Unauthorized"),
            OpError::Grant(GrantRefusal::RevokedRefreshToken) => {
                f.write_str("Token has been expired or revoked.")
            }
            OpError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OpError {}

/// Collects the violations of one input, so that a form can show all of them at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<RuleError>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `result`'s value, or records its violation and gives `None`.
    pub fn check<T>(&mut self, result: Result<T, RuleError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, e: RuleError) {
        self.0.push(e);
    }

    /// Keeps `result`'s value, or records its violations and gives `None`; any other
    /// failure (storage, privileges) is not a violation of the input and is returned.
    pub fn absorb<T>(&mut self, result: Result<T, OpError>) -> Result<Option<T>, OpError> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(OpError::Rules(violations)) => {
                self.0.extend(violations);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// `Ok` when nothing was recorded, every violation otherwise.
    pub fn finish(self) -> Result<(), OpError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(OpError::Rules(self.0))
        }
    }
}
