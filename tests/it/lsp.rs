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
}

impl Client {
    fn start() -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || {
            plancheck::cli::lsp::serve(&server, plancheck::i18n::Lang::En)
        });
        let mut c = Client {
            conn,
            next: 0,
            server: Some(handle),
        };
        let init = c.request("initialize", json!({ "capabilities": {} }));
        assert!(init["capabilities"]["hoverProvider"].as_bool().unwrap());
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
