//! `POST /v1/check`: a record, an array, NDJSON, CSV, a workbook, or a
//! multipart upload of files, checked as `plancheck check` checks files and
//! answered in the format asked for (CONTRACT.md §5 JSON by default).

use super::problem::problem;
use super::Shared;
use crate::i18n::Lang;
use crate::input::Format;
use crate::model::{Options, RecordReport, Reserved, Status};
use crate::report::{EmitOptions, Format as Output, RunEnd, Summary};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One file of a request.
enum Upload {
    /// A text submission: its name, text and format.
    Text(String, Arc<str>, Format),
    /// A workbook: its name and bytes (`.xlsx` or `.xls` by the name).
    Workbook(String, Bytes),
}

/// The options of a request, from its query (and the page's form fields).
struct Asked {
    lang: Lang,
    format: Output,
    opts: Options,
}

fn bad_request(detail: &str) -> Response {
    problem(StatusCode::BAD_REQUEST, "Bad Request", detail, Value::Null)
}

/// The language a request asks for: `lang=`, else its `Accept-Language`.
pub(crate) fn lang_of(query: Option<&str>, headers: &HeaderMap) -> Lang {
    match query {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => {
            let accept = headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if accept.trim_start().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            }
        }
    }
}

/// Reads the options of a request, or the problem with them.
fn asked(
    pack: &crate::pack::Pack,
    query: &[(String, String)],
    headers: &HeaderMap,
) -> Result<Asked, String> {
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
    let all_of = |k: &str| -> Vec<String> {
        query
            .iter()
            .filter(|(q, _)| q == k)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect()
    };
    // A value the CLI would refuse is a bad request, not quietly another
    // answer (`--lang fr` is a usage error; so is `lang=fr`).
    if let Some(l) = get("lang").filter(|l| !matches!(*l, "" | "zh" | "en")) {
        return Err(format!("lang `{l}` is not one of zh, en"));
    }
    let lang = lang_of(get("lang"), headers);
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let format = match get("format") {
        None if wants_html => Output::Html,
        None | Some("json") => Output::Json,
        Some("sarif") => Output::Sarif,
        Some("junit") => Output::Junit,
        Some("html") => Output::Html,
        Some("github") => Output::Github,
        Some(other) => {
            return Err(format!(
                "format `{other}` is not one of json, sarif, junit, html, github"
            ))
        }
    };
    let date = match get("date") {
        None | Some("") => None,
        Some(d) => match crate::units::parse_date(d) {
            Some(d) => Some(d),
            None => return Err(format!("`{d}` is not a date YYYY-MM-DD")),
        },
    };
    let select = all_of("select");
    let ignore = all_of("ignore");
    for s in select.iter().chain(&ignore) {
        if !pack.rules.iter().any(|r| r.id.starts_with(s.as_str())) {
            return Err(format!("`{s}` matches no rule id or prefix"));
        }
    }
    let all = match get("all") {
        None | Some("false" | "0") => false,
        Some("" | "true" | "1") => true,
        Some(other) => return Err(format!("all `{other}` is not one of true, false, 1, 0")),
    } || format == Output::Html;
    Ok(Asked {
        lang,
        format,
        opts: Options {
            lang,
            date,
            select,
            ignore,
            all,
            cancel: crate::model::Cancel::default(),
            keep_records: format == Output::Html,
        },
    })
}

/// The format of an upload by its name.
fn format_of_name(name: &str) -> Option<Format> {
    crate::input::format_of(std::path::Path::new(name))
}

/// A text submission's format by its content: an object or array is JSON,
/// several lines of objects JSON Lines.
fn sniff(text: &str) -> Format {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let object = |l: &&str| l.trim_start().starts_with('{') && l.trim_end().ends_with('}');
    if lines.len() > 1 && lines.iter().all(object) {
        Format::Jsonl
    } else {
        Format::Json
    }
}

