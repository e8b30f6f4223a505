//! The portal's style sheet and countdown script, embedded in the binary and served from the
//! server itself (the content security policy allows no other source).

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("assets/portail.css");
const JS: &str = include_str!("assets/portail.js");

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            // Short: a new version of the server must reach browsers the same day.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /portail/static/portail.css`.
pub async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

/// `GET /portail/static/portail.js`.
pub async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}
