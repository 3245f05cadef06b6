//! Per-token rate limits (off unless configured), answered the way Google answers a
//! usage limit, so clients' quota handling can be tested.

use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::errors::ApiError;

/// How an exceeded limit is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitAnswer {
    /// 429 `rateLimitExceeded` (Google's answer for per-minute quotas).
    TooManyRequests,
    /// 403 `userRateLimitExceeded` (what older Google APIs answer).
    Forbidden,
}

impl std::str::FromStr for LimitAnswer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "429" => Ok(LimitAnswer::TooManyRequests),
            "403" => Ok(LimitAnswer::Forbidden),
            other => Err(format!("{other}: the answer is 429 or 403")),
        }
    }
}

/// `per_minute` requests per access token, refilling evenly, bursts up to the same number.
pub struct RateLimits {
    per_minute: NonZeroU32,
    answer: LimitAnswer,
    limiter: DefaultKeyedRateLimiter<String>,
}

impl RateLimits {
    pub fn new(per_minute: NonZeroU32, answer: LimitAnswer) -> Self {
        RateLimits {
            per_minute,
            answer,
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
        }
    }

    /// `None` when the token may go on, else the answer to send.
    pub fn check(&self, token: &str) -> Option<Response> {
        let wait = match self.limiter.check_key(&token.to_string()) {
            Ok(()) => return None,
            Err(not_until) => not_until.wait_time_from(DefaultClock::default().now()),
        };
        let message = format!(
            "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' \
             ({} per minute).",
            self.per_minute
        );
        let error = match self.answer {
            LimitAnswer::TooManyRequests => {
                ApiError::rate_limited(StatusCode::TOO_MANY_REQUESTS, "rateLimitExceeded", message)
            }
            LimitAnswer::Forbidden => {
                ApiError::rate_limited(StatusCode::FORBIDDEN, "userRateLimitExceeded", message)
            }
        };
        let mut response = error.into_response();
        let seconds = wait.max(Duration::from_secs(1)).as_secs_f64().ceil() as u64;
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        Some(response)
    }

    /// Forgets tokens whose budget is full again, so memory follows active tokens only.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_token_has_its_own_budget() {
        let limits = RateLimits::new(NonZeroU32::new(3).expect("3"), LimitAnswer::Forbidden);
        for _ in 0..3 {
            assert!(limits.check("a").is_none());
        }
        let refused = limits.check("a").expect("over the limit");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(refused.headers().contains_key(header::RETRY_AFTER));
        assert!(limits.check("b").is_none());
    }
}