/// The uploads of a multipart body (the page's form: files, a pasted text,
/// and its `lang` and `format` fields).
async fn multipart(
    mut form: Multipart,
    form_fields: &mut Vec<(String, String)>,
) -> Result<Vec<Upload>, Response> {
    let mut uploads = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let status = e.status();
                return Err(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    problem(status, "Payload Too Large", &e.body_text(), Value::Null)
                } else {
                    bad_request(&e.body_text())
                });
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let file = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let status = e.status();
                return Err(problem(status, "Bad Request", &e.body_text(), Value::Null));
            }
        };
        match (name.as_str(), file) {
            (_, Some(file)) if !file.is_empty() => match format_of_name(&file) {
                Some(Format::Workbook) => uploads.push(Upload::Workbook(file, bytes)),
                Some(format) => uploads.push(Upload::Text(
                    file,
                    Arc::from(crate::input::decode_all(&bytes)),
                    format,
                )),
                None => {
                    return Err(problem(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "Unsupported Media Type",
                        &format!("`{file}` is not a .json, .jsonl, .csv, .xlsx or .xls file"),
                        Value::Null,
                    ))
                }
            },
            ("text", _) => {
                let text = crate::input::decode_all(&bytes);
                if !text.trim().is_empty() {
                    let format = sniff(&text);
                    let name = if format == Format::Jsonl {
                        "pasted.jsonl"
                    } else {
                        "pasted.json"
                    };
                    uploads.push(Upload::Text(name.to_string(), Arc::from(text), format));
                }
            }
            // The page's own fields (`lang`, `format`), as if in the query.
            (field, _) if !field.is_empty() => {
                form_fields.push((
                    field.to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
            _ => {}
        }
    }
    Ok(uploads)
}

/// The decision id of the next request.
fn decision_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = jiff::Timestamp::now().as_nanosecond();
    format!(
        "{:012x}-{:06x}-{n:x}",
        t as u64 & 0xffff_ffff_ffff,
        std::process::id() & 0xff_ffff
    )
}

/// Checks every upload, in order.
fn run_checks(pack: &crate::pack::Pack, uploads: &[Upload], opts: &Options) -> Vec<RecordReport> {
    let mut reports = Vec::new();
    for u in uploads {
        match u {
            Upload::Text(name, text, format) => {
                reports.extend(crate::run::check_text(
                    pack,
                    name,
                    text.clone(),
                    *format,
                    opts,
                ));
            }
            Upload::Workbook(name, bytes) => {
                let ext = if name.to_ascii_lowercase().ends_with(".xls") {
                    ".xls"
                } else {
                    ".xlsx"
                };
                let file = tempfile::Builder::new().suffix(ext).tempfile();
                let written = file.and_then(|mut f| {
                    std::io::Write::write_all(&mut f, bytes)?;
                    Ok(f)
                });
                match written {
                    Ok(f) => {
                        let _ = crate::run::check_file(
                            pack,
                            name,
                            f.path(),
                            Format::Workbook,
                            opts,
                            &mut |batch| reports.extend(batch),
                        );
                    }
                    Err(e) => reports.push(RecordReport {
                        file: name.clone(),
                        index: 0,
                        id: None,
                        kind: None,
                        status: Status::Invalid,
                        findings: vec![crate::model::LocatedFinding::unlocated(
                            crate::model::Finding::input(
                                Reserved::InputParse,
                                crate::i18n::msg::input::cannot_read_file(
                                    opts.lang,
                                    &e.to_string(),
                                ),
                                None,
                                None,
                            ),
                        )],
                        record: None,
                    }),
                }
            }
        }
    }
    reports
}

