//! `GET /v1/openapi.json`: the OpenAPI 3.1 document of the service, built
//! when asked, with the pack's own JSON Schemas as the request schemas, so
//! a platform can integrate plancheck from this document alone.

use super::Shared;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

/// A problem response.
fn problem_ref(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
    })
}

/// The schema of CONTRACT.md §5: the JSON report.
fn report_schema() -> Value {
    let num = json!({ "type": "number" });
    let opt_int = json!({ "type": ["integer", "null"] });
    let finding = json!({
        "type": "object",
        "required": ["rule", "outcome", "severity", "message", "path", "line", "column"],
        "properties": {
            "rule": { "type": "string" },
            "outcome": { "enum": ["pass", "violated", "off_track", "missing", "waived", "invalid", "not_applicable", "out_of_period"] },
            "severity": { "enum": ["error", "warning", "note", null] },
            "message": { "type": "string" },
            "path": { "type": ["string", "null"] },
            "line": opt_int.clone(), "column": opt_int,
            "row": { "type": "integer" }, "cell": { "type": "string" }, "sheet": { "type": "string" },
            "actual": num.clone(), "limit": num.clone(), "unit": { "type": "string" }, "margin": num,
            "track": { "type": "object" },
            "citation": { "type": "object", "properties": {
                "section": { "type": "string" }, "quote": { "type": "string" } } },
            "help": { "type": "string" }
        }
    });
    let record = json!({
        "type": "object",
        "required": ["file", "index", "id", "kind", "status", "findings"],
        "properties": {
            "file": { "type": "string" },
            "index": { "type": "integer" },
            "id": { "type": ["string", "null"] },
            "kind": { "type": ["string", "null"] },
            "status": { "enum": ["pass", "warn", "fail", "invalid"] },
            "findings": { "type": "array", "items": finding }
        }
    });
    json!({
        "type": "object",
        "required": ["plancheck", "pack", "records", "summary"],
        "properties": {
            "plancheck": { "type": "string" },
            "pack": { "type": "object", "required": ["name", "rules"],
                      "properties": { "name": { "type": "string" }, "rules": { "type": "integer" } } },
            "records": { "type": "array", "items": record },
            "summary": { "type": "object", "required": ["files", "records", "pass", "warn", "fail", "invalid", "findings"] }
        }
    })
}

