//! The read-only endpoints: the rules and their explanations, the JSON
//! Schemas and fill-in templates of each kind, health and metrics.

use super::check::lang_of;
use super::problem::problem;
use super::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

fn json_response(v: &Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        crate::text::json_safe(&v.to_string()).into_owned(),
    )
        .into_response()
}

fn no_such(what: &str, name: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Not Found",
        &format!("no {what} `{name}`"),
        Value::Null,
    )
}

/// A rule as the API shows it.
fn rule_json(pack: &crate::pack::Pack, r: &crate::pack::RuleDef, lang: crate::i18n::Lang) -> Value {
    let subject = pack.records.get(r.subject.0).map(|k| k.kind.clone());
    json!({
        "id": r.id.as_ref(),
        "title": { "zh": r.title.zh, "en": r.title.en },
        "force": r.force.as_str(),
        "force_zh": r.force.zh(),
        "subject": subject,
        "in_force": {
            "from": r.from.unwrap_or(pack.period_start).to_string(),
            "until": r.until.unwrap_or(pack.period_end).to_string(),
        },
        "citations": r.cites.iter().map(|c| json!({
            "section": c.section,
            "quotes": c.quotes.iter().map(|(q, l)| json!({
                "verbatim": q,
                "shown": crate::report::cite::shown_quote(pack, q, *l, lang),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /v1/rules`
pub(crate) async fn rules(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let loaded = shared.current();
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    let pack = &loaded.pack;
    json_response(&json!({
        "pack": { "name": pack.name, "title": { "zh": pack.title.zh, "en": pack.title.en },
                  "period": { "from": pack.period_start.to_string(), "until": pack.period_end.to_string() },
                  "revision": loaded.revision },
        "rules": pack.rules.iter().map(|r| rule_json(pack, r, lang)).collect::<Vec<_>>(),
    }))
}

/// `GET /v1/rules/{id}`: the rule, and what `rules explain` says of it.
pub(crate) async fn rule(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let loaded = shared.current();
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    let pack = &loaded.pack;
    let Some(r) = pack.rule(&id) else {
        let mut r = no_such("rule", &id);
        if let Some(help) = crate::diagnostics::suggest(&id, pack.rules.iter().map(|r| &*r.id)) {
            r = problem(
                StatusCode::NOT_FOUND,
                "Not Found",
                &format!("no rule `{id}`"),
                json!({ "help": help.text(lang) }),
            );
        }
        return r;
    };
    let mut v = rule_json(pack, r, lang);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "explanation".into(),
            Value::String(crate::report::explain_text(pack, r, lang)),
        );
        o.insert("lang".into(), Value::String(lang.code().to_string()));
    }
    json_response(&v)
}

/// `GET /v1/schema/{kind}`
pub(crate) async fn schema(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
) -> Response {
    let loaded = shared.current();
    match crate::pack::json_schema(&loaded.pack, &kind) {
        Some(s) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/schema+json")],
            s.to_string(),
        )
            .into_response(),
        None => no_such("record kind", &kind),
    }
}

/// `GET /v1/template/{kind}`: the fill-in workbook (`format=csv` for CSV).
pub(crate) async fn template(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let loaded = shared.current();
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    if loaded.pack.record(&kind).is_none() {
        return no_such("record kind", &kind);
    }
    let csv = q.get("format").is_some_and(|f| f == "csv");
    let made = if csv {
        crate::template::csv(&loaded.pack, &kind, lang, &[]).map(String::into_bytes)
    } else {
        crate::template::workbook(&loaded.pack, &kind, lang, &[])
    };
    match made {
        Ok(bytes) => {
            let (ty, ext) = if csv {
                ("text/csv; charset=utf-8", "csv")
            } else {
                (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                )
            };
            let disposition = format!("attachment; filename=\"{kind}-template.{ext}\"");
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, ty.to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => problem(StatusCode::NOT_FOUND, "Not Found", &e, Value::Null),
    }
}

/// `GET /health`
pub(crate) async fn health(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    let error = shared.reload_error.read().ok().and_then(|e| e.clone());
    json_response(&json!({
        "status": "ok",
        "pack": loaded.pack.name,
        "rules": loaded.pack.rules.len(),
        "revision": loaded.revision,
        "loaded_at": loaded.loaded_at,
        "last_reload_error": error,
        "uptime_seconds": shared.started.elapsed().as_secs(),
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

/// `GET /metrics`
pub(crate) async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        shared.metrics.text(),
    )
        .into_response()
}