/// `POST /v1/check`.
pub(crate) async fn check(
    State(shared): State<Arc<Shared>>,
    Query(mut query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let loaded = shared.current();
    let max = shared.config.max_body;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > max)
    {
        return too_large(max);
    }
    let is_form = essence == "multipart/form-data";
    let uploads = if is_form {
        let form = match Multipart::from_request(req, &()).await {
            Ok(f) => f,
            Err(e) => return bad_request(&e.body_text()),
        };
        match multipart(form, &mut query).await {
            Ok(u) => u,
            Err(r) => return r,
        }
    } else {
        let format = match essence.as_str() {
            "application/json" | "text/json" => Some(Format::Json),
            e if e.ends_with("+json") => Some(Format::Json),
            "application/x-ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines" => Some(Format::Jsonl),
            "text/csv" => Some(Format::Csv),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.ms-excel" => Some(Format::Workbook),
            _ => None,
        };
        let Some(format) = format else {
            return problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type",
                "send application/json, application/x-ndjson, text/csv, an Excel workbook, or multipart/form-data files",
                json!({ "content_type": content_type }),
            );
        };
        let bytes = match axum::body::to_bytes(req.into_body(), max).await {
            Ok(b) => b,
            Err(_) => return too_large(max),
        };
        let get_name = query
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v.clone());
        match format {
            Format::Workbook => {
                let default = if essence == "application/vnd.ms-excel" {
                    "request.xls"
                } else {
                    "request.xlsx"
                };
                vec![Upload::Workbook(
                    get_name.unwrap_or_else(|| default.to_string()),
                    bytes,
                )]
            }
            f => {
                let default = match f {
                    Format::Jsonl => "request.jsonl",
                    Format::Csv => "request.csv",
                    _ => "request.json",
                };
                vec![Upload::Text(
                    get_name.unwrap_or_else(|| default.to_string()),
                    Arc::from(crate::input::decode_all(&bytes)),
                    f,
                )]
            }
        }
    };
    let asked = match asked(&loaded.pack, &query, &headers) {
        Ok(a) => a,
        Err(why) => return bad_request(&why),
    };
    if uploads.is_empty() {
        return bad_request("the request holds no submission");
    }
    let files = uploads.len();
    // A JSON body that is not JSON at all is answered 400; a form (the
    // page's upload) gets the report, which says the same.
    let single_json = !is_form && matches!(uploads.as_slice(), [Upload::Text(_, _, Format::Json)]);
    let inputs: Vec<(String, Option<Arc<str>>)> = if shared.config.log_input {
        uploads
            .iter()
            .map(|u| match u {
                Upload::Text(n, t, _) => (n.clone(), Some(t.clone())),
                Upload::Workbook(n, _) => (n.clone(), None),
            })
            .collect()
    } else {
        Vec::new()
    };
    // The check runs off the async threads, bounded in time; a check that
    // takes too long is stopped at its next chunk.
    let cancel = asked.opts.cancel.clone();
    let opts = asked.opts.clone();
    let pack_for_check = loaded.clone();
    let work =
        tokio::task::spawn_blocking(move || run_checks(&pack_for_check.pack, &uploads, &opts));
    let reports = match tokio::time::timeout(shared.config.timeout, work).await {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => {
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error",
                "the check failed; please report it",
                Value::Null,
            )
        }
        Err(_) => {
            cancel.set();
            return problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
                &format!(
                    "the check took longer than {} s",
                    shared.config.timeout.as_secs_f64()
                ),
                Value::Null,
            );
        }
    };
    shared.metrics.records(&reports);
    let id = decision_id();
    log_decision(&shared, &id, &loaded.revision, &reports, &inputs);
    let mut summary = Summary::default();
    reports.iter().for_each(|r| summary.add(r));
    let end = RunEnd {
        files,
        summary,
        elapsed: None,
        skipped: 0,
    };
    let eopts = EmitOptions {
        lang: asked.lang,
        color: false,
        width: 100,
        quiet: false,
        deny_warnings: false,
    };
    // A body that is not JSON at all is the request's fault: 400, with the
    // same diagnostic (line, column) the CLI gives, and the report.
    if single_json && reports.len() == 1 {
        if let Some(f) = reports
            .first()
            .and_then(|r| r.findings.first())
            .filter(|f| f.finding.rule.is(Reserved::InputParse))
        {
            let mut r = problem(
                StatusCode::BAD_REQUEST,
                "Bad Request",
                &f.finding.message,
                json!({
                    "line": f.line,
                    "column": f.column,
                    "report": serde_json::from_str::<Value>(&crate::report::render(Output::Json, &loaded.pack, eopts, &reports, &end)).unwrap_or(Value::Null),
                }),
            );
            if let Ok(v) = HeaderValue::from_str(&id) {
                r.headers_mut().insert("x-decision-id", v);
            }
            return r;
        }
    }
    let body = crate::report::render(asked.format, &loaded.pack, eopts, &reports, &end);
    let content_type = match asked.format {
        Output::Json => "application/json",
        Output::Sarif => "application/sarif+json",
        Output::Junit => "application/xml",
        Output::Html => "text/html; charset=utf-8",
        Output::Human | Output::Github => "text/plain; charset=utf-8",
    };
    let mut response =
        (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-decision-id", v);
    }
    response
}

fn too_large(max: usize) -> Response {
    problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Payload Too Large",
        &format!(
            "the request body is larger than {}",
            crate::text::size(max as u64)
        ),
        json!({ "max_bytes": max }),
    )
}

/// One line of the decision log: what was decided, on which pack, about what.
fn log_decision(
    shared: &Shared,
    id: &str,
    revision: &str,
    reports: &[RecordReport],
    inputs: &[(String, Option<Arc<str>>)],
) {
    let Some(log) = &shared.config.decision_log else {
        return;
    };
    let records: Vec<Value> = reports
        .iter()
        .map(|r| {
            let rules: Vec<&str> = r
                .findings
                .iter()
                .filter(|f| f.finding.outcome.is_reported())
                .map(|f| f.finding.rule.as_str())
                .collect();
            json!({ "file": r.file, "index": r.index, "id": r.id, "status": r.status.as_str(), "rules": rules })
        })
        .collect();
    let mut line = json!({
        "decision": id,
        "time": jiff::Timestamp::now().to_string(),
        "pack_revision": revision,
        "records": records,
    });
    if !inputs.is_empty() {
        if let Some(o) = line.as_object_mut() {
            o.insert(
                "input".into(),
                inputs
                    .iter()
                    .map(|(n, t)| json!({ "file": n, "text": t.as_deref() }))
                    .collect(),
            );
        }
    }
    let text = crate::text::json_safe(&line.to_string()).into_owned();
    let mut w = match log.lock() {
        Ok(w) => w,
        Err(p) => p.into_inner(),
    };
    let _ = writeln!(w, "{text}");
    let _ = w.flush();
}