/// The document.
pub(crate) fn build(pack: &crate::pack::Pack) -> Value {
    let kinds: Vec<String> = pack.records.iter().map(|r| r.kind.clone()).collect();
    let mut schemas = serde_json::Map::new();
    let mut one_of = Vec::new();
    for k in &kinds {
        if let Some(s) = crate::pack::json_schema(pack, k) {
            // A kind's schema with its `$schema`/`$id` left to the document.
            let mut s = s;
            if let Some(o) = s.as_object_mut() {
                o.remove("$schema");
                o.remove("$id");
            }
            schemas.insert(k.clone(), s);
            one_of.push(json!({ "$ref": format!("#/components/schemas/{k}") }));
        }
    }
    schemas.insert("Report".into(), report_schema());
    schemas.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": {
                "type": { "type": "string" }, "title": { "type": "string" },
                "status": { "type": "integer" }, "detail": { "type": "string" },
                "line": { "type": ["integer", "null"] }, "column": { "type": ["integer", "null"] },
                "report": { "$ref": "#/components/schemas/Report" }
            }
        }),
    );
    let record = json!({ "oneOf": one_of });
    let lang = json!({ "name": "lang", "in": "query", "schema": { "enum": ["zh", "en"] },
                       "description": "Message language (default from Accept-Language)." });
    let query = vec![
        lang.clone(),
        json!({ "name": "format", "in": "query", "schema": { "enum": ["json", "sarif", "junit", "html", "github"] },
                "description": "Output format (default json; `Accept: text/html` gives html)." }),
        json!({ "name": "date", "in": "query", "schema": { "type": "string", "format": "date" },
                "description": "Evaluate as of this date instead of each record's own." }),
        json!({ "name": "select", "in": "query", "schema": { "type": "string" },
                "description": "Only rules with these ids or prefixes (comma-separated, repeatable)." }),
        json!({ "name": "ignore", "in": "query", "schema": { "type": "string" },
                "description": "Not rules with these ids or prefixes (comma-separated, repeatable)." }),
        json!({ "name": "all", "in": "query", "schema": { "type": "boolean" },
                "description": "Also list passing and not-applicable outcomes." }),
        json!({ "name": "name", "in": "query", "schema": { "type": "string" },
                "description": "The file name the submission is reported under." }),
    ];
    // Every rule id, as examples of the path parameter (other ids are 404).
    let rule_ids: serde_json::Map<String, Value> = pack
        .rules
        .iter()
        .map(|r| (r.id.replace('.', "-"), json!({ "value": r.id.as_ref() })))
        .collect();
    let kind_param =
        json!({ "name": "kind", "in": "path", "required": true, "schema": { "enum": kinds } });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "plancheck",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("Checks project applications and county indicator reports against the limits of {} ({}).", pack.title.en, pack.title.zh),
        },
        "paths": {
            "/v1/check": { "post": {
                "summary": "Check submissions",
                "parameters": query,
                "requestBody": { "required": true, "content": {
                    "application/json": { "schema": { "oneOf": [record.clone(), { "type": "array", "items": record }] } },
                    "application/x-ndjson": { "schema": { "type": "string" } },
                    "text/csv": { "schema": { "type": "string" } },
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } },
                    "application/vnd.ms-excel": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } },
                    "multipart/form-data": { "schema": { "type": "object", "properties": {
                        "file": { "type": "array", "items": { "type": "string", "contentMediaType": "application/octet-stream" } },
                        "text": { "type": "string" },
                        "lang": { "enum": ["zh", "en"] },
                        "format": { "enum": ["json", "sarif", "junit", "html", "github"] } } } }
                } },
                "responses": {
                    "200": { "description": "The report (CONTRACT.md §5 for json). Header X-Decision-Id names the decision.",
                             "headers": { "X-Decision-Id": { "schema": { "type": "string" } } },
                             "content": {
                                "application/json": { "schema": { "$ref": "#/components/schemas/Report" } },
                                "application/sarif+json": { "schema": { "type": "object" } },
                                "application/xml": { "schema": { "type": "string" } },
                                "text/html": { "schema": { "type": "string" } },
                                "text/plain": { "schema": { "type": "string" } } } },
                    "400": problem_ref("Not JSON (with the line and column), or a bad option."),
                    "413": problem_ref("The body is larger than the limit."),
                    "415": problem_ref("A content type plancheck does not read."),
                    "503": problem_ref("The check took longer than the time limit.")
                }
            } },
            "/v1/rules": { "get": { "summary": "The rules of the pack", "parameters": [lang.clone()],
                "responses": { "200": { "description": "The pack and its rules", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
            "/v1/rules/{id}": { "get": { "summary": "One rule, explained",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" }, "examples": rule_ids }, lang.clone() ],
                "responses": { "200": { "description": "The rule", "content": { "application/json": { "schema": { "type": "object" } } } },
                               "404": problem_ref("No such rule.") } } },
            "/v1/schema/{kind}": { "get": { "summary": "The JSON Schema of a submission kind", "parameters": [kind_param.clone()],
                "responses": { "200": { "description": "JSON Schema", "content": { "application/schema+json": { "schema": { "type": "object" } } } },
                               "404": problem_ref("No such kind.") } } },
            "/v1/template/{kind}": { "get": { "summary": "The fill-in workbook of a kind",
                "parameters": [kind_param, lang.clone(), { "name": "format", "in": "query", "schema": { "enum": ["xlsx", "csv"] } }],
                "responses": { "200": { "description": "The workbook (or CSV)", "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } },
                    "text/csv": { "schema": { "type": "string" } } } },
                               "404": problem_ref("No such kind.") } } },
            "/v1/openapi.json": { "get": { "summary": "This document",
                "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
            "/health": { "get": { "summary": "The pack in use and the last reload error",
                "responses": { "200": { "description": "Health", "content": { "application/json": { "schema": { "type": "object",
                    "required": ["status", "pack", "revision", "loaded_at"] } } } } } } },
            "/metrics": { "get": { "summary": "Prometheus metrics",
                "responses": { "200": { "description": "Prometheus text", "content": { "text/plain": { "schema": { "type": "string" } } } } } } },
            "/": { "get": { "summary": "The officers' page", "parameters": [lang],
                "responses": { "200": { "description": "HTML", "content": { "text/html": { "schema": { "type": "string" } } } } } } }
        },
        "components": { "schemas": schemas }
    })
}

/// `GET /v1/openapi.json`
pub(crate) async fn document(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        build(&loaded.pack).to_string(),
    )
        .into_response()
}
