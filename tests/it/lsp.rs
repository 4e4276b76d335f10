//! `plancheck lsp`, driven in-process over an in-memory connection as an
//! editor drives it: open a rule file with a typo, read the diagnostic and
//! its quick fix, hover a rule and a field, format, list the symbols.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::time::Duration;

struct Client {
    conn: Connection,
    next: i32,
    server: Option<std::thread::JoinHandle<u8>>,
    /// The position encoding the server chose.
    encoding: String,
}

impl Client {
    fn start() -> Client {
        Self::start_offering(json!({}))
    }

    /// A client with the given capabilities.
    fn start_offering(capabilities: Value) -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || {
            plancheck::cli::lsp::serve(&server, plancheck::i18n::Lang::En)
        });
        let mut c = Client {
            conn,
            next: 0,
            server: Some(handle),
            encoding: String::new(),
        };
        let init = c.request("initialize", json!({ "capabilities": capabilities }));
        assert!(init["capabilities"]["hoverProvider"].as_bool().unwrap());
        c.encoding = init["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap()
            .to_string();
        c.notify("initialized", json!({}));
        c
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_string(),
                params,
            )))
            .unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(30))
                .unwrap()
            {
                Message::Response(r) if r.id == id => {
                    assert!(r.error.is_none(), "{method}: {:?}", r.error);
                    return r.result.unwrap_or(Value::Null);
                }
                _ => continue,
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .unwrap();
    }

    /// The next diagnostics published.
    fn diagnostics(&self) -> Value {
        loop {
            if let Message::Notification(n) = self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(30))
                .unwrap()
            {
                if n.method == "textDocument/publishDiagnostics" {
                    return n.params;
                }
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(h) = self.server.take() {
            assert_eq!(h.join().unwrap(), 0);
        }
    }
}

#[test]
fn an_author_sees_the_error_the_fix_the_sentence_and_the_outline() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = super::pack_copy(tmp.path(), |t| t.to_string());
    let file = rules.join("20-land.rules");
    let uri = format!("file://{}", file.display());
    let good = std::fs::read_to_string(&file).unwrap();
    // A typo in a field name, after Chinese text on the same line.
    let typo_line = good
        .lines()
        .position(|l| l.contains("require") && l.contains("land.area"))
        .expect("a requirement reading land.area");
    let broken: String = good
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == typo_line {
                format!("{}\n", l.replacen("land.area", "land.aera", 1))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plancheck-rules", "version": 1, "text": broken } }),
    );
    let published = c.diagnostics();
    let diags = published["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "the typo is reported");
    let d = &diags[0];
    assert_eq!(
        d["range"]["start"]["line"].as_u64().unwrap() as usize,
        typo_line
    );
    let line = broken.lines().nth(typo_line).unwrap();
    let col = line.find("land.aera").unwrap();
    let utf16: usize = line[..col].chars().map(char::len_utf16).sum();
    assert_eq!(
        d["range"]["start"]["character"].as_u64().unwrap() as usize,
        utf16
    );
    assert!(d["code"].as_str().unwrap().starts_with('T'), "{d}");
    assert!(d["message"].as_str().unwrap().contains("land.aera"), "{d}");
    // The quick fix.
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "land.area", "{actions}");

    // Fixed: no diagnostics, and hovers work on the loaded pack.
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": good }] }),
    );
    assert!(c.diagnostics()["diagnostics"]
        .as_array()
        .unwrap()
        .is_empty());
    let at = |needle: &str| {
        let (i, l) = good
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        let col: usize = l[..l.find(needle).unwrap() + 2]
            .chars()
            .map(char::len_utf16)
            .sum();
        json!({ "line": i, "character": col })
    };
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": at("land.plot-ratio") }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("plot ratio of new industrial projects"),
        "{text}"
    );
    assert!(text.contains("the plan says"), "{text}");
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": at("land.floor_area") }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("land.floor_area") && text.contains("m²"),
        "{text}"
    );

    // The outline and formatting.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"land.plot-ratio"), "{names:?}");
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, json!([]), "the pack is formatted already");
    let messy = good.replace("\n  force", "\n        force");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": messy }] }),
    );
    c.diagnostics();
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"].as_str().unwrap(), good);
}

