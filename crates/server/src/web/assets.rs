//! Static files embedded in the binary, served under names that carry a digest of their
//! content so browsers may cache them for a year and still see every change.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Asset {
    /// The name pages link to: `site-<digest>.css`.
    name: String,
    content_type: &'static str,
    body: &'static [u8],
}

fn asset(stem: &str, extension: &str, content_type: &'static str, body: &'static [u8]) -> Asset {
    let digest = partnerd_domain::ids::content_digest(body);
    Asset {
        name: format!("{stem}-{}.{extension}", &digest[..12]),
        content_type,
        body,
    }
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![asset(
        "site",
        "css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/site.css"),
    )]
});

/// The URL of the stylesheet.
pub fn stylesheet() -> String {
    format!("/assets/{}", ASSETS[0].name)
}

pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => {
            let mut response = a.body.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(a.content_type),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
