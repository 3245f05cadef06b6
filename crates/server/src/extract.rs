//! Request extractors whose rejections are Google-style errors.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::errors::ApiError;

/// Request bodies above this size are refused with 413.
pub const BODY_LIMIT: usize = 1 << 20;

/// A JSON body; malformed JSON, unknown fields and wrong types are `400 parseError`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::parse_error("The request body is empty."));
        }
        serde_json::from_slice(&bytes)
            .map(Json)
            .map_err(ApiError::parse_error)
    }
}

/// A JSON body that may be empty (methods whose body Google allows to be absent).
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        serde_json::from_slice(&bytes)
            .map(|v| OptionalJson(Some(v)))
            .map_err(ApiError::parse_error)
    }
}

/// A URL-encoded form body (the OAuth token endpoint).
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = body_bytes(req, state).await?;
        serde_urlencoded::from_bytes(&bytes)
            .map(Form)
            .map_err(|e| ApiError::bad_request(format!("Invalid form body: {e}")))
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(BODY_LIMIT)
        } else {
            ApiError::bad_request(rejection.body_text())
        }
    })
}

/// Query parameters; a value of the wrong type is `400 invalid` naming the parameter.
/// Unknown parameters (Google's system parameters such as `alt`, `prettyPrint`,
/// `quotaUser`) are ignored.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Query)
            .map_err(|e| ApiError::invalid(format!("Invalid query parameter: {e}")))
    }
}

/// A large JSON answer (a list page), serialized into one buffer sized up front: growing
/// a buffer from a few bytes to a hundred kilobytes copies it a dozen times.
pub struct LargeJson<T> {
    pub value: T,
    pub expected_bytes: usize,
}

impl<T: serde::Serialize> axum::response::IntoResponse for LargeJson<T> {
    fn into_response(self) -> axum::response::Response {
        let mut buffer = Vec::with_capacity(self.expected_bytes);
        match serde_json::to_writer(&mut buffer, &self.value) {
            Ok(()) => (
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                )],
                buffer,
            )
                .into_response(),
            Err(e) => {
                tracing::error!(error = %e, "serializing an answer");
                ApiError::internal().into_response()
            }
        }
    }
}

/// Path parameters; a path that cannot be decoded (a percent-escape that is not UTF-8,
/// such as `%ff`) is a Google-style `400 badRequest` instead of axum's plain text.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(ApiError::bad_request(format!(
                "Invalid URL path: {}",
                rejection.body_text()
            ))),
        }
    }
}
