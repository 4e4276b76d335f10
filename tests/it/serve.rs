//! `plancheck serve`, run as users run it: the real binary on a free port,
//! spoken to over TCP. Its JSON must be the CLI's, byte for byte; its
//! errors problem documents; its pack reloadable; its shutdown graceful.

use super::{pack_copy, plancheck_in, root};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running service, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .current_dir(root())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().unwrap().unwrap();
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_string();
        // Keep draining stderr so that the service never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        request(&self.addr, method, path, headers, body)
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        self.request("POST", path, &[("content-type", content_type)], body)
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One HTTP/1.1 exchange on a fresh connection.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The service may answer (413) before it has read everything.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Reply {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

/// A multipart/form-data body of `(field, file name, bytes)` parts.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----plancheck-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (field, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("content-disposition: form-data; name=\"{field}\"; filename=\"{f}\"\r\ncontent-type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("content-disposition: form-data; name=\"{field}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn content_type_of(name: &str) -> &'static str {
    match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some("jsonl") => "application/x-ndjson",
        Some("csv") => "text/csv",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("xls") => "application/vnd.ms-excel",
        _ => "application/json",
    }
}

/// Every submission shipped: the samples and the workbooks and CSVs.
fn submissions() -> Vec<(String, String)> {
    let mut all = Vec::new();
    for dir in ["seeds/samples", "tests/fixtures/tabular"] {
        let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                [".json", ".jsonl", ".csv", ".xlsx", ".xls"]
                    .iter()
                    .any(|x| n.ends_with(x))
            })
            .collect();
        names.sort();
        all.extend(names.into_iter().map(|n| (dir.to_string(), n)));
    }
    all
}

#[test]
fn check_answers_what_the_command_line_prints_for_every_submission() {
    let server = Server::start(&[]);
    let mut compared = 0;
    for (dir, name) in submissions() {
        let bytes = std::fs::read(root().join(&dir).join(&name)).unwrap();
        let cli = plancheck_in(&root().join(&dir), &["check", "--format", "json", &name]);
        // The body as it is, named by `name=`.
        let reply = server.post(
            &format!("/v1/check?name={name}"),
            content_type_of(&name),
            &bytes,
        );
        if reply.status == 400 {
            // Not JSON at all: the same diagnostic, at the same place.
            let problem = reply.json();
            let report: Value = serde_json::from_str(&cli.stdout).unwrap();
            assert_eq!(problem["report"], report, "{name}");
            let finding = &report["records"][0]["findings"][0];
            assert_eq!(finding["rule"], "input.parse", "{name}");
            assert_eq!(problem["line"], finding["line"], "{name}");
            assert_eq!(problem["column"], finding["column"], "{name}");
            assert_eq!(
                reply.header("content-type"),
                Some("application/problem+json")
            );
        } else {
            assert_eq!(reply.status, 200, "{name}: {}", reply.text());
            assert_eq!(reply.text(), cli.stdout, "{name} as a body");
            assert!(reply.header("x-decision-id").is_some());
        }
        // The same file uploaded as a form: the report (a form is answered
        // with the report even where the JSON is broken, as the page needs).
        let (ct, body) = multipart(&[("files", Some(&name), &bytes)]);
        let reply = server.post("/v1/check", &ct, &body);
        assert_eq!(reply.status, 200, "{name}: {}", reply.text());
        assert_eq!(reply.text(), cli.stdout, "{name} uploaded");
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} submissions compared");
}

#[test]
fn options_and_several_files_are_the_command_lines() {
    let server = Server::start(&[]);
    let dir = root().join("seeds/samples");
    let files = [
        "project-low-plot-ratio.json",
        "projects-stream.jsonl",
        "county-2018-off-track.json",
    ];
    let parts: Vec<(&str, Option<&str>, Vec<u8>)> = files
        .iter()
        .map(|f| ("files", Some(*f), std::fs::read(dir.join(f)).unwrap()))
        .collect();
    let borrowed: Vec<(&str, Option<&str>, &[u8])> = parts
        .iter()
        .map(|(a, b, c)| (*a, *b, c.as_slice()))
        .collect();
    let (ct, body) = multipart(&borrowed);
    for (query, args) in [
        ("", vec![]),
        ("?lang=zh", vec!["--lang", "zh"]),
        ("?all=true", vec!["--all"]),
        (
            "?select=land&lang=zh",
            vec!["--select", "land", "--lang", "zh"],
        ),
        (
            "?ignore=county.&date=2017-06-30",
            vec!["--ignore", "county.", "--date", "2017-06-30"],
        ),
        ("?format=sarif", vec!["--format", "sarif"]),
        ("?format=junit", vec!["--format", "junit"]),
    ] {
        let mut cli_args = vec!["check"];
        if !args.contains(&"--format") {
            cli_args.extend(["--format", "json"]);
        }
        cli_args.extend(args.iter().copied());
        cli_args.extend(files);
        let cli = plancheck_in(&dir, &cli_args);
        let reply = server.post(&format!("/v1/check{query}"), &ct, &body);
        assert_eq!(reply.status, 200, "{query}: {}", reply.text());
        let strip_time = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("time=") && !l.contains("\"timestamp\""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            strip_time(&reply.text()),
            strip_time(&cli.stdout),
            "{query}"
        );
    }
}

