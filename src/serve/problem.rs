//! Errors as RFC 9457 problem details (`application/problem+json`).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// A problem response: `status`, a short `title`, the `detail`, and extra members.
pub(crate) fn problem(status: StatusCode, title: &str, detail: &str, extra: Value) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some(b), Value::Object(more)) = (body.as_object_mut(), extra) {
        b.extend(more);
    }
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// No such route.
pub(crate) async fn not_found() -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not Found",
        "no such resource; GET /v1/openapi.json lists them",
        Value::Null,
    )
}

/// A resource that does not answer the request's method (the `Allow`
/// header, which axum sets, names those it does).
pub(crate) async fn method_not_allowed(
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> Response {
    problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        &format!(
            "{} does not answer {method}; GET /v1/openapi.json lists the methods of each resource",
            crate::text::clip(uri.path(), 200)
        ),
        Value::Null,
    )
}

/// A panic caught (a bug of plancheck): a problem, never a dropped connection.
pub(crate) fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        "plancheck failed on this request; please report it",
        Value::Null,
    )
}
