//! One error type for every API failure, rendered as Google's JSON error body:
//! `{"error": {"code", "message", "errors": [{"domain", "reason", "message"}], "status"}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use partnerd_app::OpError;
use partnerd_domain::{RuleError, RuleErrorKind};
use partnerd_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub reason: &'static str,
    pub message: String,
    pub domain: &'static str,
    /// For header and parameter errors, where Google names the culprit.
    pub location: Option<(&'static str, String)>,
}

impl ApiError {
    fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            reason,
            message: message.into(),
            domain: "global",
            location: None,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    pub fn invalid_parameter(name: &str, message: impl Into<String>) -> Self {
        let mut e = Self::invalid(message);
        e.location = Some(("parameter", name.to_string()));
        e
    }

    /// A `fields` value that is malformed or names what the answer cannot hold.
    pub fn invalid_field_selection(message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "invalidParameter", message);
        e.location = Some(("parameter", "fields".to_string()));
        e
    }

    pub fn parse_error(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "parseError",
            format!("Invalid JSON payload received. {detail}"),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "badRequest", message)
    }

    /// No credentials at all.
    pub fn login_required() -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "required",
            "Request is missing required authentication credential. Expected OAuth 2 access token, \
             login cookie or other valid authentication credential.",
        );
        e.location = Some(("header", "Authorization".into()));
        e
    }

    /// Credentials that are unknown or expired.
    pub fn invalid_credentials() -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, \
             login cookie or other valid authentication credential.",
        );
        e.location = Some(("header", "Authorization".into()));
        e
    }

    pub fn insufficient_scopes() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "insufficientPermissions",
            "Request had insufficient authentication scopes.",
        )
    }

    pub fn not_authorized() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "insufficientPermissions",
            "Authenticated user is not authorized to perform this action.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// The customer turned off its reseller's access to its Admin console and APIs.
    pub fn domain_cannot_use_apis() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "domainCannotUseApis",
            "Domain cannot use apis.",
        )
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "notFound", message)
    }

    pub fn duplicate(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "duplicate", message)
    }

    pub fn condition_not_met(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, "conditionNotMet", message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "httpMethodNotAllowed",
            "The HTTP method is not supported by this resource.",
        )
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requestTooLarge",
            format!("The request body is larger than {limit} bytes."),
        )
    }

    pub fn timeout() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "backendError",
            "The request timed out; retry it.",
        )
    }

    /// The answer of an injected fault (see `faults`).
    pub fn injected(status: StatusCode) -> Self {
        match status.as_u16() {
            429 => Self::rate_limited(
                StatusCode::TOO_MANY_REQUESTS,
                "rateLimitExceeded",
                "Quota exceeded for quota metric 'Queries' (injected fault).",
            ),
            500 => Self::new(
                status,
                "backendError",
                "Internal error encountered (injected fault).",
            ),
            _ => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "backendError",
                "The service is currently unavailable (injected fault).",
            ),
        }
    }

    /// A usage limit was reached: Google answers 429 `rateLimitExceeded` or 403
    /// `userRateLimitExceeded`, both in the `usageLimits` domain.
    pub fn rate_limited(
        status: StatusCode,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        let mut e = Self::new(status, reason, message);
        e.domain = "usageLimits";
        e
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "backendError",
            "Internal error encountered.",
        )
    }

    /// Google's canonical status name for an HTTP code.
    fn status_name(&self) -> &'static str {
        match self.status.as_u16() {
            400 | 413 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            405 => "UNIMPLEMENTED",
            409 => "ALREADY_EXISTS",
            412 => "FAILED_PRECONDITION",
            429 => "RESOURCE_EXHAUSTED",
            503 => "UNAVAILABLE",
            _ => "INTERNAL",
        }
    }
}

impl From<RuleError> for ApiError {
    fn from(e: RuleError) -> Self {
        match e.kind {
            RuleErrorKind::Required => {
                ApiError::new(StatusCode::BAD_REQUEST, "required", e.message)
            }
            RuleErrorKind::Invalid => ApiError::invalid(e.message),
            RuleErrorKind::BadRequest => ApiError::bad_request(e.message),
            RuleErrorKind::ConditionNotMet => ApiError::condition_not_met(e.message),
            RuleErrorKind::Forbidden => ApiError::forbidden(e.message),
            RuleErrorKind::Duplicate => ApiError::duplicate(e.message),
        }
    }
}

impl From<OpError> for ApiError {
    /// The API answers the first violation of an input, as Google does.
    fn from(e: OpError) -> Self {
        match e {
            OpError::Rules(mut violations) => {
                if violations.is_empty() {
                    ApiError::internal()
                } else {
                    violations.swap_remove(0).into()
                }
            }
            OpError::NotFound(message) => ApiError::not_found(message),
            OpError::NotAuthorized => ApiError::not_authorized(),
            OpError::Forbidden(message) => ApiError::forbidden(message),
            OpError::ResellerAccessOff => ApiError::domain_cannot_use_apis(),
            // Only the token endpoint issues tokens, and it answers in OAuth's format.
            refused @ OpError::Grant(_) => ApiError::forbidden(refused.to_string()),
            OpError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    /// Handlers map the conflicts they expect; anything reaching here is unexpected.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(name) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("The request conflicts with existing data ({name})."),
            ),
            StoreError::Stale => ApiError::new(
                StatusCode::CONFLICT,
                "aborted",
                "The resource changed concurrently; retry the request.",
            ),
            StoreError::Backend(detail) => {
                tracing::error!(%detail, "storage failure");
                ApiError::internal()
            }
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: ErrorObject<'a>,
}

#[derive(Serialize)]
struct ErrorObject<'a> {
    code: u16,
    message: &'a str,
    errors: [ErrorItem<'a>; 1],
    status: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorItem<'a> {
    message: &'a str,
    domain: &'static str,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: ErrorObject {
                code: self.status.as_u16(),
                message: &self.message,
                errors: [ErrorItem {
                    message: &self.message,
                    domain: self.domain,
                    reason: self.reason,
                    location_type: self.location.as_ref().map(|(t, _)| *t),
                    location: self.location.as_ref().map(|(_, l)| l.as_str()),
                }],
                status: self.status_name(),
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"https://accounts.google.com/\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: ApiError) -> (StatusCode, serde_json::Value) {
        let response = e.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        (status, serde_json::from_slice(&bytes).expect("json"))
    }

    #[tokio::test]
    async fn renders_googles_shape() {
        let (status, body) =
            body_of(ApiError::from(RuleError::invalid("customerDomain", "bad"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], 400);
        assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
        assert_eq!(body["error"]["errors"][0]["reason"], "invalid");
        assert_eq!(body["error"]["errors"][0]["domain"], "global");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("customerDomain")
        );
    }

    #[tokio::test]
    async fn unauthenticated_names_the_header() {
        let (status, body) = body_of(ApiError::login_required()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["status"], "UNAUTHENTICATED");
        assert_eq!(body["error"]["errors"][0]["locationType"], "header");
        assert_eq!(body["error"]["errors"][0]["location"], "Authorization");
    }

    #[tokio::test]
    async fn backend_failures_hide_details() {
        let (status, body) = body_of(ApiError::from(StoreError::Backend("secret".into()))).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.to_string().contains("secret"));
    }
}