#[test]
fn the_review_report_comes_as_html_for_a_browser_and_for_the_pasted_form() {
    let server = Server::start(&[]);
    let sample = std::fs::read(root().join("seeds/samples/project-low-plot-ratio.json")).unwrap();
    let reply = server.request(
        "POST",
        "/v1/check?lang=zh",
        &[
            ("content-type", "application/json"),
            ("accept", "text/html,application/xhtml+xml"),
        ],
        &sample,
    );
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let page = reply.text();
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains("不通过"), "{page}");
    assert!(page.contains("land.plot-ratio"));
    // What the page's form sends: a pasted text, with its fields.
    let (ct, body) = multipart(&[
        ("files", Some(""), b""),
        ("text", None, &sample),
        ("date", None, b""),
        ("lang", None, b"en"),
        ("format", None, b"html"),
    ]);
    let reply = server.post("/v1/check", &ct, &body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let page = reply.text();
    assert!(page.contains("<!DOCTYPE html>"));
    assert!(page.contains("land.plot-ratio"));
    assert!(page.contains("Fail") || page.contains("fail"), "{page}");
    // A pasted text that is nothing.
    let (ct, body) = multipart(&[("text", None, b"   "), ("format", None, b"html")]);
    let reply = server.post("/v1/check", &ct, &body);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["status"], 400);
}

#[test]
fn the_officers_page_offers_upload_templates_and_rules_in_both_languages() {
    let server = Server::start(&[]);
    let rules: Value = server.get("/v1/rules").json();
    let ids: Vec<&str> = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for (path, words) in [
        (
            "/?lang=en",
            ["Plan review", "Upload", "Fill-in templates", "Rules"],
        ),
        ("/?lang=zh", ["规划审查", "上传", "填报模板", "规则"]),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200);
        let csp = reply.header("content-security-policy").unwrap();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        let page = reply.text();
        for w in words {
            assert!(page.contains(w), "{path}: {w}");
        }
        assert!(page.contains(r#"enctype="multipart/form-data""#));
        assert!(page.contains(r#"action="/v1/check?format=html&amp;lang="#));
        assert!(page.contains("/v1/template/project"));
        assert!(!page.contains("<script"), "no script is needed");
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "nothing external"
        );
        for id in &ids {
            assert!(
                page.contains(&format!("<code>{id}</code>")),
                "{path}: rule {id}"
            );
        }
    }
    let reply = server.request("GET", "/", &[("accept-language", "zh-CN,zh;q=0.9")], b"");
    assert!(reply.text().contains("规划审查"));
}

#[test]
fn rules_schemas_templates_and_the_api_document_are_served() {
    let server = Server::start(&[]);
    let list = plancheck_in(&root(), &["rules", "list"]);
    let rules = server.get("/v1/rules").json();
    assert_eq!(rules["pack"]["name"], "liaocheng-13th-fyp");
    let ids: Vec<String> = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let listed: Vec<String> = list
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.contains('.'))
        .map(str::to_string)
        .collect();
    assert_eq!(ids, listed);
    for id in ids.iter().take(8) {
        let one = server.get(&format!("/v1/rules/{id}?lang=zh")).json();
        let explained = plancheck_in(&root(), &["rules", "explain", id, "--lang", "zh"]);
        assert_eq!(
            one["explanation"].as_str().unwrap().trim_end(),
            explained.stdout.trim_end(),
            "{id}"
        );
        assert!(!one["citations"].as_array().unwrap().is_empty(), "{id}");
    }
    let missing = server.get("/v1/rules/land.plot-ration");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("application/problem+json")
    );
    assert!(missing.json()["help"]
        .as_str()
        .unwrap()
        .contains("land.plot-ratio"));

    for kind in ["project", "county"] {
        let schema = server.get(&format!("/v1/schema/{kind}"));
        assert_eq!(schema.status, 200);
        let cli: Value =
            serde_json::from_str(&plancheck_in(&root(), &["schema", kind]).stdout).unwrap();
        assert_eq!(schema.json(), cli, "{kind}");
        let template = server.get(&format!("/v1/template/{kind}"));
        assert_eq!(template.status, 200);
        assert!(template.body.starts_with(b"PK"), "{kind}: a workbook");
        assert!(template
            .header("content-disposition")
            .unwrap()
            .contains(kind));
        let csv = server.get(&format!("/v1/template/{kind}?format=csv&lang=zh"));
        assert!(csv.text().trim_start_matches('\u{feff}').len() > 10);
    }
    assert_eq!(server.get("/v1/schema/nothing").status, 404);
    assert_eq!(server.get("/v1/template/nothing").status, 404);

    let api = server.get("/v1/openapi.json").json();
    assert_eq!(api["openapi"], "3.1.0");
    for path in [
        "/v1/check",
        "/v1/rules",
        "/v1/rules/{id}",
        "/v1/schema/{kind}",
        "/v1/template/{kind}",
        "/health",
        "/metrics",
    ] {
        assert!(api["paths"][path].is_object(), "{path} in the API document");
    }
    // The request schemas are the pack's own.
    let text = api.to_string();
    assert!(
        text.contains("investment_intensity") || text.contains("plot_ratio"),
        "the pack's fields"
    );

    let health = server.get("/health").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["pack"], "liaocheng-13th-fyp");
    assert!(health["revision"].as_str().unwrap().len() >= 8);
    assert!(health["loaded_at"].as_str().unwrap().contains('T'));
    assert!(health["last_reload_error"].is_null());

    let sample = std::fs::read(root().join("seeds/samples/project-low-plot-ratio.json")).unwrap();
    server.post("/v1/check", "application/json", &sample);
    let metrics = server.get("/metrics").text();
    for needle in [
        "plancheck_requests_total{route=\"/v1/check\",status=\"200\"}",
        "plancheck_request_duration_seconds_bucket",
        "plancheck_records_total{status=\"fail\"}",
        "plancheck_findings_total{rule=\"land.plot-ratio\"",
    ] {
        assert!(metrics.contains(needle), "{needle} in\n{metrics}");
    }
}

