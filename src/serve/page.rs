//! `GET /`: the officers' page. A form that uploads files or a pasted
//! application to `/v1/check?format=html` (the review report comes back as
//! the answer: no script is needed), the fill-in templates, and the rules
//! with their explanations. Chinese or English by `?lang=` or the browser's
//! `Accept-Language`; nothing is loaded from anywhere else.

use super::check::lang_of;
use super::Shared;
use crate::i18n::Lang;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;
use std::sync::Arc;

/// The page's own styles (short: the report brings its own).
const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1d232a;line-height:1.5}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
form{display:grid;gap:.8rem;background:#f4f6f9;border:1px solid #d5dbe3;border-radius:6px;padding:1rem}
textarea{width:100%;min-height:10rem;font-family:ui-monospace,monospace;font-size:.85rem;box-sizing:border-box}
button{justify-self:start;padding:.45rem 1.4rem;font-size:1rem;background:#1f5fa8;color:#fff;border:0;border-radius:4px;cursor:pointer}
nav a{margin-right:1rem}details{border-bottom:1px solid #e3e6ea;padding:.3rem 0}summary{cursor:pointer}
summary code{color:#555;margin-right:.5rem}pre{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.6rem;font-size:.85rem}
.muted{color:#5b6570;font-size:.9rem}
";

/// Chinese or English.
fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// `GET /`
pub(crate) async fn page(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    let loaded = shared.current();
    let body = render(&loaded.pack, lang).into_string();
    let body = crate::text::escape_keeping(&body, &['\n', '\t']).into_owned();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'",
            ),
        ],
        body,
    )
        .into_response()
}

/// The page for `pack`, in `lang`.
fn render(pack: &crate::pack::Pack, lang: Lang) -> Markup {
    let other = match lang {
        Lang::Zh => ("en", "English"),
        Lang::En => ("zh", "中文"),
    };
    let code = lang.code();
    html! {
        (DOCTYPE)
        html lang=(t(lang, "zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'";
                title { (t(lang, "plancheck 规划审查", "plancheck plan review")) }
                style { (STYLE) }
            }
            body {
                nav class="muted" {
                    a href={ "/?lang=" (other.0) } { (other.1) }
                    a href="#templates" { (t(lang, "填报模板", "Templates")) }
                    a href="#rules" { (t(lang, "规则", "Rules")) }
                    a href="/v1/openapi.json" { "API" }
                }
                h1 { (t(lang, "规划审查", "Plan review")) }
                p class="muted" { (pack.title.text(lang)) " · " (pack.name) " · plancheck " (env!("CARGO_PKG_VERSION")) }
                form method="post" action={ "/v1/check?format=html&lang=" (code) } enctype="multipart/form-data" {
                    label {
                        (t(lang, "上传项目申请或指标报表（.json .jsonl .csv .xlsx .xls，可多选）",
                               "Upload applications or indicator reports (.json .jsonl .csv .xlsx .xls, several at once)"))
                        br;
                        input type="file" name="files" multiple accept=".json,.jsonl,.csv,.xlsx,.xls";
                    }
                    label {
                        (t(lang, "或粘贴 JSON：", "or paste JSON:"))
                        br;
                        textarea name="text" spellcheck="false" placeholder=r#"{"kind": "project", ...}"# {}
                    }
                    label {
                        (t(lang, "审查日期（可选）：", "Date of the check (optional): "))
                        input type="date" name="date";
                    }
                    input type="hidden" name="lang" value=(code);
                    input type="hidden" name="format" value="html";
                    button type="submit" { (t(lang, "审查", "Check")) }
                }
                h2 id="templates" { (t(lang, "填报模板", "Fill-in templates")) }
                ul {
                    @for r in &pack.records {
                        @if crate::template::columns(pack, &r.kind, lang).is_some() {
                            li {
                                (r.labels.as_ref().map_or(r.kind.as_str(), |l| l.text(lang)))
                                " (" code { (r.kind) } "): "
                                a href={ "/v1/template/" (r.kind) "?lang=" (code) } { "Excel" }
                                " · "
                                a href={ "/v1/template/" (r.kind) "?format=csv&lang=" (code) } { "CSV" }
                                " · "
                                a href={ "/v1/schema/" (r.kind) } { "JSON Schema" }
                            }
                        }
                    }
                }
                h2 id="rules" { (t(lang, "规则", "Rules")) " (" (pack.rules.len()) ")" }
                @for r in &pack.rules {
                    details {
                        summary { code { (r.id) } (r.title.text(lang)) }
                        pre { (crate::report::explain_text(pack, r, lang)) }
                    }
                }
            }
        }
    }
}