/// The (line, UTF-16 column) of the `nth` occurrence of `needle` in `text`, plus `into` characters.
fn pos(text: &str, needle: &str, nth: usize, into: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).expect(needle).0;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[start..at + into].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": col })
}

/// A response with the temporary folder's URIs made stable, for snapshots.
fn stable(v: &Value, dir: &std::path::Path) -> Value {
    let text = v
        .to_string()
        .replace(&format!("file://{}", dir.display()), "file://PACK");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn an_author_navigates_completes_folds_and_sees_examples_run() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = super::pack_copy(tmp.path(), |t| t.to_string());
    let file = rules.join("70-county-environment.rules");
    let uri = format!("file://{}", file.display());
    let good = std::fs::read_to_string(&file).unwrap();
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plancheck-rules", "version": 1, "text": good } }),
    );
    assert_eq!(
        c.diagnostics()["diagnostics"],
        json!([]),
        "the pack loads and its examples pass"
    );
    let doc = json!({ "uri": uri });

    // Code lens: each rule's examples, as they ran.
    let lenses = c.request("textDocument/codeLens", json!({ "textDocument": doc }));
    let first = &lenses[0];
    assert_eq!(
        first["range"]["start"]["line"],
        pos(&good, "rule county.rural-tap-water", 0, 0)["line"]
    );
    assert_eq!(
        first["command"]["title"], "examples: 9 pass, 0 fail",
        "{lenses}"
    );

    // A wrong example is a diagnostic where it is written, and the lens says so.
    let broken = good.replacen(
        r#"example pass      {"county": "临清市", "year": 2017, "indicators": {"rural_tap_water": 96.5}}"#,
        r#"example violated  {"county": "临清市", "year": 2017, "indicators": {"rural_tap_water": 96.5}}"#,
        1,
    );
    assert_ne!(broken, good);
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": broken }] }),
    );
    let diags = c.diagnostics();
    let d = &diags["diagnostics"][0];
    assert_eq!(d["code"], "example", "{diags}");
    // The range is the example's record.
    assert_eq!(
        d["range"]["start"],
        pos(
            &broken,
            "example violated  {\"county\": \"临清市\", \"year\": 2017",
            0,
            18
        ),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("expected violated, got pass"),
        "{d}"
    );
    let lenses = c.request("textDocument/codeLens", json!({ "textDocument": doc }));
    assert_eq!(lenses[0]["command"]["title"], "examples: 8 pass, 1 fail");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": good }] }),
    );
    c.diagnostics();

    // Go to definition: a template used by a rule, in another file.
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": doc, "position": pos(&good, "path_at_least", 0, 3) }),
    );
    let templates = std::fs::read_to_string(rules.join("02-indicator-templates.rules")).unwrap();
    assert_eq!(
        def[0]["uri"],
        format!(
            "file://{}",
            rules.join("02-indicator-templates.rules").display()
        )
    );
    assert_eq!(
        def[0]["range"]["start"],
        pos(&templates, "path_at_least", 0, 0)
    );
    // … and a field path through a group, to the group's field.
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": doc, "position": pos(&good, "indicators.energy_per_10k_gdp", 0, 12) }),
    );
    let schema = std::fs::read_to_string(rules.join("01-county-schema.rules")).unwrap();
    assert_eq!(
        def[0]["range"]["start"]["line"],
        pos(&schema, "energy_per_10k_gdp", 0, 0)["line"],
        "{def}"
    );

    // References: every use of a template, across files.
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": doc, "position": pos(&good, "path_at_most", 0, 1), "context": { "includeDeclaration": true } }),
    );
    let all_files: String = [
        "70-county-environment",
        "71-county-society",
        "72-city",
        "02-indicator-templates",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(rules.join(format!("{f}.rules"))).unwrap())
    .collect();
    // Every `use` and the declaration; a mention in a comment is no use.
    assert_eq!(
        refs.as_array().unwrap().len(),
        all_files.matches("use path_at_most(").count() + 1,
        "{refs}"
    );

    // Completion: templates after `use`, enumeration values in a string, units after a number.
    let edited = good.replacen(
        "  use path_at_least(rural_tap_water",
        "  use \n  use path_at_least(rural_tap_water",
        1,
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": edited }] }),
    );
    c.diagnostics();
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": pos(&edited, "  use \n", 0, 6) }),
    );
    assert_eq!(
        labels(&items),
        [
            "path_at_least",
            "path_at_most",
            "target_at_least",
            "target_below"
        ]
    );
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": pos(&edited, "98 %", 0, 3) }),
    );
    assert!(
        labels(&items).contains(&"µg".to_string()) && labels(&items).contains(&"亩".to_string()),
        "{items}"
    );
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": pos(&edited, "  use \n", 0, 2) }),
    );
    let names = labels(&items);
    assert!(
        names.contains(&"indicators.pm25".to_string()) || names.iter().any(|n| n.ends_with("pm25")),
        "{names:?}"
    );
    assert!(names.contains(&"require".to_string()), "{names:?}");

    // Folding: every rule is a block.
    let folds = c.request("textDocument/foldingRange", json!({ "textDocument": doc }));
    assert_eq!(
        folds.as_array().unwrap().len(),
        edited.matches("\nrule ").count(),
        "{folds}"
    );

    // Hover on a unit.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": pos(&edited, "µg/m³", 0, 2) }),
    );
    insta::assert_json_snapshot!("lsp_hover_unit", stable(&hover, tmp.path()));
    insta::assert_json_snapshot!("lsp_definition_through_a_group", stable(&def, tmp.path()));
    insta::assert_json_snapshot!(
        "lsp_code_lens_one_example_failing",
        stable(&lenses, tmp.path())
    );
}