#[test]
fn bad_requests_are_problems_never_a_server_error() {
    let server = Server::start(&["--max-body", "4096"]);
    let big = vec![b' '; 10_000];
    let reply = server.post("/v1/check", "application/json", &big);
    assert_eq!(reply.status, 413);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.json()["max_bytes"], 4096);
    let (ct, body) = multipart(&[("files", Some("big.json"), &big)]);
    assert_eq!(server.post("/v1/check", &ct, &body).status, 413);

    let reply = server.post("/v1/check", "text/plain", b"{}");
    assert_eq!(reply.status, 415);
    let (ct, body) = multipart(&[("files", Some("notes.docx"), b"PK")]);
    assert_eq!(server.post("/v1/check", &ct, &body).status, 415);

    for query in [
        "?format=pdf",
        "?date=2019-02-30",
        "?select=nothing.like.this",
        // What the CLI refuses as usage is refused here too, not answered
        // in another language or without `--all`.
        "?lang=fr",
        "?all=maybe",
    ] {
        let reply = server.post(&format!("/v1/check{query}"), "application/json", b"{}");
        assert_eq!(reply.status, 400, "{query}");
        assert!(reply.json()["detail"].is_string());
    }
    let broken = b"{\"kind\": \"project\",\n  \"x\": tru }";
    let reply = server.post("/v1/check?name=broken.json", "application/json", broken);
    assert_eq!(reply.status, 400);
    let p = reply.json();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("broken.json"), broken).unwrap();
    let cli: Value = serde_json::from_str(
        &plancheck_in(tmp.path(), &["check", "--format", "json", "broken.json"]).stdout,
    )
    .unwrap();
    let f = &cli["records"][0]["findings"][0];
    assert_eq!(f["line"], 2);
    assert_eq!((&p["line"], &p["column"]), (&f["line"], &f["column"]));
    assert_eq!(p["detail"], f["message"]);
    assert_eq!(
        server
            .post("/v1/check", "multipart/form-data; boundary=x", b"garbage")
            .status,
        400
    );
    assert_eq!(server.get("/nowhere").status, 404);
    assert_eq!(
        server.get("/nowhere").header("content-type"),
        Some("application/problem+json")
    );
    // A method a resource does not answer is a problem too, naming the
    // methods it does.
    for (method, path) in [("GET", "/v1/check"), ("DELETE", "/v1/rules")] {
        let reply = server.request(method, path, &[], b"");
        assert_eq!(reply.status, 405, "{method} {path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{method} {path}"
        );
        assert_eq!(reply.json()["status"], 405);
        assert!(reply.header("allow").is_some(), "{method} {path}");
    }
    // Hostile bodies: answered, never a 500.
    for body in [
        &b"\xff\xfe\x00\x00garbage"[..],
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"{\"kind\":\"project\",\"a\":1e999999999}",
        b"",
    ] {
        let reply = server.post("/v1/check", "application/json", body);
        assert!(reply.status < 500, "{}: {}", reply.status, reply.text());
    }
    assert_eq!(server.get("/health").json()["status"], "ok");
}