#[test]
fn positions_are_utf8_bytes_when_the_client_offers_them() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = super::pack_copy(tmp.path(), |t| t.to_string());
    let file = rules.join("70-county-environment.rules");
    let uri = format!("file://{}", file.display());
    let good = std::fs::read_to_string(&file).unwrap();
    // A typo after Chinese text on its line: the columns differ by encoding.
    let broken = good.replacen("use path_at_most(pm10,", "use path_at_mots(pm10,", 1);
    let line_no = broken
        .lines()
        .position(|l| l.contains("path_at_mots"))
        .unwrap();
    let line = broken.lines().nth(line_no).unwrap();
    let byte = line.find("path_at_mots").unwrap();
    for (offer, encoding, column) in [
        (
            json!({}),
            "utf-16",
            line[..byte].chars().map(char::len_utf16).sum::<usize>(),
        ),
        (
            json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
            "utf-8",
            byte,
        ),
    ] {
        let c = Client::start_offering(offer);
        assert_eq!(c.encoding, encoding);
        c.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "plancheck-rules", "version": 1, "text": broken } }),
        );
        let published = c.diagnostics();
        // The one error: the unknown template (no cascade about `require`).
        assert_eq!(
            published["diagnostics"].as_array().unwrap().len(),
            1,
            "{published}"
        );
        let d = &published["diagnostics"][0];
        assert_eq!(d["code"], "T101", "{d}");
        assert_eq!(d["range"]["start"]["line"], line_no, "{d}");
        assert_eq!(d["range"]["start"]["character"], column, "{encoding}: {d}");
    }
}

#[test]
fn a_rule_file_says_when_the_pack_breaks_in_a_template_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = super::pack_copy(tmp.path(), str::to_string);
    // A typo in a template: every rule using it fails, in another file.
    let templates = rules.join("02-indicator-templates.rules");
    let broken = std::fs::read_to_string(&templates)
        .unwrap()
        .replace("then baseline.year else", "then baseline.yaer else");
    std::fs::write(&templates, broken).unwrap();
    let file = rules.join("70-county-environment.rules");
    let uri = format!("file://{}", file.display());
    let text = std::fs::read_to_string(&file).unwrap();
    let c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plancheck-rules", "version": 1, "text": text } }),
    );
    let published = c.diagnostics();
    let d = &published["diagnostics"][0];
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with("the pack does not load"), "{published}");
    assert!(
        message.contains("02-indicator-templates.rules"),
        "{published}"
    );
    assert_eq!(d["range"]["start"], json!({ "line": 0, "character": 0 }));
}