#[test]
fn a_pack_that_changes_is_reloaded_and_a_broken_one_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = pack_copy(tmp.path(), |t| t.to_string());
    let server = Server::start(&["--rules", rules.to_str().unwrap()]);
    let before = server.get("/health").json();
    assert!(before["last_reload_error"].is_null());
    // Up to 30 s: on a loaded CI machine a debug build's reload (a file
    // event, then parsing and checking the whole pack) can take seconds;
    // the wait ends as soon as the service says it reloaded.
    let wait_for = |pred: &dyn Fn(&Value) -> bool| {
        for _ in 0..300 {
            let h = server.get("/health").json();
            if pred(&h) {
                return h;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the service did not reload");
    };
    // A broken file: the error is shown, the last good pack stays in use.
    let file = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "rules"))
        .unwrap();
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{good}\nrule broken {{ when")).unwrap();
    let h = wait_for(&|h| !h["last_reload_error"].is_null());
    assert_eq!(h["revision"], before["revision"]);
    let sample = std::fs::read(root().join("seeds/samples/project-low-plot-ratio.json")).unwrap();
    let reply = server.post("/v1/check", "application/json", &sample);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["records"][0]["status"], "fail");
    // Fixed, with a change: a new revision, no error.
    std::fs::write(&file, format!("{good}\n# reviewed\n")).unwrap();
    let h = wait_for(&|h| h["last_reload_error"].is_null());
    assert_ne!(h["revision"], before["revision"]);
}

#[test]
fn decisions_are_logged_with_their_id() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("decisions.jsonl");
    let server = Server::start(&["--decision-log", log.to_str().unwrap()]);
    let sample = std::fs::read(root().join("seeds/samples/project-low-plot-ratio.json")).unwrap();
    let reply = server.post("/v1/check", "application/json", &sample);
    let id = reply.header("x-decision-id").unwrap().to_string();
    let text = std::fs::read_to_string(&log).unwrap();
    let line: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(line["decision"], id.as_str());
    assert_eq!(line["records"][0]["status"], "fail");
    assert!(line["records"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "land.plot-ratio"));
    assert!(line.get("input").is_none(), "texts only with --log-input");
}

/// A batch of `n` applications as JSON Lines.
fn batch(n: usize) -> Vec<u8> {
    let one =
        std::fs::read_to_string(root().join("seeds/samples/project-low-plot-ratio.json")).unwrap();
    let v: Value = serde_json::from_str(&one).unwrap();
    let line = v.to_string();
    let mut out = Vec::new();
    for _ in 0..n {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

#[test]
fn a_check_that_takes_too_long_is_answered_503() {
    let server = Server::start(&["--timeout", "0.001"]);
    let body = batch(20_000);
    let reply = server.post("/v1/check", "application/x-ndjson", &body);
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    // The service goes on.
    assert_eq!(server.get("/health").status, 200);
}

#[test]
fn sigterm_lets_requests_in_flight_finish_and_refuses_new_ones() {
    let mut server = Server::start(&[]);
    let addr = server.addr.clone();
    let body = batch(4_000);
    let expected = body.iter().filter(|b| **b == b'\n').count();
    let in_flight = std::thread::spawn(move || {
        request(
            &addr,
            "POST",
            "/v1/check",
            &[("content-type", "application/x-ndjson")],
            &body,
        )
    });
    // Let the request arrive, then ask the service to stop.
    std::thread::sleep(Duration::from_millis(300));
    server.signal("-TERM");
    let reply = in_flight.join().unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["records"].as_array().unwrap().len(),
        expected,
        "the whole batch was checked"
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "new connections are refused"
    );
}

#[test]
fn chromium_shows_the_officers_page_and_a_pasted_review_without_errors() {
    let Some(bin) = super::html::chromium() else {
        return;
    };
    let server = Server::start(&[]);
    let out = root().join("target/html-screenshots");
    std::fs::create_dir_all(&out).unwrap();
    for lang in ["zh", "en"] {
        let shot = out.join(format!("serve-page-{lang}.png"));
        let url = format!("http://{}/?lang={lang}", server.addr);
        super::html::screenshot(&bin, &url, &shot, "1000,1400", lang);
    }
}
